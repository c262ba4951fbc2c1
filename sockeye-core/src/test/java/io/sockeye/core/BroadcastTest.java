package io.sockeye.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Rooms, broadcast operators, broadcast acks and the namespace-level socket operations. */
class BroadcastTest {

    private SocketIoHarness harness;
    private final Map<String, Socket> byName = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        harness = new SocketIoHarness();
        // The client names itself in its auth payload, and rooms come from it too.
        harness.io.on("connection", socket -> {
            Map<String, Object> auth = socket.handshake().auth();
            Object rooms = auth.get("rooms");
            if (rooms instanceof List<?> list) {
                list.forEach(room -> socket.join(room.toString()));
            }
            byName.put((String) auth.get("name"), socket);
            socket.on("shout", (args, ack) -> socket.broadcast().emit("shout", args.toArray()));
            socket.on("tell", (args, ack) -> socket.to(args.getString(0)).emit("told", args.get(1)));
        });
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private InMemoryEngineSocket client(String name, String... rooms) {
        InMemoryEngineSocket session = harness.open();
        StringBuilder list = new StringBuilder();
        for (String room : rooms) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(room).append('"');
        }
        session.receive("0{\"name\":\"" + name + "\",\"rooms\":[" + list + "]}");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        await().atMost(Duration.ofSeconds(30)).until(() -> byName.containsKey(name));
        return session;
    }

    @Test
    void emitsToRoomsUnitedExceptExcluded() {
        InMemoryEngineSocket a = client("a", "r1");
        InMemoryEngineSocket b = client("b", "r2");
        InMemoryEngineSocket c = client("c", "r1", "r3");
        InMemoryEngineSocket d = client("d");

        harness.io.to("r1").to("r2").except("r3").emit("news", 1);
        assertThat(a.nextText()).isEqualTo("2[\"news\",1]");
        assertThat(b.nextText()).isEqualTo("2[\"news\",1]");
        harness.io.emit("all", "x");
        for (InMemoryEngineSocket s : List.of(a, b, c, d)) {
            assertThat(s.nextText()).isEqualTo("2[\"all\",\"x\"]"); // c and d got no "news"
        }
    }

    @Test
    void operatorsAreImmutable() {
        InMemoryEngineSocket a = client("a", "r1");
        InMemoryEngineSocket b = client("b", "r2");
        BroadcastOperator toR1 = harness.io.to("r1");
        BroadcastOperator toBoth = toR1.to("r2");
        toR1.emit("one");
        assertThat(a.nextText()).isEqualTo("2[\"one\"]");
        b.assertNothingSent();
        toBoth.emit("both");
        assertThat(a.nextText()).isEqualTo("2[\"both\"]");
        assertThat(b.nextText()).isEqualTo("2[\"both\"]");
    }

    @Test
    void socketBroadcastsExcludeTheSocketItself() {
        InMemoryEngineSocket a = client("a", "r1");
        InMemoryEngineSocket b = client("b", "r1");
        InMemoryEngineSocket c = client("c");
        a.receive("2[\"tell\",\"r1\",\"hi\"]");
        assertThat(b.nextText()).isEqualTo("2[\"told\",\"hi\"]");
        a.receive("2[\"shout\",\"hey\"]");
        assertThat(b.nextText()).isEqualTo("2[\"shout\",\"hey\"]");
        assertThat(c.nextText()).isEqualTo("2[\"shout\",\"hey\"]");
        a.assertNothingSent();
    }

    @Test
    void socketIdIsARoomAndRoomsAreReadable() {
        client("a", "r1");
        Socket a = byName.get("a");
        assertThat(a.rooms()).containsExactlyInAnyOrder(a.id(), "r1");
        a.leave("r1");
        a.join("r2", "r3");
        assertThat(a.rooms()).containsExactlyInAnyOrder(a.id(), "r2", "r3");
    }

    @Test
    void emitToSocketIdReachesOnlyThatSocket() {
        InMemoryEngineSocket a = client("a");
        InMemoryEngineSocket b = client("b");
        harness.io.to(byName.get("b").id()).emit("private", true);
        assertThat(b.nextText()).isEqualTo("2[\"private\",true]");
        a.assertNothingSent();
    }

    @Test
    void volatilePacketsAreDroppedForSlowConnections() {
        InMemoryEngineSocket fast = client("fast");
        InMemoryEngineSocket slow = client("slow");
        slow.setWritable(false);
        harness.io.asVolatile().emit("tick", 1);
        byName.get("slow").asVolatile().emit("tick", 2);
        assertThat(fast.nextText()).isEqualTo("2[\"tick\",1]");
        slow.assertNothingSent();
        harness.io.emit("reliable");
        assertThat(slow.nextText()).isEqualTo("2[\"reliable\"]");
    }

    @Test
    void namespacesAreIsolated() {
        harness.io.of("/chat");
        InMemoryEngineSocket main = client("main");
        InMemoryEngineSocket chat = harness.connect("/chat");
        harness.io.of("/chat").emit("chat-only");
        assertThat(chat.nextText()).isEqualTo("2/chat,[\"chat-only\"]");
        main.assertNothingSent();
    }

    @Test
    void broadcastAckCollectsOneReplyPerClient() {
        InMemoryEngineSocket a = client("a", "r");
        InMemoryEngineSocket b = client("b", "r");
        var replies = harness.io.to("r").timeout(Duration.ofSeconds(30)).emitWithAck("q", 1);
        String packetA = a.nextText();
        String packetB = b.nextText();
        assertThat(packetA).matches("2\\d+\\[\"q\",1]").isEqualTo(packetB); // one id shared by all
        String id = packetA.substring(1, packetA.indexOf('['));
        a.receive("3" + id + "[\"from-a\"]");
        b.receive("3" + id + "[\"from-b\",2]");
        List<String> first = new ArrayList<>();
        replies.join().forEach(r -> first.add(r.getString(0)));
        assertThat(first).containsExactlyInAnyOrder("from-a", "from-b");
    }

    @Test
    void broadcastAckTimeoutCarriesPartialReplies() {
        InMemoryEngineSocket a = client("a");
        InMemoryEngineSocket b = client("b");
        // long enough for a's reply to beat it even on a cold, loaded machine; b's silence decides the outcome
        var replies = harness.io.timeout(Duration.ofSeconds(3)).emitWithAck("q");
        String packet = a.nextText();
        b.nextText(); // b never answers
        a.receive("3" + packet.substring(1, packet.indexOf('[')) + "[\"only-a\"]");
        assertThatThrownBy(replies::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(AckTimeoutException.class,
                        e -> assertThat(e.replies()).containsExactly(Args.of("only-a")));
    }

    @Test
    void broadcastAckWithoutTimeoutIsRefused() {
        assertThatThrownBy(() -> harness.io.emitWithAck("q")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void broadcastAckToNobodyCompletesEmpty() {
        assertThat(harness.io.to("empty").timeout(Duration.ofSeconds(5)).emitWithAck("q").join()).isEmpty();
    }

    @Test
    void namespaceLevelSocketOperations() {
        InMemoryEngineSocket a = client("a", "r1");
        InMemoryEngineSocket b = client("b");
        // These run on each socket's event loop, so they land shortly after the call.
        harness.io.socketsJoin("all");
        await().atMost(Duration.ofSeconds(30)).until(() -> byName.get("a").rooms().contains("all") && byName.get("b").rooms().contains("all"));
        harness.io.in("r1").socketsLeave("all");
        await().atMost(Duration.ofSeconds(30)).until(() -> !byName.get("a").rooms().contains("all"));
        assertThat(byName.get("b").rooms()).contains("all");

        byName.get("a").data().put("user", "alice");
        List<RemoteSocket> found = harness.io.in("r1").fetchSockets().join();
        assertThat(found).hasSize(1);
        RemoteSocket remote = found.get(0);
        assertThat(remote.id()).isEqualTo(byName.get("a").id());
        assertThat(remote.rooms()).contains("r1");
        assertThat(remote.data()).containsEntry("user", "alice");
        assertThat(remote.handshake().auth()).containsEntry("name", "a");
        remote.emit("direct", 1);
        assertThat(a.nextText()).isEqualTo("2[\"direct\",1]");
        remote.join("vip");
        await().atMost(Duration.ofSeconds(30)).until(() -> byName.get("a").rooms().contains("vip"));

        harness.io.except("vip").disconnectSockets(false);
        assertThat(b.nextText()).isEqualTo("1");
        await().atMost(Duration.ofSeconds(30)).until(() -> !byName.get("b").connected());
        assertThat(byName.get("a").connected()).isTrue();
        remote.disconnect(true);
        assertThat(a.nextText()).isEqualTo("1");
        assertThat(a.awaitClosed()).isEqualTo(DisconnectReason.FORCED_SERVER_CLOSE);
    }
}
