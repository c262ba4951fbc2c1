package io.sockeye.server.rooms;

import io.socket.client.Socket;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.RoomRule;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.publishRequest;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static io.sockeye.server.rooms.RoomsHarness.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client protocol of docs/client-protocol.md with real Java socket.io clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientProtocolTest {

    private RoomsHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static String code(JSONObject reply) throws Exception {
        assertThat(reply.getBoolean("ok")).as("reply %s", reply).isFalse();
        assertThat(reply.length()).isEqualTo(2);
        JSONObject error = reply.getJSONObject("error");
        assertThat(error.length()).isEqualTo(2);
        assertThat(error.getString("message")).isNotEmpty();
        return error.getString("code");
    }

    @Test
    void subscribeAndUnsubscribeAnswerOkWithTheRoom() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();

        JSONObject subscribed = ask(client, "subscribe", "chat");
        assertThat(subscribed.getBoolean("ok")).isTrue();
        assertThat(subscribed.getString("room")).isEqualTo("chat");
        assertThat(subscribed.getString("offset")).as("the stream's position").matches("[0-9a-z]{8}\\.[0-9]{16}");
        assertThat(subscribed.length()).isEqualTo(3);
        assertThat(ask(client, "subscribe", "chat").getBoolean("ok")).as("subscribing twice is fine").isTrue();

        JSONObject unsubscribed = ask(client, "unsubscribe", "chat");
        assertThat(unsubscribed.getBoolean("ok")).isTrue();
        assertThat(unsubscribed.getString("room")).isEqualTo("chat");
        assertThat(code(ask(client, "unsubscribe", "chat"))).isEqualTo("not_subscribed");
    }

    @Test
    void publishDuringABusOutageReachesThisNodeAndTellsThePublisher() throws Exception {
        harness = RoomsHarness.anonymous();
        harness.rooms.clusterAvailability(() -> false);
        Socket alice = harness.connectAnonymous();
        ask(alice, "subscribe", "chat");
        BlockingQueue<Object[]> atAlice = record(alice, "message");

        JSONObject reply = ask(alice, "publish", publishRequest("chat", "message", 1));
        assertThat(reply.getBoolean("ok")).isFalse();
        assertThat(reply.getJSONObject("error").getString("code")).isEqualTo("unavailable");
        assertThat(reply.length()).as("ok, error and the id: %s", reply).isEqualTo(3);
        assertThat(((JSONObject) next(atAlice, "message")[1]).getString("id")).isEqualTo(reply.getString("id"));

        harness.rooms.clusterAvailability(() -> true);
        assertThat(ask(alice, "publish", publishRequest("chat", "message", 2)).getBoolean("ok")).isTrue();
    }

    @Test
    void publishReachesEverySubscriberIncludingThePublisherWithMeta() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket alice = harness.connect(token("alice"));
        Socket bob = harness.connectAnonymous();
        Socket outsider = harness.connectAnonymous();
        ask(alice, "subscribe", "chat");
        ask(bob, "subscribe", "chat");
        BlockingQueue<Object[]> atAlice = record(alice, "message");
        BlockingQueue<Object[]> atBob = record(bob, "message");
        BlockingQueue<Object[]> atOutsider = record(outsider, "message");

        JSONObject reply = ask(alice, "publish", publishRequest("chat", "message", new JSONObject().put("text", "hi")));
        assertThat(reply.getBoolean("ok")).isTrue();
        String id = reply.getString("id");
        assertThat(reply.getString("offset")).as("the message's offset").matches("[0-9a-z]{8}\\.[0-9]{16}");
        assertThat(reply.length()).isEqualTo(3);

        for (BlockingQueue<Object[]> queue : List.of(atAlice, atBob)) {
            Object[] args = next(queue, "message");
            assertThat(args).as("data, meta and the offset connection state recovery appends").hasSize(3);
            assertThat(((JSONObject) args[0]).getString("text")).isEqualTo("hi");
            JSONObject meta = (JSONObject) args[1];
            assertThat(meta.getString("room")).isEqualTo("chat");
            assertThat(meta.getString("from")).isEqualTo("alice");
            assertThat(meta.getString("id")).isEqualTo(id);
            assertThat(meta.getLong("ts")).isEqualTo(harness.clock.millis());
            assertThat(meta.getString("offset")).isEqualTo(args[2]).isEqualTo(reply.getString("offset"));
            assertThat(meta.length()).isEqualTo(5);
        }
        // The outsider is checked after the subscribers got theirs: a publish is one broadcast.
        assertThat(ask(outsider, "subscribe", "other").getBoolean("ok")).isTrue();
        assertThat(atOutsider).isEmpty();
    }

    @Test
    void anonymousPublisherIsFromNullAndIdsAreUnique() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        ask(client, "subscribe", "chat");
        BlockingQueue<Object[]> received = record(client, "note");

        String first = ask(client, "publish", publishRequest("chat", "note", 1)).getString("id");
        String second = ask(client, "publish", publishRequest("chat", "note", 2)).getString("id");
        assertThat(first).isNotEqualTo(second);

        Object[] args = next(received, "note");
        assertThat(args[0]).isEqualTo(1);
        assertThat(((JSONObject) args[1]).get("from")).isEqualTo(JSONObject.NULL);
        assertThat(next(received, "note")[0]).isEqualTo(2);
    }

    @Test
    void binaryDataAnywhereInsideAPublishArrivesAsBinary() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        ask(client, "subscribe", "files");
        BlockingQueue<Object[]> received = record(client, "file");

        JSONObject data = new JSONObject().put("name", "a.bin").put("content", new byte[] {1, 2, 3})
                .put("parts", new JSONArray().put(new byte[] {4}).put("text"));
        assertThat(ask(client, "publish", publishRequest("files", "file", data)).getBoolean("ok")).isTrue();

        JSONObject got = (JSONObject) next(received, "file")[0];
        assertThat(got.getString("name")).isEqualTo("a.bin");
        assertThat((byte[]) got.get("content")).containsExactly(1, 2, 3);
        assertThat((byte[]) got.getJSONArray("parts").get(0)).containsExactly(4);
    }

    @Test
    void invalidRoomNamesAreRefusedWithInvalid() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        assertThat(code(ask(client, "subscribe", "with space"))).isEqualTo("invalid");
        assertThat(code(ask(client, "subscribe", ""))).isEqualTo("invalid");
        assertThat(code(ask(client, "subscribe", "r".repeat(201)))).isEqualTo("invalid");
        assertThat(code(ask(client, "subscribe", 42))).isEqualTo("invalid");
        assertThat(code(ask(client, "subscribe"))).isEqualTo("invalid");
        assertThat(code(ask(client, "unsubscribe", "bad#room"))).isEqualTo("invalid");
        assertThat(code(ask(client, "presence", "bad room"))).isEqualTo("invalid");
        assertThat(code(ask(client, "publish", publishRequest("bad room", "e", 1)))).isEqualTo("invalid");
        assertThat(ask(client, "subscribe", "r".repeat(200)).getBoolean("ok")).isTrue();
    }

    @Test
    void reservedEventNamesAndMalformedPublishesAreInvalid() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        for (String event : List.of("subscribe", "unsubscribe", "publish", "presence", "refresh",
                "presence:join", "presence:leave", "connect", "disconnect", "sockeye:error")) {
            assertThat(code(ask(client, "publish", publishRequest("chat", event, 1)))).as(event).isEqualTo("invalid");
        }
        assertThat(code(ask(client, "publish", "not an object"))).isEqualTo("invalid");
        assertThat(code(ask(client, "publish", new JSONObject().put("room", "chat")))).isEqualTo("invalid");
    }

    @Test
    void subscribeAndPublishFollowThePermissions() throws Exception {
        harness = RoomsHarness.withRules(List.of(
                new RoomRule("public:*", Access.ANYONE, Access.AUTHENTICATED, Access.ANYONE, true),
                new RoomRule("user:{sub}", Access.OWNER, Access.NONE, Access.OWNER, false)));
        Socket anonymous = harness.connectAnonymous();
        Socket alice = harness.connect(token("alice", Duration.ofHours(1),
                Map.of("subscribe", List.of("team:*"), "publish", List.of("team:red"))));

        assertThat(ask(anonymous, "subscribe", "public:news").getBoolean("ok")).isTrue();
        assertThat(code(ask(anonymous, "publish", publishRequest("public:news", "m", 1)))).isEqualTo("forbidden");
        assertThat(code(ask(anonymous, "subscribe", "team:red"))).isEqualTo("forbidden");
        assertThat(code(ask(anonymous, "subscribe", "user:alice"))).isEqualTo("forbidden");

        assertThat(ask(alice, "subscribe", "team:blue").getBoolean("ok")).as("granted by the token").isTrue();
        assertThat(ask(alice, "subscribe", "user:alice").getBoolean("ok")).as("owner").isTrue();
        assertThat(code(ask(alice, "subscribe", "user:bob"))).isEqualTo("forbidden");
        assertThat(code(ask(alice, "subscribe", "elsewhere"))).as("deny by default").isEqualTo("forbidden");
        assertThat(code(ask(alice, "publish", publishRequest("team:blue", "m", 1)))).isEqualTo("forbidden");

        // Publishing needs the publish permission, not a subscription.
        BlockingQueue<Object[]> atAnonymous = record(anonymous, "m");
        assertThat(ask(alice, "publish", publishRequest("public:news", "m", "hello")).getBoolean("ok")).isTrue();
        assertThat(ask(alice, "publish", publishRequest("team:red", "m", "red")).getBoolean("ok")).isTrue();
        assertThat(next(atAnonymous, "m")[0]).isEqualTo("hello");
    }

    @Test
    void anAuthenticatedConnectionIsInItsPersonalRoom() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket alice1 = harness.connect(token("alice"));
        Socket alice2 = harness.connect(token("alice"));
        BlockingQueue<Object[]> at1 = record(alice1, "direct");
        BlockingQueue<Object[]> at2 = record(alice2, "direct");

        harness.rooms.publish("user:alice", "direct", "for you", null);
        assertThat(next(at1, "direct")[0]).isEqualTo("for you");
        assertThat(((JSONObject) next(at2, "direct")[1]).getString("room")).isEqualTo("user:alice");
    }

    @Test
    void aRequestWithoutAckIsIgnored() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        client.emit("subscribe", "chat");
        // Requests of one connection are handled in order: once this one is answered, the first was seen.
        assertThat(ask(client, "presence", "chat").getInt("count")).isZero();
        assertThat(code(ask(client, "unsubscribe", "chat"))).isEqualTo("not_subscribed");
    }

    @Test
    void unsubscribedConnectionsNoLongerReceive() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket leaver = harness.connectAnonymous();
        Socket stayer = harness.connectAnonymous();
        ask(leaver, "subscribe", "chat");
        ask(stayer, "subscribe", "chat");
        ask(leaver, "unsubscribe", "chat");
        BlockingQueue<Object[]> atLeaver = record(leaver, "m");
        BlockingQueue<Object[]> atStayer = record(stayer, "m");

        ask(stayer, "publish", publishRequest("chat", "m", 1));
        assertThat(next(atStayer, "m")[0]).isEqualTo(1);
        ask(leaver, "publish", publishRequest("elsewhere", "m", 2));
        assertThat(atLeaver).isEmpty();
    }

    @Test
    void presenceCountsConnectionsAndGroupsUsers() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket alice1 = harness.connect(token("alice"));
        Socket alice2 = harness.connect(token("alice"));
        Socket bob = harness.connect(token("bob"));
        Socket anonymous = harness.connectAnonymous();
        for (Socket s : List.of(alice1, alice2, bob, anonymous)) {
            ask(s, "subscribe", "lobby");
        }

        JSONObject presence = ask(anonymous, "presence", "lobby");
        assertThat(presence.getBoolean("ok")).isTrue();
        assertThat(presence.getString("room")).isEqualTo("lobby");
        assertThat(presence.getInt("count")).isEqualTo(4);
        JSONArray members = presence.getJSONArray("members");
        assertThat(members.length()).isEqualTo(2);
        assertThat(members.getJSONObject(0).getString("user")).isEqualTo("alice");
        assertThat(members.getJSONObject(0).getInt("connections")).isEqualTo(2);
        assertThat(members.getJSONObject(1).getString("user")).isEqualTo("bob");
        assertThat(members.getJSONObject(1).getInt("connections")).isEqualTo(1);
        assertThat(presence.length()).isEqualTo(4);
    }

    @Test
    void presenceEventsMarkAUsersFirstJoinAndLastLeave() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket watcher = harness.connectAnonymous();
        ask(watcher, "subscribe", "lobby");
        BlockingQueue<Object[]> joins = record(watcher, "presence:join");
        BlockingQueue<Object[]> leaves = record(watcher, "presence:leave");

        Socket bob1 = harness.connect(token("bob"));
        Socket bob2 = harness.connect(token("bob"));
        ask(bob1, "subscribe", "lobby");
        JSONObject join = (JSONObject) next(joins, "presence:join")[0];
        assertThat(join.getString("room")).isEqualTo("lobby");
        assertThat(join.getString("user")).isEqualTo("bob");
        assertThat(join.length()).isEqualTo(2);

        ask(bob2, "subscribe", "lobby");
        ask(bob1, "unsubscribe", "lobby");
        Socket anonymous = harness.connectAnonymous();
        ask(anonymous, "subscribe", "lobby");
        bob2.disconnect();
        JSONObject leave = (JSONObject) next(leaves, "presence:leave")[0];
        assertThat(leave.getString("user")).isEqualTo("bob");
        assertThat(joins).as("bob's second connection and the anonymous one are not announced").isEmpty();
        assertThat(leaves).isEmpty();
    }

    @Test
    void presenceNeedsPermissionAndAnEnabledRoom() throws Exception {
        harness = RoomsHarness.withRules(List.of(
                new RoomRule("quiet", Access.ANYONE, Access.ANYONE, Access.ANYONE, false),
                new RoomRule("secret", Access.ANYONE, Access.ANYONE, Access.AUTHENTICATED, true)));
        Socket anonymous = harness.connectAnonymous();
        assertThat(code(ask(anonymous, "presence", "quiet"))).isEqualTo("forbidden");
        assertThat(code(ask(anonymous, "presence", "secret"))).isEqualTo("forbidden");
        Socket alice = harness.connect(token("alice"));
        assertThat(ask(alice, "presence", "secret").getBoolean("ok")).isTrue();
    }

    @Test
    void disconnectedConnectionsLeavePresence() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket observer = harness.connectAnonymous();
        Socket carol = harness.connect(token("carol"));
        ask(carol, "subscribe", "lobby");
        assertThat(ask(observer, "presence", "lobby").getInt("count")).isEqualTo(1);
        carol.disconnect();
        await().atMost(RoomsHarness.WAIT_SECONDS, TimeUnit.SECONDS)
                .until(() -> ask(observer, "presence", "lobby").getInt("count") == 0);
        assertThat(harness.rooms.stats().connections()).isEqualTo(1);
    }
}
