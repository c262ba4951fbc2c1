package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import io.sockeye.core.RemoteSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

/** Three standalone nodes on one real {@code nats-server} ({@code --nats-url}) behave as one server. */
@DisplayName("cluster: three standalone nodes over NATS")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NatsClusterEndToEndTest {

    private BusProcess nats;
    private SockeyeCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void publishesAndHttpApiPublishesReachSubscribersOnEveryNode() throws Exception {
        nats = BusProcess.nats();
        cluster = SockeyeCluster.start(3, "--nats-url", nats.url());
        Socket alice = cluster.connect(1, "alice");
        Socket bob = cluster.connect(2, "bob");
        Socket carol = cluster.connect(3, "carol");
        for (Socket s : List.of(alice, bob, carol)) {
            subscribe(s, "lobby");
        }
        BlockingQueue<Object[]> atAlice = record(alice, "chat");
        BlockingQueue<Object[]> atBob = record(bob, "chat");
        BlockingQueue<Object[]> atCarol = record(carol, "chat");

        JSONObject sent = ask(alice, "publish", publishRequest("lobby", "chat", "from node 1"));
        assertThat(sent.getBoolean("ok")).as("%s", sent).isTrue();
        for (BlockingQueue<Object[]> q : List.of(atAlice, atBob, atCarol)) {
            assertThat(next(q, "chat from node 1")[0]).isEqualTo("from node 1");
        }

        SockeyeCluster.ApiReply reply = cluster.api(3, "POST", "/api/publish",
                "{\"room\":\"lobby\",\"event\":\"chat\",\"data\":\"from the API of node 3\"}");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        for (BlockingQueue<Object[]> q : List.of(atAlice, atBob, atCarol)) {
            assertThat(next(q, "chat from node 3's API")[0]).isEqualTo("from the API of node 3");
        }

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            List<RemoteSocket> sockets = cluster.node(2).io().fetchSockets().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(sockets).extracting(s -> s.data().get("user")).containsExactlyInAnyOrder("alice", "bob", "carol");
        });
    }
}
