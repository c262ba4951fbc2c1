package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * The standalone server when its bus goes away, and the sticky cookie option: cluster-wide queries
 * answer {@code unavailable} (client protocol) and 503 (HTTP API) instead of waiting, while local
 * delivery goes on.
 */
@DisplayName("cluster: bus outage and sticky cookie")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterOutageEndToEndTest {

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
    void withRedisGoneQueriesAnswerUnavailableAndLocalPublishesStillArrive() throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(2, "--redis-url", redis.url());
        Socket alice = cluster.connect(1, "alice");
        Socket bob = cluster.connect(1, "bob");
        subscribe(alice, "lobby");
        subscribe(bob, "lobby");
        BlockingQueue<Object[]> atBob = record(bob, "chat");

        redis.close();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(
                () -> assertThat(cluster.node(1).cluster().isConnected()).as("node 1 noticed the outage").isFalse());

        JSONObject presence = ask(alice, "presence", "lobby");
        assertThat(presence.getBoolean("ok")).as("%s", presence).isFalse();
        assertThat(presence.getJSONObject("error").getString("code")).isEqualTo("unavailable");

        SockeyeCluster.ApiReply rooms = cluster.api(1, "GET", "/api/rooms", null);
        assertThat(rooms.status()).as("%s", rooms.body()).isEqualTo(503);
        assertThat(rooms.body().get("error").get("code").asText()).isEqualTo("unavailable");

        // The bus is only for the other nodes: subscribers on this node still get the message.
        JSONObject sent = ask(alice, "publish", publishRequest("lobby", "chat", "local"));
        assertThat(sent.getBoolean("ok")).as("%s", sent).isTrue();
        assertThat(next(atBob, "local chat during the outage")[0]).isEqualTo("local");
    }

    @Test
    void stickyCookieSetsTheIoCookieOnTheHandshake() throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(1, "--redis-url", redis.url(), "--sticky-cookie");
        HttpResponse<String> handshake = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(cluster.url(1) + "/socket.io/?EIO=4&transport=polling"))
                        .timeout(Duration.ofSeconds(WAIT_SECONDS)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(handshake.statusCode()).isEqualTo(200);
        String sid = new JSONObject(handshake.body().substring(1)).getString("sid");
        assertThat(handshake.headers().allValues("set-cookie")).anySatisfy(
                cookie -> assertThat(cookie).startsWith("io=" + sid + ";").contains("Path=/").contains("HttpOnly"));
    }
}
