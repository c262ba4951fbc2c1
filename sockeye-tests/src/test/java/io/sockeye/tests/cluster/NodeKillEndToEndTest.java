package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.tests.app.LaunchedServer;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.cluster.SockeyeCluster.WAIT_SECONDS;
import static io.sockeye.tests.cluster.SockeyeCluster.ask;
import static io.sockeye.tests.cluster.SockeyeCluster.next;
import static io.sockeye.tests.cluster.SockeyeCluster.publishRequest;
import static io.sockeye.tests.cluster.SockeyeCluster.record;
import static io.sockeye.tests.cluster.SockeyeCluster.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that dies without a goodbye: three nodes over Redis, the third a real {@code bin/sockeye}
 * process, killed with SIGKILL (no shutdown hook runs, Redis only sees its connections close). The two
 * survivors run in this JVM, so the test reads the server count they see (Redis's subscriber count, as
 * socket.io's redis-adapter does); it drops to 2, room broadcasts between the survivors go on, and the
 * cluster-wide queries (the HTTP API's {@code /api/rooms}, {@code presence}) answer from the survivors
 * instead of waiting for the dead node until the request timeout (they would then answer 503).
 */
@DisplayName("cluster: a node killed with SIGKILL")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeKillEndToEndTest {

    private BusProcess redis;
    private SockeyeCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aKilledNodeLeavesTheServerCountAndTheSurvivorsCarryOn(@TempDir Path dir) throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(2, "--redis-url", redis.url());
        LaunchedServer victim = cluster.launch(dir, "sockeye-victim", "--redis-url", redis.url());
        ProcessHandle jvm = ProcessHandle.of(victim.process().pid()).orElseThrow();
        assertThat(jvm.info().command()).as("the launcher execs java: the pid is the server's")
                .hasValueSatisfying(command -> assertThat(Path.of(command).getFileName()).hasToString("java"));

        Socket alice = cluster.connect(1, "alice");
        Socket bob = cluster.connect(2, "bob");
        Socket carol = cluster.connect(victim.url(), "carol");
        for (Socket s : List.of(alice, bob, carol)) {
            subscribe(s, "lobby");
        }
        awaitServerCount(3);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(
                () -> assertThat(lobbyCount(cluster.api(1, "GET", "/api/rooms", null))).isEqualTo(3));

        jvm.destroyForcibly();
        await("victim exits").atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !jvm.isAlive());
        awaitServerCount(2);

        // Asked once, not polled: a query still waiting for the dead node would fail with 503 after the
        // request timeout; answered from the survivors, it lists their two members.
        SockeyeCluster.ApiReply rooms = cluster.api(1, "GET", "/api/rooms", null);
        assertThat(rooms.status()).as("%s", rooms.body()).isEqualTo(200);
        assertThat(lobbyCount(rooms)).as("%s", rooms.body()).isEqualTo(2);
        JSONObject presence = ask(bob, "presence", "lobby");
        assertThat(presence.getBoolean("ok")).as("%s", presence).isTrue();
        assertThat(presence.getInt("count")).as("%s", presence).isEqualTo(2);

        BlockingQueue<Object[]> atBob = record(bob, "chat");
        BlockingQueue<Object[]> atAlice = record(alice, "chat");
        assertThat(ask(alice, "publish", publishRequest("lobby", "chat", "still here")).getBoolean("ok")).isTrue();
        assertThat(next(atBob, "chat from node 1 after the kill")[0]).isEqualTo("still here");
        assertThat(ask(bob, "publish", publishRequest("lobby", "chat", "me too")).getBoolean("ok")).isTrue();
        assertThat(next(atAlice, "own chat")[0]).isEqualTo("still here");
        assertThat(next(atAlice, "chat from node 2 after the kill")[0]).isEqualTo("me too");
    }

    /**
     * Both survivors count {@code expected} servers (this node included): in the adapter, and in the
     * {@code sockeye_cluster_nodes} metric an operator would watch.
     */
    private void awaitServerCount(int expected) {
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            for (int node = 1; node <= 2; node++) {
                RedisAdapterFactory redisFactory = (RedisAdapterFactory) cluster.node(node).cluster().adapterFactory();
                assertThat(redisFactory.adapter("/").serverCount().get(WAIT_SECONDS, TimeUnit.SECONDS))
                        .as("server count seen by node %d", node).isEqualTo(expected);
                assertThat(cluster.metric(node, "sockeye_cluster_nodes"))
                        .as("sockeye_cluster_nodes of node %d", node).isEqualTo((double) expected);
            }
        });
    }

    private static int lobbyCount(SockeyeCluster.ApiReply reply) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return SockeyeCluster.roomCount(reply.body(), "lobby");
    }
}
