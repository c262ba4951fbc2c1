package io.sockeye.tests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.tests.cluster.BusProcess;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code bin/sockeye} nodes clustered over a real {@code redis-server}, with a Node.js socket.io
 * server (socket.io 4.8 + {@code @socket.io/redis-adapter}) on the same Redis: node A's dashboard
 * plots one series per Sockeye node (its JSON and, in headless Chromium, its charts), the Node.js
 * server is not mistaken for a node and keeps working, and a node that stops leaves the plots.
 */
class ClusteredDashboardTest {

    private static final Path NODE_PEER = Path.of("src", "test", "node", "cluster");
    private static final String PASSWORD = "cluster-dashboard-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @Test
    void eachNodeIsOneSeriesOnEveryDashboardAndAStoppedNodeLeavesThePlots() throws Exception {
        NodeRunner.ensureInstalled(AdminDashboardBrowserTest.BROWSER);
        NodeRunner.ensureInstalled(NODE_PEER);
        try (BusProcess redis = BusProcess.redis();
             LaunchedServer a = LaunchedServer.start(workDir, "sockeye-a", Map.of(),
                     "--redis-url", redis.url(), "--admin-password", PASSWORD);
             LaunchedServer b = LaunchedServer.start(workDir, "sockeye-b", Map.of(),
                     "--redis-url", redis.url(), "--admin-password", PASSWORD);
             ChildProcess nodeJs = NodeRunner.script(NODE_PEER, "peer.mjs", "--redis", redis.url()).name("node-peer")
                     .start()) {
            nodeJs.awaitLine("READY ", Duration.ofSeconds(30));
            String cookie = login(a.url());
            String nodeA = ":" + a.port();
            String nodeB = ":" + b.port();

            // Both nodes, and only they: the Node.js server on the same Redis is no series.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(nodeNames(a.url(), cookie)).hasSize(2)
                            .anySatisfy(n -> assertThat(n).endsWith(nodeA))
                            .anySatisfy(n -> assertThat(n).endsWith(nodeB)));
            JsonNode stats = stats(a.url(), cookie);
            for (JsonNode series : stats.get("nodes")) {
                assertThat(series.has("connections") && series.has("messagesInPerSecond")
                        && series.has("latencyP99Millis") && series.has("rejectedHandshakesPerSecond"))
                        .as(series.toString()).isTrue();
            }

            // Headless Chromium on node A: two lines per plot, the tile counts clients on both nodes.
            assertThat(AdminDashboardBrowserTest.CHROMIUM).as("apt-get install chromium").isExecutable();
            Files.deleteIfExists(AdminDashboardBrowserTest.ARTIFACTS.resolve("admin-dashboard-cluster.png"));
            try (DashboardClients clients = new DashboardClients();
                 ChildProcess browser = NodeRunner.script(AdminDashboardBrowserTest.BROWSER, "admin-dashboard.mjs",
                         a.url(), PASSWORD, AdminDashboardBrowserTest.ARTIFACTS.toString(), "3", "2",
                         "admin-dashboard-cluster.png")
                         .name("browser-cluster-dashboard")
                         .env("CHROMIUM", AdminDashboardBrowserTest.CHROMIUM.toString()).start()) {
                browser.awaitLine("logged in: connections 0", Duration.ofMinutes(2));
                browser.awaitLine("series for 2 nodes", DashboardClients.STEP);
                clients.driveDashboard(browser, 3, a.url(), b.url());
                assertThat(browser.awaitExit(Duration.ofMinutes(1))).as(browser.tail()).isZero();
            }
            assertThat(AdminDashboardBrowserTest.ARTIFACTS.resolve("admin-dashboard-cluster.png")).isRegularFile();

            // The Node.js server still answers its cluster's requests and logged no error.
            assertThat(peer(nodeJs, "{\"op\":\"serverCount\"}").get("result").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(nodeJs.lines()).noneMatch(line -> line.toLowerCase().contains("error"));

            // Node B stops: within the documented expiry (5 s of silence) it leaves node A's plots.
            b.close();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(nodeNames(a.url(), cookie)).singleElement()
                            .satisfies(n -> assertThat(n).endsWith(nodeA)));
        }
    }

    /** Signs in to the dashboard; returns the session cookie ({@code name=value}). */
    private String login(String base) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=" + PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(303);
        String setCookie = reply.headers().firstValue("set-cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private JsonNode stats(String base, String cookie) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "admin/api/stats"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body());
    }

    private List<String> nodeNames(String base, String cookie) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode series : stats(base, cookie).get("nodes")) {
            names.add(series.get("node").asText());
        }
        return names;
    }

    private JsonNode peer(ChildProcess nodeJs, String command) throws Exception {
        String port = nodeJs.awaitLine("READY \\{\"port\":(\\d+)", Duration.ofSeconds(30)).group(1);
        // HTTP/1.1 only: an h2c upgrade request would reach socket.io's upgrade handler, which drops it.
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control"))
                .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(reply.body());
    }
}
