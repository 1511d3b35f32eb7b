package dev.signet.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node.js and npm for the tests of the TypeScript client and the Node receiver example. A
 * missing node or npm fails the test with what to install, never skips it: CI must run these.
 */
final class Node {
    /** What a command printed (stdout and stderr together) and how it ended. */
    record Run(int exitCode, String output) {
    }

    private Node() {
    }

    /** The repository's root: the directory above the working directory that holds {@code clients/}. */
    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("clients"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("no clients/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * {@code npm ci} in {@code dir}, unless node_modules already holds exactly what package-lock.json
     * says (a hash of the lock file is kept in node_modules): installs happen once, not every run.
     */
    static void install(Path dir) {
        requireNodeAndNpm();
        Path marker = dir.resolve("node_modules").resolve(".signet-installed-lock");
        String lock = sha256(dir.resolve("package-lock.json"));
        try {
            if (Files.exists(marker) && Files.readString(marker).equals(lock)) {
                return;
            }
            Run ci = run(dir, Map.of(), Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
            if (ci.exitCode() != 0) {
                throw new AssertionError("npm ci in " + dir + " failed (exit " + ci.exitCode() + "):\n" + ci.output());
            }
            Files.writeString(marker, lock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command in {@code dir}; a run past {@code timeout} is killed and fails the test with its output. */
    static Run run(Path dir, Map<String, String> env, Duration timeout, String... command) {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " could not be started (" + e.getMessage() + "): " + INSTALL_HINT, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = drain(p.getInputStream(), out);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                reader.join(5_000);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + text(out));
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
        return new Run(p.exitValue(), text(out));
    }

    /** Copies a process's output into {@code out} on a daemon thread, so it never blocks on a full pipe. */
    static Thread drain(InputStream in, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "node-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static final String INSTALL_HINT = "these tests need Node.js 18 or newer and npm on PATH "
            + "(Debian/Ubuntu: apt-get install nodejs npm)";

    private static void requireNodeAndNpm() {
        for (String tool : List.of("node", "npm")) {
            Run v = run(Path.of("").toAbsolutePath(), Map.of(), Duration.ofSeconds(60), tool, "--version");
            if (v.exitCode() != 0) {
                throw new AssertionError(tool + " --version failed: " + INSTALL_HINT + "\n" + v.output());
            }
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
