package io.sockeye.core.adapter;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.protocol.socket.SocketPacket;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nodes, event loops and helpers for {@link AdapterConformanceKit}: starts N adapters of one cluster,
 * each with a {@link RecordingNamespace}, and stops everything after each test.
 */
public abstract class ClusterFixture {

    /** Upper bound for anything asynchronous (brokers are other processes); tests poll, they never sleep. */
    protected static final Duration AWAIT = Duration.ofSeconds(30);
    /** The node timeout of the tests that wait for a silent node to leave; the others never expire one. */
    protected static final Duration DEPARTURE_TIMEOUT = Duration.ofSeconds(3);

    private final List<EventExecutor> loops = new ArrayList<>();
    private final List<Node> started = new ArrayList<>();
    private final AtomicInteger flushes = new AtomicInteger();
    private ClusterNodeFactory factory;

    /** The backend under test: a fresh cluster for each test. */
    protected abstract ClusterNodeFactory nodes();

    /**
     * The options the kit creates cluster adapters with: a node timeout and a request timeout long enough
     * never to fire by accident, also when a loaded machine pauses a JVM or a broker for seconds (the tests
     * of a node's departure shorten the node timeout: {@link #departureOptions()}).
     */
    protected ClusterAdapterOptions options() {
        return ClusterAdapterOptions.defaults()
                .withRequestsTimeout(Duration.ofSeconds(30))
                .withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /**
     * {@link #options()} with heartbeats (when enabled) that expire a silent node within a test:
     * {@link #DEPARTURE_TIMEOUT}, thirty heartbeat intervals, so that a live node is not expired by a pause.
     */
    protected final ClusterAdapterOptions departureOptions() {
        ClusterAdapterOptions options = options();
        return options.heartbeatsEnabled()
                ? options.withHeartbeat(options.heartbeatInterval(), DEPARTURE_TIMEOUT) : options;
    }

    /** One node of the cluster: a namespace and its adapter (and its recovery backend, when asked for). */
    protected final class Node {
        final RecordingNamespace namespace;
        final Adapter adapter;
        RecoveryBackend recovery;
        private int nextLoop;

        Node(RecordingNamespace namespace, Adapter adapter) {
            this.namespace = namespace;
            this.adapter = adapter;
        }

        /** Connects a socket; sockets alternate between two event loops. */
        RecordingSocket connect() {
            return namespace.connect(loops.get(nextLoop++ % loops.size()));
        }

        List<RecordingSocket> connect(int count) {
            List<RecordingSocket> sockets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sockets.add(connect());
            }
            return sockets;
        }

        int serverCount() {
            return adapter.serverCount().join();
        }
    }

    @BeforeEach
    final void startFixture() {
        factory = nodes();
        loops.add(new DefaultEventExecutor());
        loops.add(new DefaultEventExecutor());
    }

    @AfterEach
    final void stopFixture() {
        try {
            // Obligation of every adapter: LocalSocket methods run on the socket's event loop.
            for (Node node : started) {
                assertThat(node.namespace.offLoopCalls()).as("socket calls off the socket's event loop").isZero();
            }
        } finally {
            for (Node node : started) {
                catchThrowable(() -> node.adapter.close().get(30, TimeUnit.SECONDS));
            }
            factory.close();
            for (EventExecutor loop : loops) {
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /** Skips the test when the backend cannot form a cluster of {@code count} nodes. */
    protected final void requireNodes(int count) {
        assumeTrue(factory.maxNodes() >= count, "needs " + count + " nodes");
    }

    /** Starts up to {@code count} nodes of namespace "/" (fewer if the backend cannot) and waits until they see each other. */
    protected final List<Node> cluster(int count) {
        return cluster(count, "/", options());
    }

    protected final List<Node> cluster(int count, String nsp, ClusterAdapterOptions options) {
        int size = Math.min(count, factory.maxNodes());
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(startNode(nsp, options));
        }
        awaitServerCount(nodes, size);
        return nodes;
    }

    protected final Node startNode(String nsp, ClusterAdapterOptions options) {
        return startNode(nsp, options, null);
    }

    /** Starts a node; with {@code recovery} set, asks the adapter for its recovery backend before init. */
    protected final Node startNode(String nsp, ClusterAdapterOptions options, RecoveryContext recovery) {
        RecordingNamespace namespace = new RecordingNamespace(nsp);
        Adapter adapter = factory.create(namespace, options);
        namespace.attach(adapter);
        Node node = new Node(namespace, adapter);
        started.add(node);
        if (recovery != null) {
            node.recovery = adapter.recovery(recovery);
        }
        assertThat(adapter.init()).succeedsWithin(AWAIT);
        return node;
    }

    /** How many nodes the backend can form. */
    protected final int maxNodes() {
        return factory.maxNodes();
    }

    /** What the backend under test claims about connection state recovery. */
    protected final ClusterNodeFactory.RecoveryMode recoveryMode() {
        return factory.recovery();
    }

    protected final void kill(Node node) {
        factory.kill(node.adapter);
    }

    protected final void awaitServerCount(List<Node> nodes, int expected) {
        eventually(() -> assertThat(nodes).allSatisfy(n -> assertThat(n.serverCount()).isEqualTo(expected)));
    }

    protected static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion);
    }

    /** An EVENT packet of the node's namespace. */
    protected static SocketPacket event(Node node, Object... eventAndArgs) {
        return SocketPacket.event(node.namespace.name(), List.of(eventAndArgs));
    }

    /** The connected sockets of the nodes. */
    protected static List<RecordingSocket> socketsOf(List<Node> nodes) {
        List<RecordingSocket> sockets = new ArrayList<>();
        for (Node node : nodes) {
            node.namespace.sockets().forEach(s -> sockets.add((RecordingSocket) s));
        }
        return sockets;
    }

    /**
     * Waits until everything {@code from} broadcast before has been delivered: broadcasts a marker to
     * all and waits for it on every connected socket. Valid because a publisher's messages reach each
     * node in order and each node writes to a socket in order.
     */
    protected final void flush(Node from, List<Node> nodes) {
        String marker = "flush-" + flushes.incrementAndGet();
        from.adapter.broadcast(event(from, marker), BroadcastOptions.ALL);
        String text = from.namespace.text(marker);
        List<RecordingSocket> sockets = socketsOf(nodes);
        eventually(() -> assertThat(sockets).allSatisfy(s -> assertThat(s.count(text)).isEqualTo(1)));
    }

    /** The {@link AdapterTimeoutException} the future fails with. */
    protected static AdapterTimeoutException timeoutOf(CompletableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(AdapterTimeoutException.class);
        return (AdapterTimeoutException) thrown.getCause();
    }

    protected static BroadcastOptions withTimeout(BroadcastOptions opts, Duration timeout) {
        return opts.withFlags(opts.flags().withTimeout(timeout));
    }
}
