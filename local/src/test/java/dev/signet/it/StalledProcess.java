package dev.signet.it;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Freezes an emulator process (SIGSTOP) and thaws it (SIGCONT): its port still accepts connections
 * (the kernel queues them) but nothing answers, which is what a throttled, stalled or unreachable AWS
 * endpoint looks like to a client with timeouts. For fault injection at the port level.
 */
final class StalledProcess implements AutoCloseable {
    private final List<ProcessHandle> processes;
    private boolean stopped;

    private StalledProcess(List<ProcessHandle> processes) {
        this.processes = processes;
    }

    /** The moto_server listening on {@code port}, and any process it started. */
    static StalledProcess motoOn(int port) {
        ProcessHandle moto = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("moto_server") && c.contains("-p " + port)).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no moto_server on port " + port));
        return new StalledProcess(Stream.concat(Stream.of(moto), moto.descendants()).toList());
    }

    StalledProcess stop() {
        signal("STOP");
        stopped = true;
        return this;
    }

    void resume() {
        if (stopped) {
            signal("CONT");
            stopped = false;
        }
    }

    private void signal(String name) {
        for (ProcessHandle p : processes) {
            try {
                int exit = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start().waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("kill -" + name + " " + p.pid() + " exited " + exit);
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not signal " + p.pid(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Never leaves an emulator frozen behind a failed test. */
    @Override
    public void close() {
        resume();
    }
}
