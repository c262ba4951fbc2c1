package io.sockeye.core.adapter;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.Parser;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** {@link ClusterAdapter} details beyond the conformance kit, on the in-process bus. */
class ClusterAdapterTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);
    // No test here waits for a node to leave: a node timeout no pause of a loaded machine reaches.
    private static final ClusterAdapterOptions OPTIONS = ClusterAdapterOptions.defaults()
            .withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(30));

    private final InProcessBus bus = new InProcessBus();
    private final EventExecutor loop = new DefaultEventExecutor();
    private final List<ClusterAdapter> adapters = new ArrayList<>();

    @AfterEach
    void stop() {
        adapters.forEach(a -> a.close().join());
        bus.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private RecordingNamespace node(AdapterFactory factory) {
        RecordingNamespace namespace = new RecordingNamespace("/");
        ClusterAdapter adapter = (ClusterAdapter) factory.create(namespace);
        namespace.attach(adapter);
        adapters.add(adapter);
        assertThat(adapter.init()).succeedsWithin(AWAIT);
        return namespace;
    }

    private void awaitServers(int count, RecordingNamespace... nodes) {
        await().atMost(AWAIT).untilAsserted(() -> {
            for (RecordingNamespace node : nodes) {
                assertThat(node.adapter().serverCount().join()).isEqualTo(count);
            }
        });
    }

    @Test
    void aBroadcastReachesJsonAndMsgpackRecipientsOnEveryNode() {
        RecordingNamespace first = node(bus.adapterFactory(OPTIONS));
        RecordingNamespace second = node(bus.adapterFactory(OPTIONS));
        awaitServers(2, first, second);
        RecordingSocket localJson = first.connect(loop);
        RecordingSocket localMsgpack = first.connect(loop).parser(Parser.MSGPACK);
        RecordingSocket remoteJson = second.connect(loop);
        RecordingSocket remoteMsgpack = second.connect(loop).parser(Parser.MSGPACK);

        first.adapter().broadcast(SocketPacket.event("/", List.of("news", 1)), BroadcastOptions.ALL);

        await().atMost(AWAIT).untilAsserted(() -> {
            assertThat(localJson.texts()).containsExactly("2[\"news\",1]");
            assertThat(remoteJson.texts()).containsExactly("2[\"news\",1]");
            assertThat(localMsgpack.msgpackWritten()).hasSize(1);
            assertThat(remoteMsgpack.msgpackWritten()).hasSize(1);
        });
        MsgpackPacketDecoder decoder = new MsgpackPacketDecoder();
        SocketPacket expected = SocketPacket.event("/", List.of("news", 1));
        assertThat(decoder.decode(localMsgpack.msgpackWritten().get(0))).isEqualTo(expected);
        assertThat(decoder.decode(remoteMsgpack.msgpackWritten().get(0))).isEqualTo(expected);
    }

    @Test
    void dropsItsOwnMessagesAndServesMessagesFromOutsideTheCluster() {
        RecordingNamespace namespace = node(bus.adapterFactory(OPTIONS));
        InProcessClusterAdapter adapter = (InProcessClusterAdapter) namespace.adapter();
        RecordingSocket socket = namespace.connect(loop);

        adapter.receive(new ClusterMessage(adapter.uid(), "/",
                new ClusterPayload.Broadcast(SocketPacket.event("/", List.of("echo")), BroadcastOptions.ALL, null)), null);
        // An emitter publishes without uid: delivered, never answered.
        adapter.receive(new ClusterMessage(null, "/",
                new ClusterPayload.Broadcast(SocketPacket.event("/", List.of("from-emitter")), BroadcastOptions.ALL, null)), null);

        await().atMost(AWAIT).untilAsserted(() -> assertThat(socket.texts()).containsExactly("2[\"from-emitter\"]"));
        assertThat(adapter.serverCount()).isCompletedWithValue(1);
    }

    @Test
    void anEmittersMessagesAreDeliveredButTheEmitterIsNoNode() {
        RecordingNamespace namespace = node(bus.adapterFactory(OPTIONS));
        InProcessClusterAdapter adapter = (InProcessClusterAdapter) namespace.adapter();
        RecordingSocket socket = namespace.connect(loop);

        // socket.io's emitters sign with uid "emitter": counting it as a node would make every cluster
        // request wait for an answer an emitter never sends.
        adapter.receive(new ClusterMessage(ClusterAdapter.EMITTER_UID, "/",
                new ClusterPayload.Broadcast(SocketPacket.event("/", List.of("news")), BroadcastOptions.ALL, null)), null);

        await().atMost(AWAIT).untilAsserted(() -> assertThat(socket.texts()).containsExactly("2[\"news\"]"));
        assertThat(adapter.serverCount()).isCompletedWithValue(1);
        assertThat(adapter.fetchSockets(BroadcastOptions.ALL)).succeedsWithin(AWAIT);
    }

    @Test
    void closingFailsTheRequestsStillWaiting() {
        RecordingNamespace first = node(bus.adapterFactory(OPTIONS.withRequestsTimeout(Duration.ofMinutes(1))));
        RecordingNamespace second = node(bus.adapterFactory(OPTIONS));
        awaitServers(2, first, second); // second never answers server-side emits

        CompletableFuture<List<Object>> replies = first.adapter().serverSideEmitWithAck(List.of("ping"), null);
        await().atMost(AWAIT).until(() -> !second.serverSideEmits().isEmpty());
        first.adapter().close().join();

        Throwable thrown = catchThrowable(() -> replies.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void backendWithoutHeartbeatsMustCountServersItself() {
        RecordingNamespace namespace = new RecordingNamespace("/");
        ClusterAdapter silent = new ClusterAdapter(namespace, OPTIONS.withHeartbeat(null, null)) {
            @Override
            protected CompletableFuture<Void> doInit() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            protected CompletableFuture<Void> doClose() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            protected CompletableFuture<String> doPublish(ClusterMessage message) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            protected void doPublishResponse(String requesterUid, ClusterMessage response) {
            }
        };

        assertThat(silent.serverCount()).isCompletedExceptionally();
        assertThat(silent.uid()).matches("[0-9a-f]{16}");
    }

    @Test
    void requestIgnoresASecondResponseFromTheSameNode() {
        PendingRequest request = PendingRequest.byCount("r1", 2, List.of("local"));

        assertThat(request.onResponse("node-a", List.of("a1"))).isFalse();
        assertThat(request.onResponse("node-a", List.of("a1-again"))).isFalse();
        assertThat(request.onResponse("node-b", List.of("b1"))).isTrue();

        assertThat(request.future()).isCompletedWithValue(List.of("local", "a1", "b1"));
    }

    @Test
    void requestKeepsResultsOfNodesItDidNotWaitFor() {
        PendingRequest request = PendingRequest.byNode("r2", Set.of("a", "b"), List.of());

        request.onResponse("newcomer", List.of("n"));
        request.onResponse("a", List.of("x"));
        assertThat(request.future()).isNotDone();
        request.onNodeGone("b");

        assertThat(request.future()).isCompletedWithValue(List.of("n", "x"));
    }

    @Test
    void broadcastAcksMayArriveBeforeTheirClientCount() {
        BroadcastAckCollector collector = new BroadcastAckCollector(2, Duration.ofMinutes(1));

        collector.onAck(List.of("early"));
        collector.onClientCount(1);
        assertThat(collector.result()).isNotDone();
        collector.onClientCount(0);

        assertThat(collector.result()).isCompletedWithValue(List.of(List.of("early")));
    }
}
