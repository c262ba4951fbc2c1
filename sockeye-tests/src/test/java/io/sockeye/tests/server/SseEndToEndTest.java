package io.sockeye.tests.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /sse} (docs/sse.md) with a plain HTTP client: the event format, resuming with
 * {@code Last-Event-ID} (header and query), the reset when the history does not reach back, malformed and
 * forged ids, refused tokens and rooms, the connection limits, and the stream as a connection among others
 * (presence, metrics).
 */
@DisplayName("standalone server: Server-Sent Events")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SseEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<SseClient> streams = new ArrayList<>();
    private ServerUnderTest server;

    @AfterEach
    void stop() {
        streams.forEach(SseClient::close);
        if (server != null) {
            server.close();
        }
    }

    private SseClient open(String query, Map<String, String> headers) {
        SseClient c = SseClient.open(server.url() + "/sse" + query, headers);
        streams.add(c);
        return c;
    }

    /** Opens a stream and reads its start: {@code retry:} and the bare {@code id:} of where it stands. */
    private SseClient live(String query, Map<String, String> headers) throws Exception {
        SseClient c = open(query, headers);
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.next().retry()).isEqualTo("3000");
        return c;
    }

    private String publish(String room, String event, Object data) throws Exception {
        String body = JSON.writeValueAsString(Map.of("room", room, "event", event, "data", data));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/publish"))
                .header("Authorization", "Bearer " + ServerUnderTest.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body()).get("offset").asText();
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + ServerUnderTest.API_KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void eachEventCarriesItsOffsetAsIdItsNameAndOneLineOfDataWithMeta() throws Exception {
        server = ServerUnderTest.start();
        SseClient sse = live("?rooms=a,b", Map.of());
        assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
        assertThat(sse.header("X-Accel-Buffering")).isEqualTo("no");
        assertThat(sse.header("Cache-Control")).isEqualTo("no-store");
        assertThat(sse.next().id()).as("the stream's position, as a bare id").isNotBlank();

        String first = publish("a", "news", Map.of("text", "line one\nline two"));
        publish("elsewhere", "news", 0);
        String second = publish("b", "score", List.of(1, 2));
        List<SseClient.Block> events = sse.events(2);

        assertThat(events.get(0).id()).isEqualTo(first);
        assertThat(events.get(0).event()).isEqualTo("news");
        JsonNode one = events.get(0).json();
        assertThat(one.path("data").path("text").asText()).isEqualTo("line one\nline two");
        assertThat(one.path("meta").path("room").asText()).isEqualTo("a");
        assertThat(one.path("meta").path("offset").asText()).isEqualTo(first);
        assertThat(one.path("meta").has("from")).isTrue();
        assertThat(events.get(1).id()).isEqualTo(second);
        assertThat(events.get(1).event()).isEqualTo("score");
        assertThat(events.get(1).json().path("data").toString()).isEqualTo("[1,2]");
    }

    @Test
    void aSocketIoClientsPublishReachesTheStreamBinaryAsBase64() throws Exception {
        server = ServerUnderTest.start();
        SseClient sse = live("?rooms=mixed", Map.of());
        try (Clients clients = new Clients(server.url())) {
            io.socket.client.Socket socket = clients.anonymous();
            assertThat(Clients.ok(Clients.ask(socket, "publish", Clients.publish("mixed", "text", "hi")))).isTrue();
            assertThat(Clients.ok(Clients.ask(socket, "publish",
                    Clients.publish("mixed", "blob", new org.json.JSONObject().put("bytes", new byte[] {1, 2, 3}))))).isTrue();
        }
        List<SseClient.Block> events = sse.events(2);
        assertThat(events.get(0).json().path("data").asText()).isEqualTo("hi");
        assertThat(events.get(1).event()).isEqualTo("blob");
        assertThat(events.get(1).json().path("data").path("bytes").asText()).isEqualTo("AQID");
        assertThat(events.get(1).id()).isEqualTo(events.get(1).json().path("meta").path("offset").asText());
    }

    @Test
    void aStreamResumesEveryRoomFromLastEventIdWithoutLossOrRepeat() throws Exception {
        server = ServerUnderTest.start();
        SseClient sse = live("?rooms=a,b", Map.of());
        String seen = publish("a", "m", 1);
        assertThat(sse.events(1).get(0).id()).isEqualTo(seen);
        sse.close();

        String two = publish("b", "m", 2);
        String three = publish("a", "m", 3);
        SseClient resumed = live("?rooms=a,b", Map.of("Last-Event-ID", seen));
        assertThat(resumed.header("Sockeye-Recovered")).isEqualTo("true");
        List<SseClient.Block> missed = resumed.events(2);
        assertThat(missed).as("in stream order across the rooms").extracting(b -> b.json().path("data").asInt())
                .containsExactly(2, 3);
        assertThat(missed).extracting(SseClient.Block::id).containsExactly(two, three);
        String live = publish("b", "m", 4);
        SseClient.Block next = resumed.events(1).get(0);
        assertThat(next.json().path("data").asInt()).as("live after the replay, nothing twice").isEqualTo(4);
        assertThat(next.id()).isEqualTo(live);

        // A browser's first connection cannot set the header: the query parameter does the same.
        SseClient byQuery = live("?rooms=a,b&last_event_id=" + seen, Map.of());
        assertThat(byQuery.events(3)).extracting(b -> b.json().path("data").asInt()).containsExactly(2, 3, 4);
    }

    @Test
    void historyThatNoLongerReachesBackStartsWithAResetAndSaysSoInAHeader() throws Exception {
        server = ServerUnderTest.start("--history-size", "2");
        String old = publish("a", "m", 0);
        for (int i = 1; i <= 4; i++) {
            publish("a", "m", i);
        }
        SseClient sse = live("?rooms=a,b", Map.of("Last-Event-ID", old));
        assertThat(sse.header("Sockeye-Recovered")).isEqualTo("false");
        SseClient.Block reset = sse.next();
        assertThat(reset.event()).isEqualTo("sockeye:reset");
        assertThat(reset.json().path("data").path("rooms").toString()).isEqualTo("[\"a\"]");
    }

    @Test
    void aForgedLastEventIdIsAResetAndAMalformedOneIs400() throws Exception {
        server = ServerUnderTest.start();
        String real = publish("a", "m", 1);
        String ahead = real.substring(0, real.lastIndexOf('.') + 1) + "9".repeat(real.length() - real.lastIndexOf('.') - 1);
        SseClient forged = live("?rooms=a", Map.of("Last-Event-ID", ahead));
        assertThat(forged.header("Sockeye-Recovered")).isEqualTo("false");
        assertThat(forged.next().event()).isEqualTo("sockeye:reset");

        for (String bad : new String[] {"garbage", "x".repeat(5000), "..%00", real + "x"}) {
            SseClient malformed = open("?rooms=a", Map.of("Last-Event-ID", bad));
            assertThat(malformed.status()).as(bad).isEqualTo(400);
            assertThat(malformed.error().path("error").path("code").asText()).isEqualTo("invalid");
        }
        // The other streams are unaffected.
        String next = publish("a", "m", 2);
        assertThat(forged.events(1).get(0).id()).isEqualTo(next);
    }

    @Test
    void pagesOfListedOriginsGetCorsHeadersAndOthersAre403() throws Exception {
        server = ServerUnderTest.start("--cors-origins", "https://app.example");
        SseClient listed = live("?rooms=a", Map.of("Origin", "https://app.example"));
        assertThat(listed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        SseClient foreign = open("?rooms=a", Map.of("Origin", "https://elsewhere.example"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.error().path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(live("?rooms=a", Map.of()).header("Access-Control-Allow-Origin")).as("not a browser").isNull();
    }

    @Test
    void badRoomListsAre400() throws Exception {
        server = ServerUnderTest.start("--max-rooms-per-connection", "2");
        for (String query : new String[] {"", "?rooms=", "?rooms=a,,b", "?rooms=no%20spaces", "?rooms=a,b,c",
                "?rooms=ABCDEFGHIJ0123456789"}) {
            SseClient c = open(query, Map.of());
            assertThat(c.status()).as(query).isEqualTo(400);
            assertThat(c.error().path("error").path("code").asText()).isEqualTo("invalid");
        }
    }

    @Test
    void aRefusedTokenOrRoomIsAnsweredOnceWithAStatusThatEndsAnEventSource() throws Exception {
        server = ServerUnderTest.withJwt("--rooms", "[{pattern: 'open:*', subscribe: authenticated}]");
        SseClient none = open("?rooms=open:a", Map.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).isEqualTo("application/json");
        assertThat(none.error().path("error").path("message").asText()).isEqualTo("missing token");
        assertThat(open("?rooms=open:a&token=" + Tokens.algNone("eve"), Map.of()).status()).isEqualTo(401);
        assertThat(open("?rooms=closed", Map.of("Authorization", "Bearer " + Tokens.hs256("bob"))).status())
                .isEqualTo(403);

        assertThat(live("?rooms=open:a", Map.of("Authorization", "Bearer " + Tokens.hs256("bob"))).status()).isEqualTo(200);
        assertThat(live("?rooms=open:a&token=" + Tokens.hs256("carol"), Map.of()).status()).isEqualTo(200);
    }

    @Test
    void streamsCountAgainstTheConnectionLimitsAndShowInPresenceAndMetrics() throws Exception {
        server = ServerUnderTest.withJwt("--max-connections-per-user", "1",
                "--rooms", "[{pattern: '*', subscribe: authenticated, presence: authenticated}]");
        String token = Tokens.hs256("dana");
        SseClient first = live("?rooms=r", Map.of("Authorization", "Bearer " + token));
        SseClient second = open("?rooms=r", Map.of("Authorization", "Bearer " + token));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.error().path("error").path("code").asText()).isEqualTo("rate_limited");

        JsonNode presence = JSON.readTree(get("/api/rooms/r/presence"));
        assertThat(presence.path("count").asInt()).isEqualTo(1);
        assertThat(presence.path("members").get(0).path("user").asText()).isEqualTo("dana");
        assertThat(get("/metrics")).contains("sockeye_engine_connections{transport=\"sse\"} 1");

        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/metrics").contains("sockeye_engine_connections{transport=\"sse\"} 0"));
        assertThat(live("?rooms=r", Map.of("Authorization", "Bearer " + token)).status()).isEqualTo(200);
    }

    @Test
    void streamsCountAgainstTheHandshakeRateAnd503TellsWhenToComeBack() throws Exception {
        // One handshake per 5 s from an address: the first stream used it.
        server = ServerUnderTest.start("--handshakes-per-second-per-ip", "0.2");
        SseClient first = live("?rooms=a", Map.of());
        SseClient second = open("?rooms=a", Map.of());
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.header("Retry-After")).isNotNull();
        String offset = publish("a", "m", 1);
        assertThat(first.events(1).get(0).id()).as("the admitted stream is unaffected").isEqualTo(offset);
    }

    @Test
    void theEnginesHeartbeatReachesTheStreamAsAComment() throws Exception {
        server = ServerUnderTest.start("--ping-interval", "1s");
        SseClient sse = live("?rooms=a", Map.of());
        assertThat(sse.comment().comment()).isEmpty();
        String after = publish("a", "m", 1);
        assertThat(sse.events(1).get(0).id()).as("the stream outlives its heartbeats").isEqualTo(after);
    }
}
