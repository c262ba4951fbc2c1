package io.sockeye.adapter.nats;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A real {@code nats-server} (Debian package {@code nats-server}) on a free port of 127.0.0.1, as a
 * child process. It can be killed (SIGKILL, like a crash) and restarted on the same port.
 */
final class NatsServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private ChildProcess process;

    private NatsServer(int port) {
        this.port = port;
    }

    static NatsServer start() {
        NatsServer server = new NatsServer(FreePorts.next());
        server.restart();
        return server;
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port and waits until it accepts clients. */
    void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("nats-server is still running");
        }
        try {
            process = ChildProcess.command("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port))
                    .name("nats-server").start();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot start nats-server: install the Debian package "
                    + "'nats-server' (bin/install-test-deps does)", e);
        }
        process.awaitLine("Server is ready", START_TIMEOUT);
    }

    /** SIGKILL: the server vanishes without a goodbye, as in a crash. */
    void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.awaitExit(START_TIMEOUT);
        process.close();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
