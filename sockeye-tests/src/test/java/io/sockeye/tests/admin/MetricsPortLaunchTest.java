package io.sockeye.tests.admin;

import io.sockeye.tests.app.LaunchedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.MatchResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/sockeye --metrics-port 0}: Prometheus scrapes the operators' port without a key, while
 * {@code /metrics} on the main port still needs the API key; the probes answer on both.
 */
class MetricsPortLaunchTest {

    private static final String API_KEY = "metrics-port-test-key";

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsPortServesMetricsWithoutTheKeyWhileTheMainPortStillWantsIt() throws Exception {
        try (LaunchedServer server = LaunchedServer.start(workDir, "sockeye-metrics-port",
                Map.of("SOCKEYE_API_KEY", API_KEY), "--metrics-port", "0");
             DashboardClients clients = new DashboardClients()) {
            MatchResult line = server.process().awaitLine("metrics on (http://127\\.0\\.0\\.1:(\\d+))/metrics",
                    Duration.ofSeconds(30));
            String ops = line.group(1);
            assertThat(Integer.parseInt(line.group(2))).isNotEqualTo(server.port());
            clients.connect(server.url());

            // The client starts on polling and upgrades: wait until the session is on WebSocket.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> scrape = get(ops + "/metrics", null);
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain"));
                assertThat(scrape.body()).contains("sockeye_engine_connections{transport=\"websocket\"} 1",
                        "sockeye_info{", "jvm_memory_used_bytes");
            });

            String main = server.url().replaceAll("/$", "");
            assertThat(get(main + "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(main + "/metrics", "wrong-key").statusCode()).isEqualTo(401);
            HttpResponse<String> keyed = get(main + "/metrics", API_KEY);
            assertThat(keyed.statusCode()).isEqualTo(200);
            assertThat(keyed.body()).contains("sockeye_engine_connections{transport=\"websocket\"} 1");

            for (String base : new String[] {ops, main}) {
                assertThat(get(base + "/healthz", null).body()).as(base).contains("\"status\":\"alive\"");
                assertThat(get(base + "/readyz", null).statusCode()).as(base).isEqualTo(200);
            }
            // The operators' port serves nothing else: no API, no dashboard, no Socket.IO.
            assertThat(get(ops + "/api/stats", API_KEY).statusCode()).isEqualTo(404);
            assertThat(get(ops + "/socket.io/?EIO=4&transport=polling", null).statusCode()).isEqualTo(404);
        }
    }
}
