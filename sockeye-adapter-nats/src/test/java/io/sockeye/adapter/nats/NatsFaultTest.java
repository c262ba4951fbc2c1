package io.sockeye.adapter.nats;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sockeye.adapter.nats.TestNodes.Node;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.RecordingSocket;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sockeye.adapter.nats.TestNodes.AWAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static io.sockeye.adapter.nats.TestNodes.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The bus going away and nodes dying, against a real nats-server that the tests kill (SIGKILL) and
 * restart on the same port.
 */
class NatsFaultTest {

    private final TestNodes cluster = new TestNodes();
    private NatsServer server;
    private ScheduledExecutorService ticker;

    @AfterEach
    void stopEverything() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        cluster.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void localDeliveryContinuesClusterOperationsFailFastAndDeliveryResumesAfterNatsRestarts() throws Exception {
        server = NatsServer.start();
        NatsAdapterOptions options = NatsAdapterOptions.builder()
                // a long node timeout keeps the other node counted through the outage, so requests are sent
                .cluster(ClusterAdapterOptions.defaults().withRequestsTimeout(Duration.ofSeconds(30))
                        .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(30)))
                .reconnectWait(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        Node a = cluster.start(server.url(), options);
        Node b = cluster.start(server.url(), options);
        cluster.awaitServerCount(List.of(a, b), 2);
        RecordingSocket onA = cluster.connect(a);
        RecordingSocket onB = cluster.connect(b);

        // Node a publishes all the time, before, during and after the outage.
        AtomicInteger sent = new AtomicInteger();
        ticker = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<?> publishing = ticker.scheduleAtFixedRate(() ->
                a.adapter().broadcast(SocketPacket.event("/", List.of("tick", sent.incrementAndGet())), BroadcastOptions.ALL),
                0, 5, TimeUnit.MILLISECONDS);
        eventually(() -> assertThat(ticks(onB)).isGreaterThan(10));

        server.kill();
        eventually(() -> assertThat(a.nats().isConnected() || b.nats().isConnected()).isFalse());

        // Local delivery continues: every tick still reaches the socket on node a.
        int sentAtOutage = sent.get();
        eventually(() -> assertThat(ticks(onA)).isGreaterThan(sentAtOutage + 20));
        // Cluster operations fail at once with a clear error, instead of waiting for the 30 s timeout.
        CompletableFuture<?> fetch = a.adapter().fetchSockets(BroadcastOptions.ALL);
        CompletableFuture<?> emit = a.adapter().serverSideEmitWithAck(List.of("ping"), null);
        assertThatThrownBy(() -> fetch.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NatsUnavailableException.class)
                .hasMessageContaining("NATS connection is").hasMessageContaining("FETCH_SOCKETS");
        assertThatThrownBy(() -> emit.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS))
                .cause().isInstanceOf(NatsUnavailableException.class);
        assertThat(a.nats().isConnected()).isFalse();
        assertThat(a.nats().stats().publishErrors()).isGreaterThan(0);

        server.restart();
        eventually(() -> assertThat(a.nats().isConnected() && b.nats().isConnected()).isTrue());

        // The client resubscribed by itself: new ticks reach node b again.
        long ticksOnBAtRestart = ticks(onB);
        eventually(() -> assertThat(ticks(onB)).isGreaterThan(ticksOnBAtRestart + 10));
        cluster.awaitServerCount(List.of(a, b), 2);
        assertThat(a.adapter().fetchSockets(BroadcastOptions.ALL)).succeedsWithin(AWAIT)
                .satisfies(sockets -> assertThat(sockets).hasSize(2));
        assertThat(publishing.isDone()).as("the publishing task never threw").isFalse();
        assertThat(a.nats().stats().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(ticks(onA)).isLessThanOrEqualTo(sent.get());
    }

