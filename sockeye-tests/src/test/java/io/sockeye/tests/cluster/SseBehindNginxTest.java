package io.sockeye.tests.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.server.SockeyeApplication;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.testkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /sse} through a real nginx running the configuration of docs/clustering.md as it is (response
 * buffering on, nginx's default; the stream's {@code X-Accel-Buffering: no} is for nginx and is not passed
 * on): each event reaches curl while the stream is open, and a resumption with {@code Last-Event-ID}
 * through nginx gets what it missed, once each.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SseBehindNginxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String API_KEY = "sse-nginx-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eventsPassNginxAtOnceAndAStreamResumesThroughIt(@TempDir Path dir) throws Exception {
        try (SockeyeApplication node = SockeyeApplication.start(ConfigLoader.load(new String[] {"--host", "127.0.0.1",
                "--port", "0", "--api-key", API_KEY, "--warmup=false", "--trusted-proxies", "127.0.0.1"}));
             NginxProcess nginx = NginxProcess.start(dir, List.of(node.port()))) {
            String direct = "http://127.0.0.1:" + node.port();
            try (ChildProcess curl = curl(nginx.url() + "/sse?rooms=ticker")) {
                curl.awaitLine("^retry: 3000$", WAIT);
                String offset = publish(direct, 1);
                curl.awaitLine("^id: " + offset.replace(".", "\\.") + "$", WAIT);
                curl.awaitLine("^data: \\{\"data\":1,", WAIT);

                publish(direct, 2);
                publish(direct, 3);
                try (ChildProcess resumed = curl(nginx.url() + "/sse?rooms=ticker", "-H", "Last-Event-ID: " + offset)) {
                    resumed.awaitLine("(?i)^sockeye-recovered: true", WAIT);
                    resumed.awaitLine("^data: \\{\"data\":3,", WAIT);
                    List<String> data = resumed.lines().stream().filter(l -> l.startsWith("data: "))
                            .map(l -> l.substring(0, 16)).toList();
                    assertThat(data).as("what it missed, once each").containsExactly("data: {\"data\":2,", "data: {\"data\":3,");
                }
            }
        }
    }

    /** {@code curl -N -i}: no output buffering, headers printed. */
    private static ChildProcess curl(String url, String... more) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "-N", "-i", url));
        command.addAll(List.of(more));
        return ChildProcess.command(command).name("curl-sse").start();
    }

    private static String publish(String server, int n) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server + "/api/publish"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("room", "ticker", "event", "tick",
                        "data", n)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body()).get("offset").asText();
    }
}
