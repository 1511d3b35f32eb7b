package dev.signet.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-rolled command-line arguments: words (the command) and {@code --name value} options, in any
 * order; {@code --name=value} works too. Flags (options without a value) are named up front.
 */
final class Args {
    static final Set<String> FLAGS = Set.of("help", "no-wait");

    final List<String> words = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final java.util.Map<String, String> env;

    private Args(Map<String, String> env) {
        this.env = env;
    }

    static Args parse(String[] argv, Map<String, String> env) {
        Args a = new Args(env);
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (s.equals("-h")) {
                a.options.put("help", "true");
            } else if (s.startsWith("--")) {
                String name = s.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    a.options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (FLAGS.contains(name)) {
                    a.options.put(name, "true");
                } else if (i + 1 < argv.length) {
                    a.options.put(name, argv[++i]);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
            } else {
                a.words.add(s);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The option, else the environment variable, else null. */
    String get(String name, String envName) {
        String v = options.get(name);
        if (v == null && envName != null) {
            v = env.get(envName);
        }
        return v == null || v.isBlank() ? null : v;
    }

    String get(String name) {
        return get(name, null);
    }

    String required(String name, String envName) {
        String v = get(name, envName);
        if (v == null) {
            throw new UsageException("--" + name + " is required" + (envName == null ? "" : " (or set " + envName + ")"));
        }
        return v;
    }

    int integer(String name, int fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a positive whole number");
    }

    /** Options that no command reads are mistakes (a typo must not silently change what runs). */
    void rejectUnknown(Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    /** A mistake in how the tool was called: exit 2 with the command's usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
