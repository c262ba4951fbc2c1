package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import io.sockeye.testkit.NodePeer;
import io.sockeye.tests.app.LaunchedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * The standalone server in a mixed cluster: a {@code bin/sockeye --redis-url} process and a Node.js
 * socket.io 4.8 server with {@code @socket.io/redis-adapter} 8.3 (classic, {@code peer.mjs}) on one
 * Redis. A standalone room is the Socket.IO room of that name in namespace {@code /}, so a publish
 * on Sockeye reaches a socket.io-client joined to the room on the Node server, {@code io.to(room).emit}
 * on Node reaches the Sockeye subscriber, and each side's cluster queries ({@code fetchSockets} on
 * Node, {@code /api/rooms} and presence on Sockeye) list the other side's sockets.
 */
@DisplayName("cluster: bin/sockeye and a Node.js socket.io server on one Redis")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StandaloneMixedClusterEndToEndTest {

    private BusProcess redis;
    private SockeyeCluster cluster;
    private NodePeer node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked") // the peer's JSON replies: lists and maps
    void roomsPublishesAndQueriesCrossBetweenSockeyeAndNode(@TempDir Path dir) throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(0);
        LaunchedServer sockeye = cluster.launch(dir, "sockeye-mixed", "--redis-url", redis.url());
        String api = sockeye.url().replaceAll("/$", "");
        node = NodePeer.start(redis.url(), "classic", Duration.ofSeconds(WAIT_SECONDS), "/");
        node.call("op", "connect", "name", "nora", "url", node.url());
        assertThat(node.call("op", "clientEmit", "name", "nora", "event", "join", "args", List.of("lobby"),
                "withAck", WAIT_SECONDS * 1000)).isEqualTo("joined");
        Socket alice = cluster.connect(sockeye.url(), "alice");
        subscribe(alice, "lobby");
        BlockingQueue<Object[]> atAlice = record(alice, "news");

        // Sockeye → Node: a client-protocol publish reaches the socket.io-client on the Node server.
        String id = ask(alice, "publish", publishRequest("lobby", "chat", "hello node")).getString("id");
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() ->
                assertThat((List<?>) node.call("op", "events", "name", "nora")).anySatisfy(event -> {
                    List<Object> args = (List<Object>) event;
                    assertThat(args.subList(0, 2)).containsExactly("chat", "hello node");
                    assertThat((Map<String, Object>) args.get(2)).containsEntry("id", id).containsEntry("from", "alice")
                            .containsEntry("room", "lobby");
                }));

        // Node → Sockeye: io.to("lobby").emit(...) on Node reaches the Sockeye subscriber, once Redis
        // confirmed Sockeye's subscriptions (Node's are: the publish above reached it).
        redis.awaitRedisNodes(2);
        node.call("op", "emit", "to", List.of("lobby"), "event", "news", "args", List.of("from node"));
        assertThat(next(atAlice, "news emitted on Node")[0]).isEqualTo("from node");

        // Node's fetchSockets sees the Sockeye socket, with the user the standalone server keeps in data.
        List<?> sockets = (List<?>) node.call("op", "fetchSockets", "to", List.of("lobby"));
        assertThat(sockets).extracting(s -> ((Map<String, Object>) s).get("data"))
                .anySatisfy(data -> assertThat((Map<String, Object>) data).containsEntry("user", "alice"))
                .anySatisfy(data -> assertThat((Map<String, Object>) data).containsEntry("side", "node"))
                .hasSize(2);

        // Sockeye's cluster queries see the Node member too (presence groups by user: Node's has none).
        SockeyeCluster.ApiReply rooms = cluster.api(api, "GET", "/api/rooms", null);
        assertThat(rooms.status()).as("%s", rooms.body()).isEqualTo(200);
        assertThat(SockeyeCluster.roomCount(rooms.body(), "lobby")).as("%s", rooms.body()).isEqualTo(2);
        SockeyeCluster.ApiReply presence = cluster.api(api, "GET", "/api/rooms/lobby/presence", null);
        assertThat(presence.body().get("count").asInt()).as("%s", presence.body()).isEqualTo(2);
        assertThat(presence.body().get("members").toString()).isEqualTo("[{\"user\":\"alice\",\"connections\":1}]");
    }
}
