package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.cluster.SockeyeCluster.WAIT_SECONDS;
import static io.sockeye.tests.cluster.SockeyeCluster.everyoneHearsEveryone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Redis-clustered nodes ({@code --sticky-cookie}) behind a real HAProxy running the configuration
 * printed in docs/clustering.md ({@code balance roundrobin}, sessions pinned by the {@code io} cookie
 * with {@code cookie io prefix}). Round robin sends consecutive requests to alternating nodes, so a
 * polling session survives only if the cookie pins it: the polling-only client and the client that
 * upgrades to WebSocket (its upgrade request must reach the node of its polling session) work through
 * HAProxy only because the stickiness works. They exchange messages with clients connected straight to
 * each node, so traffic crosses the bus both ways.
 */
@DisplayName("cluster: two nodes behind HAProxy (io cookie)")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HaproxyClusterEndToEndTest {

    private BusProcess redis;
    private SockeyeCluster cluster;
    private HaproxyProcess haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void pollingOnlyAndUpgradingClientsWorkAcrossTheClusterThroughHaproxy(@TempDir Path dir) throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(2, "--redis-url", redis.url(), "--sticky-cookie");
        haproxy = HaproxyProcess.start(dir, List.of(cluster.node(1).port(), cluster.node(2).port()));

        Socket polling = cluster.connectWithCookies(haproxy.url(), "polly", "polling");
        Socket upgrading = cluster.connectWithCookies(haproxy.url(), "uma", "polling", "websocket");
        Socket onOne = cluster.connect(1, "one");
        Socket onTwo = cluster.connect(2, "two");
        // Each sender in turn; every client, on either node and through HAProxy, gets every message.
        everyoneHearsEveryone(List.of(polling, upgrading, onOne, onTwo), "lobby");

        // HAProxy logs a request when it ends (option httplog, to stdout): close the upgraded client.
        upgrading.close();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() ->
                assertThat(haproxy.process().lines()).as("HAProxy log").anySatisfy(line ->
                        assertThat(line).contains("sockeye/node").contains(" 101 ").contains("transport=websocket")));
        List<String> polls = haproxy.process().lines().stream()
                .filter(line -> line.contains("transport=polling") && line.contains(" 200 ")).toList();
        assertThat(polls).as("polling went through HAProxy").isNotEmpty();
        // Follow-up requests carry the cookie back: the third of HAProxy's four termination-state flags
        // is V when a request came with a valid server cookie (N: none), e.g. "--VN".
        assertThat(polls).as("follow-up polls pinned by the io cookie")
                .anySatisfy(line -> assertThat(line).contains("sid=").containsPattern(" [-A-Za-z]{2}V[-A-Za-z] "));
    }
}
