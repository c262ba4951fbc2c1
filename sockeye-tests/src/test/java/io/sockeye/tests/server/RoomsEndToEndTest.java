package io.sockeye.tests.server;

import io.socket.client.Socket;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.server.Clients.ask;
import static io.sockeye.tests.server.Clients.code;
import static io.sockeye.tests.server.Clients.next;
import static io.sockeye.tests.server.Clients.ok;
import static io.sockeye.tests.server.Clients.publish;
import static io.sockeye.tests.server.Clients.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client protocol of the standalone server (docs/client-protocol.md) end to end, with the Java socket.io client
 * over both transports: the anonymous demo flow, permissions, fan-out with meta, binary, presence,
 * and refresh against real token expiry.
 */
@DisplayName("standalone server: rooms protocol")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RoomsEndToEndTest {

    /** Public rooms anyone may read and see, that members may write; a staff room for token grants only. */
    private static final String RULES = "[{pattern: 'public:*', subscribe: anyone, publish: authenticated,"
            + " presence: anyone, presence_enabled: true}]";

    private ServerUnderTest server;
    private Clients clients;

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerUnderTest s) {
        server = s;
        clients = new Clients(s.url());
    }

    @Test
    void theAnonymousDemoFlowWorksWithNoConfiguration() throws Exception {
        start(ServerUnderTest.start()); // no JWT key: anonymous access is on, as for the demo
        Socket ann = clients.connect(null, "polling");
        Socket bob = clients.connect(null, "websocket");
        assertThat(ok(ask(ann, "subscribe", "lobby"))).isTrue();
        assertThat(ok(ask(bob, "subscribe", "lobby"))).isTrue();
        BlockingQueue<Object[]> atAnn = record(ann, "chat");
        BlockingQueue<Object[]> atBob = record(bob, "chat");

        JSONObject sent = ask(bob, "publish", publish("lobby", "chat", new JSONObject().put("text", "hello")));
        for (BlockingQueue<Object[]> q : List.of(atAnn, atBob)) {
            Object[] args = next(q, "chat");
            assertThat(((JSONObject) args[0]).getString("text")).isEqualTo("hello");
            JSONObject meta = (JSONObject) args[1];
            assertThat(meta.getString("id")).isEqualTo(sent.getString("id"));
            assertThat(meta.get("from")).isEqualTo(JSONObject.NULL);
            assertThat(meta.getString("room")).isEqualTo("lobby");
            assertThat(meta.getLong("ts")).isPositive();
        }
        JSONObject presence = ask(ann, "presence", "lobby");
        assertThat(presence.getInt("count")).isEqualTo(2);
        assertThat(presence.getJSONArray("members").length()).as("anonymous: counted, not listed").isZero();
    }

    @Test
    void subscribeIsAllowedOrDeniedByRulesAndTokenGrants() throws Exception {
        start(ServerUnderTest.withJwt("--rooms", RULES));
        Socket anonymous = clients.anonymous();
        Socket staff = clients.connect(Tokens.withRooms("sam", Map.of("subscribe", List.of("staff:*"),
                "publish", List.of("staff:*"))));
        Socket member = clients.connect(Tokens.hs256("mia"));

        assertThat(ok(ask(anonymous, "subscribe", "public:news"))).isTrue();
        assertThat(code(ask(anonymous, "subscribe", "staff:room"))).isEqualTo("forbidden");
        assertThat(code(ask(anonymous, "publish", publish("public:news", "m", 1)))).isEqualTo("forbidden");
        assertThat(code(ask(member, "subscribe", "staff:room"))).isEqualTo("forbidden");
        assertThat(ok(ask(staff, "subscribe", "staff:room"))).isTrue();
        assertThat(ok(ask(member, "publish", publish("public:news", "m", 1)))).as("authenticated may publish").isTrue();
        assertThat(code(ask(member, "subscribe", "elsewhere"))).as("deny by default").isEqualTo("forbidden");
    }

    @Test
    void aPublishFansOutToEverySubscriberIncludingThePublisherWithMeta() throws Exception {
        start(ServerUnderTest.withJwt("--rooms", RULES));
        Socket alice = clients.connect(Tokens.hs256("alice"), "websocket");
        Socket bob = clients.connect(Tokens.hs256("bob"), "polling");
        Socket anonymous = clients.connect(null, "websocket");
        Socket elsewhere = clients.anonymous();
        for (Socket s : List.of(alice, bob, anonymous)) {
            assertThat(ok(ask(s, "subscribe", "public:chat"))).isTrue();
        }
        ask(elsewhere, "subscribe", "public:other");
        BlockingQueue<Object[]> notForElsewhere = record(elsewhere, "said");
        List<BlockingQueue<Object[]>> queues = List.of(record(alice, "said"), record(bob, "said"), record(anonymous, "said"));

        long before = System.currentTimeMillis();
        JSONObject reply = ask(alice, "publish", publish("public:chat", "said", new JSONObject().put("n", 1)));
        assertThat(reply.getBoolean("ok")).isTrue();
        for (BlockingQueue<Object[]> q : queues) {
            Object[] args = next(q, "said");
            assertThat(args).as("data, meta and the offset recovery appends").hasSize(3);
            assertThat(((JSONObject) args[0]).getInt("n")).isEqualTo(1);
            JSONObject meta = (JSONObject) args[1];
            assertThat(meta.getString("room")).isEqualTo("public:chat");
            assertThat(meta.getString("from")).isEqualTo("alice");
            assertThat(meta.getString("id")).isEqualTo(reply.getString("id"));
            assertThat(meta.getLong("ts")).isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
            assertThat(meta.getString("offset")).isEqualTo(args[2]).isEqualTo(reply.getString("offset"));
        }
        ask(elsewhere, "publish", publish("public:other", "x", 0));
        assertThat(notForElsewhere).isEmpty();
    }

    @Test
    void binaryDataInAPublishArrivesAsBinary() throws Exception {
        start(ServerUnderTest.start("--allow-anonymous"));
        Socket sender = clients.connect(null, "polling");
        Socket receiver = clients.connect(null, "websocket");
        ask(receiver, "subscribe", "files");
        BlockingQueue<Object[]> files = record(receiver, "file");

        JSONObject data = new JSONObject().put("name", "pic.png").put("bytes", new byte[] {(byte) 0x89, 'P', 'N', 'G'})
                .put("chunks", new JSONArray().put(new byte[] {1, 2}).put(new byte[0]));
        assertThat(ok(ask(sender, "publish", publish("files", "file", data)))).isTrue();

        JSONObject got = (JSONObject) next(files, "file")[0];
        assertThat((byte[]) got.get("bytes")).containsExactly(0x89, 'P', 'N', 'G');
        assertThat((byte[]) got.getJSONArray("chunks").get(0)).containsExactly(1, 2);
        assertThat((byte[]) got.getJSONArray("chunks").get(1)).isEmpty();
        assertThat(got.getString("name")).isEqualTo("pic.png");
    }

    @Test
    void presenceCountsConnectionsAndAnnouncesUsersJoiningAndLeaving() throws Exception {
        start(ServerUnderTest.withJwt("--rooms", RULES));
        Socket watcher = clients.anonymous();
        ask(watcher, "subscribe", "public:lobby");
        BlockingQueue<Object[]> joins = record(watcher, "presence:join");
        BlockingQueue<Object[]> leaves = record(watcher, "presence:leave");

        Socket alice1 = clients.connect(Tokens.hs256("alice"));
        Socket alice2 = clients.connect(Tokens.hs256("alice"));
        ask(alice1, "subscribe", "public:lobby");
        JSONObject join = (JSONObject) next(joins, "presence:join")[0];
        assertThat(join.getString("user")).isEqualTo("alice");
        assertThat(join.getString("room")).isEqualTo("public:lobby");
        ask(alice2, "subscribe", "public:lobby");

        JSONObject presence = ask(watcher, "presence", "public:lobby");
        assertThat(presence.getInt("count")).isEqualTo(3);
        assertThat(presence.getJSONArray("members").length()).isEqualTo(1);
        assertThat(presence.getJSONArray("members").getJSONObject(0).getInt("connections")).isEqualTo(2);

        alice1.disconnect();
        ask(alice2, "unsubscribe", "public:lobby");
        JSONObject leave = (JSONObject) next(leaves, "presence:leave")[0];
        assertThat(leave.getString("user")).isEqualTo("alice");
        assertThat(joins).as("alice's second connection is not a new join").isEmpty();
        assertThat(leaves).isEmpty();
    }

    @Test
    void aRefreshBeforeExpiryKeepsTheConnectionAndNoRefreshDisconnectsIt() throws Exception {
        // No clock skew: a connection lives exactly until its token's exp.
        start(ServerUnderTest.withJwt("--rooms", "[{pattern: '*', subscribe: authenticated}]", "--jwt-clock-skew", "0s"));
        Socket refreshed = clients.connect(Tokens.hs256("rita", Duration.ofSeconds(3), c -> { }));
        Socket lapsed = clients.connect(Tokens.hs256("liam", Duration.ofSeconds(3), c -> { }));
        BlockingQueue<Object[]> lapsedErrors = record(lapsed, "sockeye:error");
        BlockingQueue<Object[]> lapsedGone = record(lapsed, Socket.EVENT_DISCONNECT);
        BlockingQueue<Object[]> refreshedGone = record(refreshed, Socket.EVENT_DISCONNECT);

        JSONObject reply = ask(refreshed, "refresh",
                new JSONObject().put("token", Tokens.hs256("rita", Duration.ofHours(1), c -> { })));
        assertThat(reply.getBoolean("ok")).isTrue();
        assertThat(reply.getLong("exp")).isGreaterThan(System.currentTimeMillis() / 1000 + 3_000);

        // The lapsed connection's disconnect proves the expiry time has passed for both tokens.
        JSONObject why = (JSONObject) next(lapsedErrors, "sockeye:error before the expiry disconnect")[0];
        assertThat(why.getString("code")).isEqualTo("unauthorized");
        assertThat(why.getString("message")).isEqualTo("token expired");
        assertThat(next(lapsedGone, "disconnect of the lapsed connection")[0]).isEqualTo("io server disconnect");

        assertThat(ok(ask(refreshed, "subscribe", "still-here"))).isTrue();
        assertThat(refreshedGone).isEmpty();
    }
}
