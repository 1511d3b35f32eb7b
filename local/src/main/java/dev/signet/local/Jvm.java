package dev.signet.local;

/** What local mode needs to know about the JVM it runs in. */
final class Jvm {
    private Jvm() {
    }

    /**
     * True once the JVM has begun to exit (Ctrl-C, end of a test run): shutdown hooks then run in no
     * set order, so the emulators may already be gone and errors from them are expected, not news.
     */
    static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
