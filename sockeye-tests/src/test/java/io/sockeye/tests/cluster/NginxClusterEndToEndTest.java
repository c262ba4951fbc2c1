package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.cluster.SockeyeCluster.everyoneHearsEveryone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Redis-clustered nodes behind a real nginx with {@code ip_hash} stickiness (the configuration of
 * docs/clustering.md): polling-only clients and clients that upgrade to WebSocket work through it and
 * exchange messages with clients on both nodes. All test clients share 127.0.0.1, so ip_hash sends
 * them to one node; the clients connected straight to each node make sure traffic crosses the bus
 * both ways.
 */
@DisplayName("cluster: two nodes behind nginx (ip_hash)")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NginxClusterEndToEndTest {

    private BusProcess redis;
    private SockeyeCluster cluster;
    private NginxProcess nginx;

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void pollingOnlyAndUpgradingClientsWorkAcrossTheClusterThroughNginx(@TempDir Path dir) throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(2, "--redis-url", redis.url());
        nginx = NginxProcess.start(dir, List.of(cluster.node(1).port(), cluster.node(2).port()));

        Socket polling = cluster.connect(nginx.url(), "polly", "polling");
        Socket upgrading = cluster.connect(nginx.url(), "uma", "polling", "websocket");
        Socket onOne = cluster.connect(1, "one");
        Socket onTwo = cluster.connect(2, "two");
        List<Socket> all = List.of(polling, upgrading, onOne, onTwo);
        // Each sender in turn; every client, on either node and through nginx, gets every message.
        everyoneHearsEveryone(all, "lobby");
        // nginx logs a WebSocket request when it ends: close the upgraded client, then read the log.
        upgrading.close();
        Path accessLog = dir.resolve("access.log");
        await().atMost(Duration.ofSeconds(SockeyeCluster.WAIT_SECONDS)).untilAsserted(() ->
                assertThat(Files.readAllLines(accessLog)).as("nginx access log").anySatisfy(line ->
                        assertThat(line).contains("transport=websocket").contains("\" 101 ")));
        assertThat(Files.readAllLines(accessLog)).as("polling went through nginx")
                .anySatisfy(line -> assertThat(line).contains("transport=polling").contains("\" 200 "));
    }
}
