package io.sockeye.server.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Socket;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.RoomRule;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.API_KEY;
import static io.sockeye.server.rooms.RoomsHarness.WAIT_SECONDS;
import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.errorCode;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.publishRequest;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code subscribe {room, since}}, {@code history} and {@code GET /api/rooms/{room}/history} with the
 * real Java socket.io client 2.1.2 (which has no connection state recovery: it catches up with
 * {@code since}), offsets in acks and in every message's {@code meta}, and the answers to bad input.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RoomHistoryProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OFFSET = "[0-9a-z]{8}\\.[0-9]{16}";
    private RoomsHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static String publish(Socket client, String room, Object data) throws Exception {
        JSONObject reply = ask(client, "publish", publishRequest(room, "message", data));
        assertThat(reply.getBoolean("ok")).as("publish %s", reply).isTrue();
        return reply.getString("id");
    }

    /** Subscribes with {@code since}; returns the ack and the messages that arrived before it, in order. */
    private record CatchUp(JSONObject ack, List<Object[]> before) {
    }

    private static CatchUp subscribeSince(Socket client, String room, Object since) throws Exception {
        List<Object[]> seen = new ArrayList<>();
        client.on("message", seen::add); // the client's event thread runs listeners and acks in arrival order
        CompletableFuture<CatchUp> done = new CompletableFuture<>();
        client.emit("subscribe", new Object[] {new JSONObject().put("room", room).put("since", since)},
                args -> done.complete(new CatchUp((JSONObject) args[0], new ArrayList<>(seen))));
        return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void subscribeSinceReplaysWhatWasMissedInOrderThenAcksRecoveredAndGoesLive() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket publisher = harness.connectAnonymous();
        Socket first = harness.connectAnonymous();
        JSONObject subscribed = ask(first, "subscribe", "chat");
        String since = subscribed.getString("offset");
        assertThat(since).matches(OFFSET);
        first.close(); // the reader goes away; three messages are published meanwhile
        List<String> ids = List.of(publish(publisher, "chat", 1), publish(publisher, "chat", 2), publish(publisher, "chat", 3));

        Socket back = harness.connectAnonymous();
        CatchUp catchUp = subscribeSince(back, "chat", since);

        assertThat(catchUp.ack().getBoolean("ok")).isTrue();
        assertThat(catchUp.ack().getString("room")).isEqualTo("chat");
        assertThat(catchUp.ack().getBoolean("recovered")).isTrue();
        assertThat(catchUp.before()).extracting(args -> ((JSONObject) args[1]).getString("id")).containsExactlyElementsOf(ids);
        assertThat(catchUp.before()).extracting(args -> args[0]).containsExactly(1, 2, 3);
        for (Object[] args : catchUp.before()) {
            // meta.offset is the offset the message carries as its last argument, as live messages do
            assertThat(((JSONObject) args[1]).getString("offset")).matches(OFFSET).isEqualTo(args[2]);
        }
        assertThat(catchUp.ack().getString("offset")).isEqualTo(catchUp.before().get(2)[2]);

        BlockingQueue<Object[]> live = record(back, "message");
        publish(publisher, "chat", 4);
        Object[] fourth = next(live, "the live message");
        assertThat(fourth[0]).isEqualTo(4);
        assertThat(((JSONObject) fourth[1]).getString("offset")).isEqualTo(fourth[2]).isGreaterThan(catchUp.ack().getString("offset"));
        assertThat(live.poll(200, TimeUnit.MILLISECONDS)).as("nothing doubled").isNull();
    }

    @Test
    void subscribeSinceTheLatestOffsetReplaysNothing() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        ask(client, "subscribe", "chat");
        publish(client, "chat", "x");
        String latest = history(client, new JSONObject().put("room", "chat")).getString("offset");

        CatchUp catchUp = subscribeSince(harness.connectAnonymous(), "chat", latest);

        assertThat(catchUp.ack().getBoolean("recovered")).isTrue();
        assertThat(catchUp.ack().getString("offset")).isEqualTo(latest);
        assertThat(catchUp.before()).isEmpty();
    }

    @Test
    void sinceTheHistoryCannotCoverIsNotRecoveredAndReplaysNothing() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        publish(client, "chat", "x");
        String head = history(client, new JSONObject().put("room", "chat")).getString("offset");
        String epoch = head.substring(0, 8);
        String otherEpoch = (epoch.equals("zzzzzzzz") ? "yyyyyyyy" : "zzzzzzzz") + head.substring(8);
        String future = epoch + ".9999999999999999";

        for (String since : List.of(otherEpoch, future)) {
            CatchUp catchUp = subscribeSince(harness.connectAnonymous(), "chat", since);
            assertThat(catchUp.ack().getBoolean("ok")).isTrue();
            assertThat(catchUp.ack().getBoolean("recovered")).as("since %s", since).isFalse();
            assertThat(catchUp.ack().getString("offset")).isEqualTo(head);
            assertThat(catchUp.before()).isEmpty();
        }
    }

    @Test
    void badSinceIsInvalidAndSinceWithoutPermissionIsForbidden() throws Exception {
        harness = RoomsHarness.withRules(List.of(new RoomRule("open", Access.ANYONE, Access.ANYONE, Access.NONE, false)));
        Socket client = harness.connectAnonymous();
        String valid = ask(client, "subscribe", "open").getString("offset");

        for (Object since : List.of("nope", "", "K3J9X0QA.0000000000000001", valid + "0", "x".repeat(100), 5, true,
                new JSONObject(), new JSONArray())) {
            JSONObject reply = ask(client, "subscribe", new JSONObject().put("room", "open").put("since", since));
            assertThat(errorCode(reply)).as("since %s", since).isEqualTo("invalid");
        }
        assertThat(errorCode(ask(client, "subscribe", new JSONObject().put("room", "closed").put("since", valid))))
                .isEqualTo("forbidden");
        assertThat(errorCode(ask(client, "history", new JSONObject().put("room", "closed")))).isEqualTo("forbidden");
    }

    private static JSONObject history(Socket client, JSONObject request) throws Exception {
        JSONObject reply = ask(client, "history", request);
        assertThat(reply.getBoolean("ok")).as("history %s", reply).isTrue();
        return reply;
    }

    @Test
    void historyAnswersTheNewestMessagesOldestFirstAndPagesOnWithSince() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        for (int i = 1; i <= 5; i++) {
            publish(client, "chat", i);
        }
        publish(client, "elsewhere", 99);

        JSONObject newest = history(client, new JSONObject().put("room", "chat").put("limit", 2));
        JSONArray messages = newest.getJSONArray("messages");
        assertThat(messages.length()).isEqualTo(2);
        assertThat(messages.getJSONObject(0).getInt("data")).isEqualTo(4);
        assertThat(messages.getJSONObject(1).getInt("data")).isEqualTo(5);
        assertThat(messages.getJSONObject(1).getString("event")).isEqualTo("message");
        assertThat(messages.getJSONObject(1).getJSONObject("meta").getString("room")).isEqualTo("chat");
        assertThat(newest.getBoolean("recovered")).isTrue();

        JSONObject all = history(client, new JSONObject().put("room", "chat"));
        assertThat(all.getJSONArray("messages").length()).isEqualTo(5);
        String afterSecond = all.getJSONArray("messages").getJSONObject(1).getJSONObject("meta").getString("offset");
        JSONObject page = history(client, new JSONObject().put("room", "chat").put("since", afterSecond).put("limit", 2));
        assertThat(page.getJSONArray("messages").getJSONObject(0).getInt("data")).isEqualTo(3);
        assertThat(page.getJSONArray("messages").getJSONObject(1).getInt("data")).isEqualTo(4);
        JSONObject rest = history(client, new JSONObject().put("room", "chat").put("since", page.getString("offset")));
        assertThat(rest.getJSONArray("messages").length()).isEqualTo(1);
        assertThat(rest.getJSONArray("messages").getJSONObject(0).getInt("data")).isEqualTo(5);
    }

    @Test
    void historyLimitOutsideOneToTheMaximumOrNotAnIntegerIsInvalid() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        for (Object limit : List.of(-1, 0, 1_000_000_000, RoomsService.MAX_HISTORY_LIMIT + 1, "5", 2.5, true)) {
            JSONObject reply = ask(client, "history", new JSONObject().put("room", "chat").put("limit", limit));
            assertThat(errorCode(reply)).as("limit %s", limit).isEqualTo("invalid");
        }
        assertThat(errorCode(ask(client, "history", "chat"))).isEqualTo("invalid");
        assertThat(errorCode(ask(client, "history", new JSONObject().put("room", "chat").put("since", "forged"))))
                .isEqualTo("invalid");
        assertThat(history(client, new JSONObject().put("room", "chat").put("limit", RoomsService.MAX_HISTORY_LIMIT))
                .getJSONArray("messages").length()).isZero();
    }

    private JsonNode httpGet(String path, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(harness.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY).GET().build();
        HttpResponse<String> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("GET %s: %s", path, res.body()).isEqualTo(status);
        return JSON.readTree(res.body());
    }

    @Test
    void historyOverTheHttpApiHasTheSameShapeAndAnswersBadInputInvalid() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket client = harness.connectAnonymous();
        String first = publish(client, "news/today", "a");
        publish(client, "news/today", "b");

        JsonNode body = httpGet("/api/rooms/news%2Ftoday/history?limit=5", 200);
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.get("messages")).hasSize(2);
        assertThat(body.get("messages").get(0).get("meta").get("id").asText()).isEqualTo(first);
        assertThat(body.get("messages").get(1).get("data").asText()).isEqualTo("b");
        String since = body.get("messages").get(0).get("meta").get("offset").asText();
        JsonNode after = httpGet("/api/rooms/news/today/history?since=" + since, 200);
        assertThat(after.get("messages")).hasSize(1);
        assertThat(after.get("offset").asText()).isEqualTo(body.get("offset").asText());

        for (String query : List.of("?limit=-1", "?limit=0", "?limit=1000000000", "?limit=x", "?since=forged",
                "?since=", "?limit=1&limit=2")) {
            assertThat(httpGet("/api/rooms/news/history" + query, 400).get("error").get("code").asText())
                    .as(query).isEqualTo("invalid");
        }
        assertThat(httpGet("/api/rooms/bad%20room/history", 400).get("error").get("code").asText()).isEqualTo("invalid");
    }
}
