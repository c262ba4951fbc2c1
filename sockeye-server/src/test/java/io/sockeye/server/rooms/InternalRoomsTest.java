package io.sockeye.server.rooms;

import io.socket.client.Socket;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.RoomRule;
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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.API_KEY;
import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.errorCode;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.publishRequest;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static io.sockeye.server.rooms.RoomsHarness.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's own Socket.IO room, named by its socket id, is Sockeye's, not the rooms protocol's:
 * no client and no HTTP API call may subscribe to it, publish into it or ask its presence, whatever the
 * rules and grants say.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InternalRoomsTest {

    private RoomsHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Every event {@code victim} gets until it sees a marker published to a room it did subscribe to. */
    private static void assertNothingArrivedBefore(RoomsHarness harness, Socket victim, BlockingQueue<Object[]> injected)
            throws Exception {
        ask(victim, "subscribe", "marker");
        BlockingQueue<Object[]> marker = record(victim, "marker");
        Socket other = harness.connectAnonymous();
        assertThat(ask(other, "publish", publishRequest("marker", "marker", 1)).getBoolean("ok")).isTrue();
        next(marker, "marker");
        assertThat(injected).as("events injected into the victim's own room").isEmpty();
    }

    @Test
    void anAnonymousClientCannotSubscribeToOrPublishIntoAnotherConnectionsOwnRoom() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket victim = harness.connectAnonymous();
        BlockingQueue<Object[]> injected = record(victim, "injected");
        Socket attacker = harness.connectAnonymous();
        String victimRoom = victim.id();

        assertThat(errorCode(ask(attacker, "subscribe", victimRoom))).isEqualTo("invalid");
        assertThat(errorCode(ask(attacker, "publish", publishRequest(victimRoom, "injected", "boo")))).isEqualTo("invalid");
        assertThat(errorCode(ask(attacker, "presence", victimRoom))).isEqualTo("invalid");
        assertThat(errorCode(ask(victim, "subscribe", victimRoom))).as("not even its own").isEqualTo("invalid");
        assertNothingArrivedBefore(harness, victim, injected);
    }

    @Test
    void aWildcardGrantDoesNotReachAnotherConnectionsOwnRoom() throws Exception {
        harness = RoomsHarness.withRules(List.of(new RoomRule("*", Access.ANYONE, Access.ANYONE, Access.ANYONE, true)));
        Socket victim = harness.connect(token("victim"));
        BlockingQueue<Object[]> injected = record(victim, "injected");
        Map<String, Object> everything = Map.of("subscribe", List.of("*"), "publish", List.of("*"), "presence", List.of("*"));
        Socket attacker = harness.connect(token("mallory", Duration.ofHours(1), everything));

        assertThat(errorCode(ask(attacker, "subscribe", victim.id()))).isEqualTo("invalid");
        assertThat(errorCode(ask(attacker, "publish", publishRequest(victim.id(), "injected", "boo")))).isEqualTo("invalid");
        assertNothingArrivedBefore(harness, victim, injected);
        // The personal room is a public room that rules and grants govern: publishing to it still works.
        BlockingQueue<Object[]> direct = record(victim, "direct");
        assertThat(ask(attacker, "publish", publishRequest("user:victim", "direct", "hi")).getBoolean("ok")).isTrue();
        next(direct, "direct");
    }

    @Test
    void theHttpApiCannotPublishIntoOrDisconnectByAConnectionsOwnRoom() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket victim = harness.connectAnonymous();
        BlockingQueue<Object[]> injected = record(victim, "injected");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        for (String[] call : List.of(
                new String[] {"/api/publish", "{\"room\":\"" + victim.id() + "\",\"event\":\"injected\"}"},
                new String[] {"/api/broadcast", "{\"rooms\":[\"lobby\",\"" + victim.id() + "\"],\"event\":\"injected\"}"},
                new String[] {"/api/disconnect", "{\"room\":\"" + victim.id() + "\"}"})) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(harness.url() + call[0]))
                    .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(call[1])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(call[0]).isEqualTo(400);
            assertThat(res.body()).as(call[0]).contains("\"invalid\"");
        }
        HttpResponse<String> presence = http.send(HttpRequest.newBuilder(URI.create(harness.url() + "/api/rooms/"
                + victim.id() + "/presence")).header("Authorization", "Bearer " + API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(presence.statusCode()).isEqualTo(400);
        assertThat(victim.connected()).isTrue();
        assertNothingArrivedBefore(harness, victim, injected);
    }

    @Test
    void roomNamesOfOtherShapesStayUsable() {
        // 20 characters with a separator, 19 and 21 plain characters: not the shape of a socket id.
        for (String room : List.of("chat:0123456789abcde", "0123456789abcdefghi", "0123456789abcdefghijk",
                "user:AbCdEfGhIjKlMnOpQr-_", "news.AbCdEfGhIjKlMnOp")) {
            assertThat(Names.isValidRoom(room)).as(room).isTrue();
        }
        assertThat(Names.isValidRoom("AbCdEfGhIjKlMnOpQr-_")).isFalse();
    }
}
