package io.sockeye.core;

import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.InProcessBus;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.RecoveryFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sockeye.core.RecoveryHarness.withoutOffset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node-local recovery on a cluster adapter (the in-process bus standing in for NATS): every node keeps
 * what it delivers in its own stream, so a client recovers on the node it left — messages published on
 * other nodes included — and gets {@code recovered:false} on any other node. {@link Shared} runs a bus
 * with a shared stream and session store, as Redis provides.
 */
class RecoveryClusterTest {

    private final InProcessBus bus = new InProcessBus();
    private RecoveryHarness a;
    private RecoveryHarness b;

    @BeforeEach
    void start() {
        ClusterAdapterOptions options = ClusterAdapterOptions.defaults()
                .withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(30)); // no node leaves here
        a = new RecoveryHarness(HistoryBounds.defaults(RecoveryHarness.WINDOW), bus.adapterFactory(options));
        b = new RecoveryHarness(HistoryBounds.defaults(RecoveryHarness.WINDOW), bus.adapterFactory(options));
        await().atMost(Duration.ofSeconds(30)).until(() -> a.io.sockets().serverCount().join() == 2 && b.io.sockets().serverCount().join() == 2);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        bus.close();
    }

    private RecoveryHarness.Client droppedFromA() {
        RecoveryHarness.Client client = a.client().connect();
        client.call("join", "r");
        b.publish("r", "before");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"before\"]");
        client.drop();
        b.publish("r", "from b while away");
        // Each node's stream has the order in which that node delivered: let b's message reach a first.
        await().atMost(Duration.ofSeconds(30)).until(() -> a.metrics.count("historyAppended", "/") == 2);
        a.publish("r", "from a while away");
        return client;
    }

    @Test
    void recoversOnTheNodeItLeftWithMessagesPublishedOnEveryNode() {
        RecoveryHarness.Client client = droppedFromA();

        client.reconnect();

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"from b while away\"]");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"from a while away\"]");
        client.readConnect(client.next());
        assertThat(client.serverSocket().recovered()).isTrue();
    }

    @Test
    void anotherNodeAnswersRecoveredFalse() {
        RecoveryHarness.Client left = droppedFromA();
        RecoveryHarness.Client elsewhere = b.client();
        elsewhere.sid = left.sid;
        elsewhere.pid = left.pid;
        elsewhere.lastOffset = left.lastOffset;

        elsewhere.reconnect();

        elsewhere.assertFresh();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(b.metrics.count("recoveryFailed", "/", RecoveryFailure.UNKNOWN_SESSION)).isEqualTo(1));
    }

    @Test
    void privateEmitsDoNotCrossTheBusInNodeLocalMode() {
        RecoveryHarness.Client client = a.client().connect();
        long published = a.metrics.count("clusterPublished", "BROADCAST");
        client.serverSocket().emit("private", 1);
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"private\",1]");
        assertThat(a.metrics.count("clusterPublished", "BROADCAST")).isEqualTo(published);
    }

    /** A shared stream and session store: recovery on any node, also after the client's node died. */
    @org.junit.jupiter.api.Nested
    class Shared {

        private final InProcessBus shared = InProcessBus.withSharedRecovery();
        private RecoveryHarness one;
        private RecoveryHarness two;

        @BeforeEach
        void start() {
            ClusterAdapterOptions options = ClusterAdapterOptions.defaults()
                    .withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(30)); // no node leaves here
            one = new RecoveryHarness(HistoryBounds.defaults(RecoveryHarness.WINDOW), shared.adapterFactory(options));
            two = new RecoveryHarness(HistoryBounds.defaults(RecoveryHarness.WINDOW), shared.adapterFactory(options));
            await().atMost(Duration.ofSeconds(30)).until(() -> one.io.sockets().serverCount().join() == 2 && two.io.sockets().serverCount().join() == 2);
        }

        @AfterEach
        void stop() {
            one.close();
            two.close();
            shared.close();
        }

        /** The same session, presented to {@code node}. */
        private RecoveryHarness.Client movedTo(RecoveryHarness node, RecoveryHarness.Client from) {
            RecoveryHarness.Client moved = node.client();
            moved.sid = from.sid;
            moved.pid = from.pid;
            moved.lastOffset = from.lastOffset;
            return moved;
        }

        @Test
        void recoversOnAnotherNodeWithTheSameOffsets() {
            RecoveryHarness.Client client = one.client().connect();
            client.call("join", "r");
            two.publish("r", "seen");
            String seen = client.next();
            client.drop();
            one.publish("r", "from one");
            two.publish("r", "from two");

            RecoveryHarness.Client moved = movedTo(two, client);
            moved.reconnect();

            assertThat(withoutOffset(moved.next())).isEqualTo("2[\"news\",\"from one\"]");
            assertThat(withoutOffset(moved.next())).isEqualTo("2[\"news\",\"from two\"]");
            moved.readConnect(moved.next());
            assertThat(moved.sid).isEqualTo(client.sid);
            assertThat(moved.serverSocket().recovered()).isTrue();
            assertThat(moved.serverSocket().rooms()).contains("r");
            assertThat(RecoveryHarness.offsetOf(seen)).isLessThan(moved.lastOffset);
        }

        @Test
        void recoversAfterItsNodeDiedWithoutAWord() {
            RecoveryHarness.Client client = one.client().connect();
            client.call("join", "r"); // the record with its rooms is in the shared store already
            shared.disconnect(one.io.sockets() instanceof io.sockeye.core.internal.socket.NamespaceImpl nsp
                    ? nsp.adapter() : null);
            two.publish("r", "after the crash");

            RecoveryHarness.Client moved = movedTo(two, client);
            moved.reconnect();

            assertThat(withoutOffset(moved.next())).isEqualTo("2[\"news\",\"after the crash\"]");
            moved.readConnect(moved.next());
            assertThat(moved.serverSocket().recovered()).isTrue();
        }

        @Test
        void ghostOnAnotherNodeIsClosedAndItsEndDoesNotSpoilTheSession() {
            java.util.List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
            one.io.on("connection", socket -> socket.onDisconnect(reasons::add));
            RecoveryHarness.Client client = one.client().connect();
            client.call("join", "r");

            RecoveryHarness.Client moved = movedTo(two, client); // the old connection on one stays half-open
            moved.reconnect();
            moved.readConnect(moved.next());

            await().atMost(Duration.ofSeconds(30)).until(() -> reasons.contains(DisconnectReason.SERVER_NAMESPACE_DISCONNECT));
            assertThat(client.session.awaitClosed()).isNotNull();
            moved.drop();
            two.publish("r", "later");
            RecoveryHarness.Client again = movedTo(one, moved);
            again.reconnect();
            assertThat(withoutOffset(again.next())).isEqualTo("2[\"news\",\"later\"]");
            again.readConnect(again.next());
            assertThat(again.serverSocket().recovered()).isTrue();
        }
    }
}