    @Test
    void aMessageThatIsNotAClusterMessageIsCountedAndDroppedWithoutDisturbingTheNamespace() throws Exception {
        server = NatsServer.start();
        Node a = cluster.start(server.url(), NatsAdapterOptions.defaults());
        Node b = cluster.start(server.url(), NatsAdapterOptions.defaults());
        cluster.awaitServerCount(List.of(a, b), 2);
        RecordingSocket onB = cluster.connect(b);
        String all = new Subjects(a.nats().options().subjectPrefix(), "/").all();

        // Garbage, a JSON message of the wrong shape, and msgpack announcing 2 GB, from a stranger on the subject.
        Connection stranger = Nats.connect(server.url());
        try {
            stranger.publish(all, "not a cluster message".getBytes(UTF_8));
            stranger.publish(all, "{\"type\":3,\"data\":{},\"nsp\":\"/\"}".getBytes(UTF_8));
            stranger.publish(all, HexFormat.of().parseHex("c67fffffff00"));
            stranger.flush(AWAIT);
        } finally {
            stranger.close();
        }

        eventually(() -> assertThat(b.nats().stats().receiveErrors()).isEqualTo(3));
        a.adapter().broadcast(SocketPacket.event("/", List.of("after")), BroadcastOptions.ALL);
        String after = a.namespace().text("after");
        eventually(() -> assertThat(onB.count(after)).isEqualTo(1));
    }

    @Test
    void crashedNodeLeavesServerCountWithinTheHeartbeatTimeout() throws Exception {
        server = NatsServer.start();
        // Thirty intervals: a pause of a loaded machine does not expire the live nodes.
        Duration interval = Duration.ofMillis(100);
        Duration timeout = Duration.ofSeconds(3);
        NatsAdapterOptions options = NatsAdapterOptions.builder()
                .cluster(ClusterAdapterOptions.defaults().withHeartbeat(interval, timeout))
                .build();
        Node a = cluster.start(server.url(), options);
        Node b = cluster.start(server.url(), options);
        Node crashed = cluster.start(server.url(), options);
        cluster.awaitServerCount(List.of(a, b, crashed), 3);

        // A crash: the connection goes away, no ADAPTER_CLOSE is ever sent.
        crashed.nats().connection().close();

        // Documented bound: heartbeatTimeout + heartbeatInterval; a loaded machine may take longer to notice,
        // so this checks that the crashed node leaves, not how fast.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    assertThat(a.serverCount()).isEqualTo(2);
                    assertThat(b.serverCount()).isEqualTo(2);
                });
    }

    @Test
    void namespaceStartedDuringAnOutageJoinsTheClusterAsSoonAsNatsIsBack() {
        server = NatsServer.start();
        // Heartbeats far apart: only the announcement made on reconnect can introduce the new node in time.
        NatsAdapterOptions options = NatsAdapterOptions.builder()
                .cluster(ClusterAdapterOptions.defaults().withHeartbeat(Duration.ofMinutes(1), Duration.ofMinutes(2)))
                .reconnectWait(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        Node a = cluster.start(server.url(), options);
        Node b = cluster.start(server.url(), options);
        cluster.awaitServerCount(List.of(a, b), 2);
        NatsAdapterFactory lateNats = NatsAdapterFactory.connect(server.url(), options.toBuilder()
                .subjectPrefix(a.nats().options().subjectPrefix()).build());

        server.kill();
        eventually(() -> assertThat(lateNats.isConnected()).isFalse());
        Node late = cluster.adopt(lateNats); // its adapter starts while NATS is down
        server.restart();

        cluster.awaitServerCount(List.of(a, b, late), 3);
    }

    @Test
    void connectingToAServerThatIsNotThereFailsAtOnce() {
        String nowhere = "nats://127.0.0.1:" + FreePorts.next();

        assertThatThrownBy(() -> NatsAdapterFactory.connect(nowhere, NatsAdapterOptions.defaults()))
                .isInstanceOf(NatsUnavailableException.class).hasMessageContaining("cannot connect to NATS");
    }

    private static long ticks(RecordingSocket socket) {
        return socket.texts().stream().filter(t -> t.startsWith("2[\"tick\"")).count();
    }
}
