package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A real message bus for a test's cluster: {@code redis-server} (Debian package {@code redis-server},
 * Redis 7) or {@code nats-server} (package {@code nats-server}) on a free port of 127.0.0.1, as a
 * child process stopped by {@link #close()}.
 */
public final class BusProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final String url;
    private final ChildProcess process;

    private BusProcess(String url, ChildProcess process) {
        this.url = url;
        this.process = process;
    }

    /** A Redis without persistence. */
    public static BusProcess redis() {
        int port = FreePorts.next();
        ChildProcess p = launch("redis-server", "Ready to accept connections", "redis-server", "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        return new BusProcess("redis://127.0.0.1:" + port, p);
    }

    public static BusProcess nats() {
        int port = FreePorts.next();
        ChildProcess p = launch("nats-server", "Server is ready", "nats-server", "-a", "127.0.0.1", "-p",
                String.valueOf(port));
        return new BusProcess("nats://127.0.0.1:" + port, p);
    }

    private static ChildProcess launch(String packageName, String readyLine, String... command) {
        ChildProcess p;
        try {
            p = ChildProcess.command(command).name(command[0]).start();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot start " + command[0] + ": install the Debian package '"
                    + packageName + "' (bin/install-test-deps does)", e);
        }
        p.awaitLine(readyLine, START_TIMEOUT);
        return p;
    }

    /** {@code redis://127.0.0.1:port} or {@code nats://127.0.0.1:port}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        process.close();
    }
}
