package io.sockeye.tests.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Socket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

import static io.sockeye.tests.server.Clients.ask;
import static io.sockeye.tests.server.Clients.next;
import static io.sockeye.tests.server.Clients.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP API for backends (docs/http-api.md), called as a backend would, with and without the key. */
@DisplayName("standalone server: HTTP API")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpApiEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ServerUnderTest server;
    private Clients clients;

    @BeforeEach
    void start() {
        server = ServerUnderTest.withJwt("--rooms", "[{pattern: '*', subscribe: authenticated, presence: authenticated,"
                + " presence_enabled: true}]");
        clients = new Clients(server.url());
    }

    @AfterEach
    void stop() {
        clients.close();
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> res = send(method, path, body, ServerUnderTest.API_KEY);
        assertThat(res.statusCode()).as("%s %s: %s", method, path, res.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(res.body());
        assertThat(json.get("ok").asBoolean()).isTrue();
        return json;
    }

    @Test
    void everyEndpointNeedsTheKey() throws Exception {
        String[][] calls = {
                {"POST", "/api/publish", "{\"room\":\"a\",\"event\":\"e\"}"},
                {"POST", "/api/broadcast", "{\"rooms\":[\"a\"],\"event\":\"e\"}"},
                {"POST", "/api/disconnect", "{\"user\":\"alice\"}"},
                {"GET", "/api/rooms", null},
                {"GET", "/api/rooms/a/presence", null},
                {"GET", "/api/stats", null}};
        for (String[] call : calls) {
            for (String key : new String[] {null, "wrong-key"}) {
                HttpResponse<String> res = send(call[0], call[1], call[2], key);
                assertThat(res.statusCode()).as("%s %s with key %s", call[0], call[1], key).isEqualTo(401);
                JsonNode body = JSON.readTree(res.body());
                assertThat(body.get("ok").asBoolean()).isFalse();
                assertThat(body.path("error").path("code").asText()).isEqualTo("unauthorized");
            }
        }
    }

    @Test
    void publishBroadcastPresenceAndDisconnectWithTheKey() throws Exception {
        Socket alice = clients.connect(Tokens.hs256("alice"));
        Socket bob = clients.connect(Tokens.hs256("bob"));
        ask(alice, "subscribe", "orders");
        ask(bob, "subscribe", "invoices");
        BlockingQueue<Object[]> orders = record(alice, "order");
        BlockingQueue<Object[]> bobsEvents = record(bob, "order");
        BlockingQueue<Object[]> aliceGone = record(alice, Socket.EVENT_DISCONNECT);

        String id = ok("POST", "/api/publish", "{\"room\":\"orders\",\"event\":\"order\",\"data\":{\"n\":7}}").get("id").asText();
        Object[] args = next(orders, "order");
        assertThat(((JSONObject) args[0]).getInt("n")).isEqualTo(7);
        assertThat(((JSONObject) args[1]).get("from")).isEqualTo(JSONObject.NULL);
        assertThat(((JSONObject) args[1]).getString("id")).isEqualTo(id);

        JsonNode ids = ok("POST", "/api/broadcast", "{\"rooms\":[\"orders\",\"invoices\"],\"event\":\"order\",\"data\":8}").get("ids");
        assertThat(ids.size()).isEqualTo(2);
        assertThat(next(orders, "order")[0]).isEqualTo(8);
        assertThat(((JSONObject) next(bobsEvents, "order")[1]).getString("id")).isEqualTo(ids.get(1).asText());

        JsonNode presence = ok("GET", "/api/rooms/orders/presence", null);
        assertThat(presence.get("count").asInt()).isEqualTo(1);
        assertThat(presence.get("members").get(0).get("user").asText()).isEqualTo("alice");
        JsonNode rooms = ok("GET", "/api/rooms", null).get("rooms");
        assertThat(rooms.findValuesAsText("room")).contains("orders", "invoices", "user:alice", "user:bob");

        assertThat(ok("POST", "/api/disconnect", "{\"user\":\"alice\"}").get("count").asInt()).isEqualTo(1);
        assertThat(next(aliceGone, "alice disconnected")[0]).isEqualTo("io server disconnect");
        await("alice leaves the room").atMost(Clients.WAIT_SECONDS, TimeUnit.SECONDS)
                .until(() -> ask(bob, "presence", "orders").getInt("count") == 0);

        JsonNode stats = ok("GET", "/api/stats", null);
        assertThat(stats.get("messagesIn").asInt()).isEqualTo(3);
        assertThat(stats.get("connections").asInt()).isEqualTo(1);
    }

    @Test
    void errorsAreJsonWithAFittingStatus() throws Exception {
        HttpResponse<String> bad = send("POST", "/api/publish", "{\"room\":\"no spaces\",\"event\":\"e\"}", ServerUnderTest.API_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").path("code").asText()).isEqualTo("invalid");
        assertThat(send("GET", "/api/unknown", null, ServerUnderTest.API_KEY).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/rooms", null, ServerUnderTest.API_KEY).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/api/publish", "{", ServerUnderTest.API_KEY).statusCode()).isEqualTo(400);
    }
}
