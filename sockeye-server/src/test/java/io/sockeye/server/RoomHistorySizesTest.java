package io.sockeye.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room rule's {@code history} overrides {@code history.size} for its rooms in the assembled server: none
 * for {@code typing:*}, more for {@code announcements:*}, the default elsewhere — as the history API shows.
 */
class RoomHistorySizesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String KEY = "sizes-api-key";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private SockeyeApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void roomRulesKeepNoneMoreOrTheDefaultHistory() throws Exception {
        app = SockeyeApplication.start(ConfigLoader.load(new String[] {"--host", "127.0.0.1", "--port", "0",
                "--api-key", KEY, "--history-size", "2", "--rooms",
                "[{pattern: 'typing:*', subscribe: anyone, history: 0},"
                        + " {pattern: 'announcements:*', subscribe: anyone, history: 5},"
                        + " {pattern: '*', subscribe: anyone}]"}));
        for (int i = 1; i <= 4; i++) {
            for (String room : new String[] {"typing:lobby", "announcements:all", "lobby"}) {
                JsonNode published = call("POST", "/api/publish",
                        "{\"room\":\"" + room + "\",\"event\":\"say\",\"data\":" + i + "}");
                assertThat(published.get("ok").asBoolean()).as("%s", published).isTrue();
            }
        }

        assertThat(data(call("GET", "/api/rooms/typing:lobby/history", null))).isEmpty();
        assertThat(data(call("GET", "/api/rooms/announcements:all/history", null))).containsExactly(1, 2, 3, 4);
        assertThat(data(call("GET", "/api/rooms/lobby/history", null))).containsExactly(3, 4);
    }

    private static List<Integer> data(JsonNode history) {
        assertThat(history.get("ok").asBoolean()).as("%s", history).isTrue();
        List<Integer> out = new ArrayList<>();
        history.get("messages").forEach(m -> out.add(m.get("data").asInt()));
        return out;
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.url().replaceAll("/$", "") + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
