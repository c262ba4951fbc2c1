package io.sockeye.tests.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real message bus for a test's cluster: {@code redis-server} (Debian package {@code redis-server},
 * Redis 7) or {@code nats-server} (package {@code nats-server}) on a free port of 127.0.0.1, as a
 * child process stopped by {@link #close()}. Fault tests {@link #kill()} it and {@link #restart()} it on
 * the same port.
 */
public final class BusProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final String packageName;
    private final String readyLine;
    private final String[] command;
    private ChildProcess process;

    private BusProcess(String url, String packageName, String readyLine, String... command) {
        this.url = url;
        this.packageName = packageName;
        this.readyLine = readyLine;
        this.command = command;
        this.process = launch(packageName, readyLine, command);
    }

    /** The request channel of namespace "/" in the classic Redis format, which every node subscribes to. */
    private static final String REQUEST_CHANNEL = "socket.io-request#/#";

    /**
     * Waits until this Redis has confirmed the subscriptions of {@code nodes} nodes (Sockeye or Node.js,
     * classic format) to namespace "/": a node listens, and takes clients, before they are active, and a
     * broadcast published before then never reaches it. Every node subscribes to the namespace's request
     * channel after its broadcast pattern, on the same connection, so counting the former's subscribers
     * is enough.
     */
    public void awaitRedisNodes(int nodes) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    connection.sync().pubsubNumsub(REQUEST_CHANNEL).getOrDefault(REQUEST_CHANNEL, 0L) == nodes);
        } finally {
            client.shutdown();
        }
    }

    /** A Redis without persistence. */
    public static BusProcess redis() {
        int port = FreePorts.next();
        return new BusProcess("redis://127.0.0.1:" + port, "redis-server", "Ready to accept connections", "redis-server",
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
    }

    /**
     * A Redis that keeps what it acknowledged across a kill: append-only file synced on every write, in
     * {@code dir} (the gateway's forwarding tests restart it and count what survived).
     */
    public static BusProcess redisDurable(java.nio.file.Path dir) {
        int port = FreePorts.next();
        return new BusProcess("redis://127.0.0.1:" + port, "redis-server", "Ready to accept connections", "redis-server",
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--dir", dir.toString());
    }

    /** A NATS server with JetStream, storing streams in {@code dir}. */
    public static BusProcess natsJetStream(java.nio.file.Path dir) {
        int port = FreePorts.next();
        return new BusProcess("nats://127.0.0.1:" + port, "nats-server", "Server is ready", "nats-server",
                "-a", "127.0.0.1", "-p", String.valueOf(port), "-js", "-sd", dir.toString());
    }

    public static BusProcess nats() {
        int port = FreePorts.next();
        return new BusProcess("nats://127.0.0.1:" + port, "nats-server", "Server is ready", "nats-server",
                "-a", "127.0.0.1", "-p", String.valueOf(port));
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

    /** SIGKILL: the bus vanishes without a goodbye; returns once the process is gone. */
    public void kill() {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow(() -> new AssertionError("bus already gone"));
        handle.destroyForcibly();
        handle.onExit().orTimeout(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        process.close();
    }

    /** Starts the bus again on the same port (after {@link #kill()}). */
    public void restart() {
        process = launch(packageName, readyLine, command);
    }

    @Override
    public void close() {
        process.close();
    }
}
