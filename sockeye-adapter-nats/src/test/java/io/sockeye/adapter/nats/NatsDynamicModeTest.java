package io.sockeye.adapter.nats;

import io.sockeye.adapter.nats.TestNodes.Node;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.RecordingSocket;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sockeye.adapter.nats.TestNodes.eventually;
import static io.sockeye.adapter.nats.TestNodes.settle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic mode against a real nats-server: a node receives the broadcasts of a room only while it has
 * members in it. Traffic is counted with the factory's broadcast counters; "nothing
 * arrived" is checked after a later broadcast to everyone from the same publisher did arrive.
 */
class NatsDynamicModeTest {

    private static final NatsAdapterOptions DYNAMIC = NatsAdapterOptions.builder()
            .subscriptionMode(SubscriptionMode.DYNAMIC)
            // No node leaves here: a node timeout no pause of a loaded machine reaches.
            .cluster(ClusterAdapterOptions.defaults().withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(30)))
            .build();

    private static NatsServer server;
    private final TestNodes cluster = new TestNodes();
    private int markers;

    @BeforeAll
    static void startNats() {
        server = NatsServer.start();
    }

    @AfterAll
    static void stopNats() {
        server.close();
    }

    @AfterEach
    void stopNodes() {
        cluster.close();
    }

    @Test
    void nodeWithoutMembersReceivesNoBroadcastsForTheRoom() {
        Node a = cluster.start(server.url(), DYNAMIC);
        Node b = cluster.start(server.url(), DYNAMIC);
        Node c = cluster.start(server.url(), DYNAMIC);
        cluster.awaitServerCount(List.of(a, b, c), 3);
        RecordingSocket inA = join(a, "game");
        RecordingSocket inB = join(b, "game");
        RecordingSocket outsider = cluster.connect(c);
        settle(b);
        long bBefore = b.nats().counters().broadcastsReceived.sum();
        long cBefore = c.nats().counters().broadcastsReceived.sum();

        for (int i = 0; i < 20; i++) {
            a.adapter().broadcast(event("move", i), BroadcastOptions.to(Set.of("game")));
        }
        flush(a, List.of(a, b, c));

        for (int i = 0; i < 20; i++) {
            String text = a.namespace().text("move", i);
            assertThat(inA.count(text)).isEqualTo(1);
            assertThat(inB.count(text)).isEqualTo(1);
            assertThat(outsider.count(text)).isZero();
        }
        // Node c got the marker only; node b the 20 moves and the marker.
        assertThat(c.nats().counters().broadcastsReceived.sum() - cBefore).isEqualTo(1);
        assertThat(b.nats().counters().broadcastsReceived.sum() - bBefore).isEqualTo(21);
        assertThat(a.nats().stats().roomSubscriptions()).isEqualTo(1);
        assertThat(b.nats().stats().roomSubscriptions()).isEqualTo(1);
        assertThat(c.nats().stats().roomSubscriptions()).isZero();
    }

    @Test
    void roomSubscriptionFollowsTheLocalRoomAndIgnoresSocketIdRooms() {
        Node a = cluster.start(server.url(), DYNAMIC);
        Node b = cluster.start(server.url(), DYNAMIC);
        cluster.awaitServerCount(List.of(a, b), 2);
        RecordingSocket s1 = cluster.connect(b);
        RecordingSocket s2 = cluster.connect(b);
        assertThat(b.nats().stats().roomSubscriptions()).as("a socket's own room has no subject").isZero();

        b.adapter().addAll(s1.id(), Set.of("r"));
        b.adapter().addAll(s2.id(), Set.of("r"));
        assertThat(b.nats().stats().roomSubscriptions()).isEqualTo(1);
        b.adapter().del(s1.id(), "r");
        assertThat(b.nats().stats().roomSubscriptions()).isEqualTo(1);
        b.adapter().delAll(s2.id());
        assertThat(b.nats().stats().roomSubscriptions()).isZero();
        settle(b);
        long before = b.nats().counters().broadcastsReceived.sum();

        a.adapter().broadcast(event("after-leave"), BroadcastOptions.to(Set.of("r")));
        flush(a, List.of(a, b));

        assertThat(b.nats().counters().broadcastsReceived.sum() - before).as("the marker only").isEqualTo(1);
    }

    @Test
    void roomNamesWithSubjectSyntaxReachTheirOwnMembersOnly() {
        Node a = cluster.start(server.url(), DYNAMIC);
        Node b = cluster.start(server.url(), DYNAMIC);
        cluster.awaitServerCount(List.of(a, b), 2);
        List<String> rooms = List.of("a.b", "a", "b", "*", ">", "a.*", "a.>", "with space", "", "_2E", ".", "é");
        Map<String, RecordingSocket> members = new LinkedHashMap<>();
        for (String room : rooms) {
            members.put(room, join(b, room));
        }
        settle(b);

        for (String room : rooms) {
            a.adapter().broadcast(event("to", room), BroadcastOptions.to(Set.of(room)));
        }
        flush(a, List.of(a, b));

        members.forEach((room, socket) -> {
            for (String other : rooms) {
                assertThat(socket.count(a.namespace().text("to", other)))
                        .as("socket of room '%s' receiving the broadcast to '%s'", room, other)
                        .isEqualTo(other.equals(room) ? 1 : 0);
            }
        });
    }

    @Test
    void broadcastToSeveralRoomsCrossesTheBusOnceAndReachesEachSocketOnce() {
        Node a = cluster.start(server.url(), DYNAMIC);
        Node b = cluster.start(server.url(), DYNAMIC);
        Node c = cluster.start(server.url(), DYNAMIC);
        cluster.awaitServerCount(List.of(a, b, c), 3);
        RecordingSocket inBoth = join(b, "r1");
        b.adapter().addAll(inBoth.id(), Set.of("r2"));
        RecordingSocket inR2 = join(b, "r2");
        // A socket on c, in no room, so that flush() waits for c to have processed the broadcasts too.
        cluster.connect(c);
        settle(b);
        long aPublished = a.nats().counters().broadcastsPublished.sum();
        long cBefore = c.nats().counters().broadcastsReceived.sum();

        a.adapter().broadcast(event("both"), BroadcastOptions.to(Set.of("r1", "r2")));
        flush(a, List.of(a, b, c));

        String text = a.namespace().text("both");
        assertThat(inBoth.count(text)).isEqualTo(1);
        assertThat(inR2.count(text)).isEqualTo(1);
        // One publish (on the namespace subject) plus the marker; every node hears it, c included.
        assertThat(a.nats().counters().broadcastsPublished.sum() - aPublished).isEqualTo(2);
        assertThat(c.nats().counters().broadcastsReceived.sum() - cBefore).isEqualTo(2);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private RecordingSocket join(Node node, String room) {
        RecordingSocket socket = cluster.connect(node);
        node.adapter().addAll(socket.id(), Set.of(room));
        return socket;
    }

    private static SocketPacket event(Object... eventAndArgs) {
        return SocketPacket.event("/", List.of(eventAndArgs));
    }

    /**
     * Broadcasts a marker to everyone from {@code from} and waits until every socket has it: then all
     * that {@code from} published before has been delivered (one publisher's messages stay in order).
     */
    private void flush(Node from, List<Node> nodes) {
        String marker = "marker-" + (++markers);
        from.adapter().broadcast(event(marker), BroadcastOptions.ALL);
        String text = from.namespace().text(marker);
        eventually(() -> {
            for (Node node : nodes) {
                node.namespace().sockets().forEach(s ->
                        assertThat(((RecordingSocket) s).count(text)).as("marker on %s", s).isEqualTo(1));
            }
        });
    }
}
