package dev.signet.local;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The AWS services Signet needs, on this machine: ElasticMQ (SQS) embedded in this JVM, and moto
 * ({@code moto_server}, DynamoDB and Secrets Manager) as a child process. Both listen on 127.0.0.1 only,
 * on free ports, and are stopped by {@link #close()} or, failing that, when the JVM exits.
 */
public final class Emulators implements AutoCloseable {
    public static final String MOTO_MISSING = "moto_server not found on PATH: Signet's local mode and tests use moto "
            + "for DynamoDB and Secrets Manager. Install it with: pip install 'moto[server]'";

    static final String HOST = "127.0.0.1";
    static final String REGION = "us-east-1";
    static final String ACCOUNT_ID = "000000000000";
    /**
     * Each emulator starts in 2–5 s on a quiet machine; on a 2-core machine running other builds at a
     * load of 15 or more ElasticMQ took over 30 s, and a suite's shared emulators failing to start fails
     * every test class. A slow start is not a broken one: wait up to 90 s.
     */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private static Emulators sharedInstance;
    private static RuntimeException sharedFailure;

    private final ElasticMq sqsServer;
    private final URI sqsEndpoint;
    private final Process moto;
    private final URI motoEndpoint;
    private final Path motoLog;
    private final boolean shared;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Emulators(ElasticMq sqsServer, URI sqsEndpoint, Process moto, URI motoEndpoint, Path motoLog, boolean shared) {
        this.sqsServer = sqsServer;
        this.sqsEndpoint = sqsEndpoint;
        this.moto = moto;
        this.motoEndpoint = motoEndpoint;
        this.motoLog = motoLog;
        this.shared = shared;
        this.shutdownHook = Thread.ofPlatform().name("signet-emulators-stop").unstarted(this::stop);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts both emulators; moto's output goes to a log file in {@code logDir}. */
    public static Emulators start(Path logDir) {
        return start(logDir, false);
    }

    /** Starts both emulators, logging moto's output to a file in the system's temporary directory. */
    public static Emulators start() {
        return start(defaultLogDir(), false);
    }

    /**
     * One pair of emulators for the whole JVM, started on first use and stopped when the JVM exits, so
     * each test class can create its own {@link SignetStack} (fresh tables and queues) in well under a
     * second. {@link #close()} on the shared instance does nothing.
     */
    public static synchronized Emulators shared() {
        if (sharedInstance == null) {
            if (sharedFailure != null) {
                // Every caller learns why, not only the first one.
                throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
            }
            try {
                sharedInstance = start(defaultLogDir(), true);
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return sharedInstance;
    }

    private static Emulators start(Path logDir, boolean shared) {
        Path motoExecutable = findOnPath("moto_server").orElseThrow(() -> new IllegalStateException(MOTO_MISSING));
        // Moto (a Python process) takes the longer to come up: start it first, ElasticMQ meanwhile.
        int motoPort = freePort();
        Path log;
        Process moto;
        try {
            Files.createDirectories(logDir);
            log = logDir.resolve("moto-" + motoPort + ".log");
            moto = startMoto(motoExecutable, motoPort, log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + motoExecutable + ": " + e.getMessage(), e);
        }
        ElasticMq sqs = null;
        try {
            CompletableFuture<ElasticMq> sqsStart = CompletableFuture.supplyAsync(ElasticMq::start);
            sqs = sqsStart.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            int sqsPort = sqs.port();
            if (!waitForMoto(moto, motoPort, log, true)) {
                // That python3 has no moto (moto_server belongs to another Python): run moto_server as it is.
                try {
                    moto = plainMoto(motoExecutable, motoPort, log);
                } catch (IOException e) {
                    throw new IllegalStateException("could not start " + motoExecutable + ": " + e.getMessage(), e);
                }
                waitForMoto(moto, motoPort, log, false);
            }
            return new Emulators(sqs, URI.create("http://" + HOST + ":" + sqsPort),
                    moto, URI.create("http://" + HOST + ":" + motoPort), log, shared);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(moto);
            stopQuietly(sqs);
            throw new IllegalStateException("interrupted while starting the emulators", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            destroyTree(moto);
            stopQuietly(sqs);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("could not start the SQS emulator (ElasticMQ): " + cause, cause);
        }
    }

    /**
     * Moto with DynamoDB's atomicity ({@code moto_atomic.py}: every DynamoDB operation under one lock),
     * run by the {@code python3} on PATH; if that Python has no moto (moto_server belongs to another
     * one), moto_server as it is.
     */
    private static Process startMoto(Path motoExecutable, int port, Path log) throws IOException {
        Optional<Path> python = findOnPath("python3");
        if (python.isPresent()) {
            String launcher;
            try (var in = Emulators.class.getResourceAsStream("moto_atomic.py")) {
                launcher = new String(Objects.requireNonNull(in, "moto_atomic.py").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            return moto(List.of(python.get().toString(), "-c", launcher, "-H", HOST, "-p", Integer.toString(port)), log);
        }
        return plainMoto(motoExecutable, port, log);
    }

    private static Process plainMoto(Path motoExecutable, int port, Path log) throws IOException {
        return moto(List.of(motoExecutable.toString(), "-H", HOST, "-p", Integer.toString(port)), log);
    }

    private static Process moto(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /** ElasticMQ and the actor system it runs on. */
    private record ElasticMq(ActorSystem actors, SQSRestServer server) {
        static ElasticMq start() {
            // Daemon threads: the emulator must never be what keeps a JVM from exiting (the shared one
            // is stopped by a shutdown hook, and shutdown hooks only run once the JVM exits).
            Config config = ConfigFactory.parseString("pekko.daemonic = on").withFallback(ConfigFactory.load());
            ActorSystem actors = ActorSystem.create("elasticmq", config);
            try {
                SQSRestServer server = SQSRestServerBuilder.withActorSystem(actors)
                        .withInterface(HOST)
                        .withDynamicPort()
                        .withAWSRegion(REGION)
                        .withAWSAccountId(ACCOUNT_ID)
                        .start(); // strict SQS limits; in ElasticMQ 1.7.1 they allow 1 MiB messages, as SQS does
                server.waitUntilStarted();
                return new ElasticMq(actors, server);
            } catch (RuntimeException e) {
                actors.terminate();
                throw e;
            }
        }

        int port() {
            return server.waitUntilStarted().localAddress().getPort();
        }

        void stop() {
            try {
                server.stopAndWait();
            } catch (RuntimeException e) {
                System.err.println("signet: stopping the SQS emulator failed: " + e);
            }
            try {
                actors.terminate();
                actors.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("signet: the SQS emulator did not stop within 10 s: " + e);
            }
        }
    }

    /** @return false if the process ended for want of moto and {@code mayFallBack} */
    private static boolean waitForMoto(Process moto, int port, Path log, boolean mayFallBack) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!moto.isAlive()) {
                if (mayFallBack && readQuietly(log).contains("No module named 'moto")) {
                    return false;
                }
                throw new IllegalStateException("moto_server exited with status " + moto.exitValue()
                        + " before answering on port " + port + "; its output is in " + log);
            }
            if (answers(port)) {
                return true;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("moto_server did not answer on 127.0.0.1:" + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s; its output is in " + log);
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Moto answers HTTP once it accepts connections; a TCP connect is enough to know it is up. */
    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : List.of(path.split(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path defaultLogDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "signet-local");
    }

    /** The endpoint for DynamoDB and Secrets Manager (moto). */
    public URI dynamoAndSecretsEndpoint() {
        return motoEndpoint;
    }

    /** The endpoint for SQS (ElasticMQ). */
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** Where moto's output goes. */
    public Path motoLog() {
        return motoLog;
    }

    public boolean isShared() {
        return shared;
    }

    /** Stops both emulators; does nothing on the {@link #shared()} instance (a shutdown hook stops it). */
    @Override
    public void close() {
        if (shared) {
            return;
        }
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing to remove
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        destroyTree(moto);
        stopQuietly(sqsServer);
    }

    private static void stopQuietly(ElasticMq sqs) {
        if (sqs != null) {
            sqs.stop();
        }
    }

    /** Stops the process and everything it started (a pyenv shim may sit between us and Python). */
    private static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
