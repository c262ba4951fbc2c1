package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import io.sockeye.core.Args;
import io.sockeye.core.RemoteSocket;
import io.sockeye.server.config.ConfigException;
import io.sockeye.testkit.FreePorts;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.cluster.SockeyeCluster.WAIT_SECONDS;
import static io.sockeye.tests.cluster.SockeyeCluster.ask;
import static io.sockeye.tests.cluster.SockeyeCluster.next;
import static io.sockeye.tests.cluster.SockeyeCluster.publishRequest;
import static io.sockeye.tests.cluster.SockeyeCluster.record;
import static io.sockeye.tests.cluster.SockeyeCluster.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three standalone Sockeye nodes on one real {@code redis-server} ({@code --redis-url}, classic mode)
 * behave as one server: publishes from clients and from the HTTP API of any node reach subscribers on
 * every node, presence and room listings count every node, {@code /api/disconnect} finds a user
 * wherever it is connected, and the core API ({@code fetchSockets}, {@code serverSideEmit}) spans the
 * nodes.
 *
 * <p>Queries that count other nodes poll: right after the start a node's subscriptions may not be
 * confirmed yet, so its answer to another node's query may not be counted.
 */
@DisplayName("cluster: three standalone nodes over Redis")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisClusterEndToEndTest {

    private static BusProcess redis;
    private SockeyeCluster cluster;

    @BeforeAll
    static void startRedis() {
        redis = BusProcess.redis();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void stopNodes() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private SockeyeCluster threeNodes(String redisUrl) {
        cluster = SockeyeCluster.start(3, "--redis-url", redisUrl);
        return cluster;
    }

    @Test
    void aClientPublishOnNodeOneReachesSubscribersOnNodesTwoAndThree() throws Exception {
        threeNodes(redis.url());
        assertPublishReachesEveryNode();
    }

    @Test
    void shardedModeCarriesPublishesBetweenNodesToo() throws Exception {
        threeNodes(redis.url() + "?mode=sharded");
        assertPublishReachesEveryNode();
    }

    private void assertPublishReachesEveryNode() throws Exception {
        Socket alice = cluster.connect(1, "alice");
        Socket bob = cluster.connect(2, "bob");
        Socket carol = cluster.connect(3, "carol");
        for (Socket s : List.of(alice, bob, carol)) {
            subscribe(s, "lobby");
        }
        BlockingQueue<Object[]> atBob = record(bob, "chat");
        BlockingQueue<Object[]> atCarol = record(carol, "chat");

        JSONObject sent = ask(alice, "publish", publishRequest("lobby", "chat", new JSONObject().put("text", "hi")));
        assertThat(sent.getBoolean("ok")).as("publish reply %s", sent).isTrue();
        for (BlockingQueue<Object[]> q : List.of(atBob, atCarol)) {
            Object[] args = next(q, "chat from node 1");
            assertThat(((JSONObject) args[0]).getString("text")).isEqualTo("hi");
            JSONObject meta = (JSONObject) args[1];
            assertThat(meta.getString("id")).isEqualTo(sent.getString("id"));
            assertThat(meta.getString("from")).isEqualTo("alice");
            assertThat(meta.getString("room")).isEqualTo("lobby");
        }
    }

    @Test
    void anHttpApiPublishOnNodeThreeReachesNodeOne() throws Exception {
        threeNodes(redis.url());
        Socket alice = cluster.connect(1, "alice");
        subscribe(alice, "news");
        BlockingQueue<Object[]> atAlice = record(alice, "headline");

        SockeyeCluster.ApiReply reply = cluster.api(3, "POST", "/api/publish",
                "{\"room\":\"news\",\"event\":\"headline\",\"data\":{\"title\":\"clustered\"}}");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        Object[] args = next(atAlice, "headline published on node 3");
        assertThat(((JSONObject) args[0]).getString("title")).isEqualTo("clustered");
        assertThat(((JSONObject) args[1]).getString("id")).isEqualTo(reply.body().get("id").asText());
    }

    @Test
    void presenceAndTheRoomListingCountEveryNode() throws Exception {
        threeNodes(redis.url());
        Socket alice = cluster.connect(1, "alice");
        Socket bob = cluster.connect(2, "bob");
        Socket bobAgain = cluster.connect(3, "bob");
        Socket carol = cluster.connect(3, "carol");
        for (Socket s : List.of(alice, bob, bobAgain)) {
            subscribe(s, "team");
        }

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            JSONObject presence = ask(carol, "presence", "team");
            assertThat(presence.getBoolean("ok")).as("%s", presence).isTrue();
            assertThat(presence.getInt("count")).as("%s", presence).isEqualTo(3);
            assertThat(presence.getJSONArray("members").toString())
                    .isEqualTo("[{\"user\":\"alice\",\"connections\":1},{\"user\":\"bob\",\"connections\":2}]");
        });
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            SockeyeCluster.ApiReply rooms = cluster.api(2, "GET", "/api/rooms", null);
            assertThat(rooms.status()).isEqualTo(200);
            assertThat(SockeyeCluster.roomCount(rooms.body(), "team")).as("%s", rooms.body()).isEqualTo(3);
        });
        SockeyeCluster.ApiReply presence = cluster.api(1, "GET", "/api/rooms/team/presence", null);
        assertThat(presence.status()).isEqualTo(200);
        assertThat(presence.body().get("count").asInt()).as("%s", presence.body()).isEqualTo(3);
    }

    @Test
    void apiDisconnectFindsTheUserOnWhicheverNodeItIs() throws Exception {
        threeNodes(redis.url());
        Socket aliceOnTwo = cluster.connect(2, "alice");
        Socket aliceOnThree = cluster.connect(3, "alice");
        Socket bob = cluster.connect(2, "bob");
        BlockingQueue<Object[]> goneTwo = record(aliceOnTwo, Socket.EVENT_DISCONNECT);
        BlockingQueue<Object[]> goneThree = record(aliceOnThree, Socket.EVENT_DISCONNECT);

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            // Polled until node 1 has heard of both other nodes; the count is of connections found.
            SockeyeCluster.ApiReply presence = cluster.api(1, "GET", "/api/rooms/user:alice/presence", null);
            assertThat(presence.body().get("count").asInt()).as("%s", presence.body()).isEqualTo(2);
        });
        SockeyeCluster.ApiReply reply = cluster.api(1, "POST", "/api/disconnect", "{\"user\":\"alice\"}");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("count").asInt()).isEqualTo(2);
        assertThat(next(goneTwo, "alice on node 2 disconnected")[0]).isEqualTo("io server disconnect");
        assertThat(next(goneThree, "alice on node 3 disconnected")[0]).isEqualTo("io server disconnect");
        assertThat(bob.connected()).as("bob stays").isTrue();
    }

    @Test
    void fetchSocketsAndServerSideEmitSpanTheNodes() throws Exception {
        threeNodes(redis.url());
        cluster.connect(1, "alice");
        cluster.connect(2, "bob");
        cluster.connect(3, "carol");
        List<String> heard = new CopyOnWriteArrayList<>();
        for (int n = 2; n <= 3; n++) {
            int node = n;
            cluster.node(n).io().of("/").on("ping", (args, ack) -> {
                heard.add("node" + node + ":" + args.getString(0));
                if (ack.requested()) {
                    ack.send("pong from node " + node);
                }
            });
        }

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            List<RemoteSocket> sockets = cluster.node(1).io().fetchSockets().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(sockets).extracting(s -> s.data().get("user")).containsExactlyInAnyOrder("alice", "bob", "carol");
        });

        cluster.node(1).io().serverSideEmit("ping", "hello");
        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                .untilAsserted(() -> assertThat(heard).containsExactlyInAnyOrder("node2:hello", "node3:hello"));

        List<Args> replies = cluster.node(1).io().serverSideEmitWithAck("ping", "again").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(replies).extracting(a -> a.getString(0))
                .containsExactlyInAnyOrder("pong from node 2", "pong from node 3");
    }

    @Test
    void aNodeRefusesToStartWhenRedisCannotBeReached() {
        int closedPort = FreePorts.next();
        assertThatThrownBy(() -> SockeyeCluster.start(1, "--redis-url",
                        "redis://127.0.0.1:" + closedPort))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis_url").hasMessageContaining("cannot connect to Redis at 127.0.0.1:" + closedPort);
    }
}
