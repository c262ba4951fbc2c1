package io.sockeye.adapter.nats;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.RecordingNamespace;

import io.sockeye.core.adapter.RecordingSocket;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Sockeye nodes for the NATS tests beyond the conformance kit: each node is a
 * {@link NatsAdapterFactory} with its own connection and a {@link RecordingNamespace} "/" on it.
 * Everything is closed by {@link #close()}.
 */
final class TestNodes implements AutoCloseable {

    static final Duration AWAIT = Duration.ofSeconds(30);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final EventExecutor loop = new DefaultEventExecutor();
    private final List<Node> nodes = new ArrayList<>();
    private final String prefix = "t" + ProcessHandle.current().pid() + "x" + PREFIXES.incrementAndGet();

    /** One node: its NATS factory and its namespace "/". */
    record Node(NatsAdapterFactory nats, RecordingNamespace namespace) {
        Adapter adapter() {
            return namespace.adapter();
        }

        int serverCount() {
            return adapter().serverCount().join();
        }
    }

    /** A node on {@code url}, with {@code options} (the subject prefix is this cluster's). */
    Node start(String url, NatsAdapterOptions options) {
        return adopt(NatsAdapterFactory.connect(url, options.toBuilder().subjectPrefix(prefix).build()));
    }

    /** A node on a factory made by the test (with this cluster's prefix); closed with the others. */
    Node adopt(NatsAdapterFactory nats) {
        Node node = new Node(nats, RecordingNamespace.start("/", nats, AWAIT));
        nodes.add(node);
        return node;
    }

    RecordingSocket connect(Node node) {
        return node.namespace().connect(loop);
    }

    void awaitServerCount(List<Node> group, int expected) {
        eventually(() -> group.forEach(n -> {
            if (n.serverCount() != expected) {
                throw new AssertionError("serverCount " + n.serverCount() + " on a node, expected " + expected);
            }
        }));
    }

    static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion);
    }

    /** Waits until NATS has processed everything {@code node} sent so far (its subscriptions included). */
    static void settle(Node node) {
        try {
            node.nats().connection().flush(AWAIT);
        } catch (Exception e) {
            throw new AssertionError("NATS flush failed", e);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            try {
                node.adapter().close().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a killed node may fail to say goodbye; closing the factory below is what matters
            }
            node.nats().close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
