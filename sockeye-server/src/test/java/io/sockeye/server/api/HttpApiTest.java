package io.sockeye.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Socket;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.rooms.RoomsHarness;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.API_KEY;
import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static io.sockeye.server.rooms.RoomsHarness.token;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API (docs/http-api.md) on a real server, called with the JDK's HTTP client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private RoomsHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private record Response(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    private Response call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(harness.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        boolean isJson = res.headers().firstValue("content-type").orElse("").startsWith("application/json");
        JsonNode json = isJson ? JSON.readTree(res.body()) : null;
        if (json != null && res.statusCode() >= 400) {
            assertThat(json.get("ok").asBoolean()).isFalse();
            assertThat(json.path("error").path("message").asText()).isNotEmpty();
        }
        return new Response(res.statusCode(), json, res);
    }

    private Response post(String path, String body) throws Exception {
        return call("POST", path, body, API_KEY);
    }

    private Response get(String path) throws Exception {
        return call("GET", path, null, API_KEY);
    }

    @Test
    void refusesRequestsWithoutOrWithAWrongKey() throws Exception {
        harness = RoomsHarness.anonymous();
        Response none = call("GET", "/api/stats", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("unauthorized");
        assertThat(none.raw().headers().firstValue("www-authenticate")).contains("Bearer");
        assertThat(call("POST", "/api/publish", "{\"room\":\"a\",\"event\":\"e\"}", "wrong").status()).isEqualTo(401);
        assertThat(call("GET", "/api/nothing-here", null, "wrong").status()).as("key before route").isEqualTo(401);
        assertThat(harness.rooms.stats().rejections(RejectionReason.API_UNAUTHORIZED)).isEqualTo(3);
    }

    @Test
    void withoutAConfiguredKeyTheApiIsDisabled() throws Exception {
        harness = RoomsHarness.withApiKey(null);
        Response res = call("GET", "/api/stats", null, "anything");
        assertThat(res.status()).isEqualTo(403);
        assertThat(res.code()).isEqualTo("forbidden");
    }

    @Test
    void publishesDuringABusOutageAreDeliveredHereAndAnsweredUnavailableWithTheirIds() throws Exception {
        harness = RoomsHarness.anonymous();
        harness.rooms.clusterAvailability(() -> false);
        Socket subscriber = harness.connectAnonymous();
        ask(subscriber, "subscribe", "news");
        BlockingQueue<Object[]> received = record(subscriber, "headline");

        Response one = post("/api/publish", "{\"room\":\"news\",\"event\":\"headline\",\"data\":1}");
        assertThat(one.status()).isEqualTo(503);
        assertThat(one.body().get("error").get("code").asText()).isEqualTo("unavailable");
        assertThat(((JSONObject) next(received, "headline")[1]).getString("id")).isEqualTo(one.body().get("id").asText());

        Response many = post("/api/broadcast", "{\"rooms\":[\"news\",\"other\"],\"event\":\"headline\",\"data\":2}");
        assertThat(many.status()).isEqualTo(503);
        assertThat(many.body().get("ids")).hasSize(2); // every room was still served locally
        assertThat(((JSONObject) next(received, "headline")[1]).getString("id")).isEqualTo(many.body().get("ids").get(0).asText());
    }

    @Test
    void publishIsDeliveredLikeAClientPublishFromNull() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket subscriber = harness.connectAnonymous();
        ask(subscriber, "subscribe", "news");
        BlockingQueue<Object[]> received = record(subscriber, "headline");

        Response res = post("/api/publish", "{\"room\":\"news\",\"event\":\"headline\",\"data\":{\"title\":\"hi\"}}");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body().get("ok").asBoolean()).isTrue();
        String id = res.body().get("id").asText();
        assertThat(res.raw().headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));

        Object[] args = next(received, "headline");
        assertThat(((JSONObject) args[0]).getString("title")).isEqualTo("hi");
        JSONObject meta = (JSONObject) args[1];
        assertThat(meta.get("from")).isEqualTo(JSONObject.NULL);
        assertThat(meta.getString("id")).isEqualTo(id);
        assertThat(meta.getString("room")).isEqualTo("news");
        assertThat(meta.getString("offset")).as("the offset the API answered").isEqualTo(res.body().get("offset").asText())
                .isEqualTo(args[2]);
    }

    @Test
    void broadcastPublishesToEachRoomWithOneIdPerRoom() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket a = harness.connectAnonymous();
        Socket b = harness.connectAnonymous();
        ask(a, "subscribe", "room-a");
        ask(b, "subscribe", "room-b");
        BlockingQueue<Object[]> atA = record(a, "alert");
        BlockingQueue<Object[]> atB = record(b, "alert");

        Response res = post("/api/broadcast", "{\"rooms\":[\"room-a\",\"room-b\"],\"event\":\"alert\",\"data\":1}");
        assertThat(res.status()).isEqualTo(200);
        List<String> ids = List.of(res.body().get("ids").get(0).asText(), res.body().get("ids").get(1).asText());
        assertThat(((JSONObject) next(atA, "alert")[1]).getString("id")).isEqualTo(ids.get(0));
        assertThat(((JSONObject) next(atB, "alert")[1]).getString("id")).isEqualTo(ids.get(1));

        assertThat(post("/api/broadcast", "{\"rooms\":[\"ok\",\"bad room\"],\"event\":\"alert\"}").status())
                .isEqualTo(400);
        assertThat(post("/api/broadcast", "{\"rooms\":[],\"event\":\"alert\"}").status()).isEqualTo(400);
    }

    @Test
    void disconnectByUserOrRoomAnswersTheCount() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket alice1 = harness.connect(token("alice"));
        Socket alice2 = harness.connect(token("alice"));
        Socket bob = harness.connect(token("bob"));
        BlockingQueue<Object[]> aliceGone = record(alice1, Socket.EVENT_DISCONNECT);
        ask(bob, "subscribe", "doomed");

        Response byUser = post("/api/disconnect", "{\"user\":\"alice\"}");
        assertThat(byUser.status()).isEqualTo(200);
        assertThat(byUser.body().get("count").asInt()).isEqualTo(2);
        assertThat(next(aliceGone, "disconnect")[0]).isEqualTo("io server disconnect");

        assertThat(post("/api/disconnect", "{\"room\":\"doomed\"}").body().get("count").asInt()).isEqualTo(1);
        assertThat(post("/api/disconnect", "{\"user\":\"nobody\"}").body().get("count").asInt()).isZero();
        assertThat(post("/api/disconnect", "{}").status()).isEqualTo(400);
        assertThat(post("/api/disconnect", "{\"user\":\"a\",\"room\":\"b\"}").status()).isEqualTo(400);
        assertThat(alice2.connected()).isFalse();
    }

    @Test
    void listsRoomsAndTheirPresence() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket alice = harness.connect(token("alice"));
        Socket anonymous = harness.connectAnonymous();
        ask(alice, "subscribe", "team/1");
        ask(anonymous, "subscribe", "team/1");
        ask(anonymous, "subscribe", "solo");

        JsonNode rooms = get("/api/rooms").body().get("rooms");
        assertThat(rooms.toString()).isEqualTo(
                "[{\"room\":\"solo\",\"count\":1},{\"room\":\"team/1\",\"count\":2},{\"room\":\"user:alice\",\"count\":1}]");

        for (String path : List.of("/api/rooms/team/1/presence", "/api/rooms/team%2F1/presence")) {
            JsonNode presence = get(path).body();
            assertThat(presence.toString()).isEqualTo(
                    "{\"ok\":true,\"room\":\"team/1\",\"count\":2,\"members\":[{\"user\":\"alice\",\"connections\":1}]}");
        }
        assertThat(get("/api/rooms/bad%20room/presence").status()).isEqualTo(400);
    }

    @Test
    void statsCountConnectionsRoomsAndMessages() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket a = harness.connectAnonymous();
        ask(a, "subscribe", "x");
        ask(a, "publish", RoomsHarness.publishRequest("x", "m", 1));
        post("/api/publish", "{\"room\":\"x\",\"event\":\"m\"}");

        JsonNode stats = get("/api/stats").body();
        assertThat(stats.get("connections").asInt()).isEqualTo(1);
        assertThat(stats.get("rooms").asInt()).isEqualTo(1);
        assertThat(stats.get("messagesIn").asInt()).isEqualTo(2);
        assertThat(stats.get("messagesOut").asInt()).isEqualTo(2);
        assertThat(stats.get("rejections").has("rate_limited")).isTrue();
    }

    @Test
    void badRequestsGetFittingStatuses() throws Exception {
        harness = RoomsHarness.anonymous();
        assertThat(post("/api/publish", "not json").status()).isEqualTo(400);
        assertThat(post("/api/publish", "[1]").status()).isEqualTo(400);
        assertThat(post("/api/publish", "").status()).isEqualTo(400);
        Response badRoom = post("/api/publish", "{\"room\":\"a b\",\"event\":\"e\"}");
        assertThat(badRoom.status()).isEqualTo(400);
        assertThat(badRoom.code()).isEqualTo("invalid");
        assertThat(post("/api/publish", "{\"room\":\"a\",\"event\":\"presence:join\"}").code()).isEqualTo("invalid");

        Response notFound = get("/api/nothing");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.code()).isEqualTo("not_found");
        Response wrongMethod = get("/api/publish");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.raw().headers().firstValue("allow")).contains("POST");
    }

    @Test
    void answers413PastTheBodyLimitAndKeepsServing() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().apiMaxBodyBytes(100).build());
        String big = "{\"room\":\"a\",\"event\":\"e\",\"data\":\"" + "x".repeat(200) + "\"}";
        Response res = post("/api/publish", big);
        assertThat(res.status()).isEqualTo(413);
        assertThat(res.code()).isEqualTo("too_large");
        assertThat(harness.rooms.stats().rejections(RejectionReason.API_TOO_LARGE)).isEqualTo(1);
        assertThat(post("/api/publish", "{\"room\":\"a\",\"event\":\"e\"}").status()).isEqualTo(200);
    }

    @Test
    void leavesOtherPathsToTheNextHandler() throws Exception {
        harness = RoomsHarness.anonymous();
        assertThat(call("GET", "/apix", null, API_KEY).raw().statusCode()).isEqualTo(404);
        HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(harness.url() + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.body()).doesNotContain("\"ok\"");
    }
}
