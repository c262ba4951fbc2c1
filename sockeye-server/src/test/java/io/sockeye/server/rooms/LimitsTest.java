package io.sockeye.server.rooms;

import io.socket.client.Socket;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
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

import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.errorCode;
import static io.sockeye.server.rooms.RoomsHarness.connectError;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.publishRequest;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static io.sockeye.server.rooms.RoomsHarness.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every per-connection limit of docs/configuration.md "Limits" is hit and answered as documented, counted, and another
 * client keeps working meanwhile. Time is the harness's test clock, so buckets refill only when told.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitsTest {

    private RoomsHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The bystander still gets answers and deliveries. */
    private static void stillWorks(Socket bystander) throws Exception {
        BlockingQueue<Object[]> echo = record(bystander, "echo");
        assertThat(ask(bystander, "subscribe", "bystander").getBoolean("ok")).isTrue();
        assertThat(ask(bystander, "publish", publishRequest("bystander", "echo", "ping")).getBoolean("ok")).isTrue();
        assertThat(next(echo, "echo")[0]).isEqualTo("ping");
    }

    @Test
    void requestsOverTheRateAreAnsweredRateLimitedUntilTheBucketRefills() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().eventsPerSecond(1).eventBurst(3).build());
        Socket flooder = harness.connectAnonymous();
        Socket bystander = harness.connectAnonymous();

        for (int i = 0; i < 3; i++) {
            assertThat(ask(flooder, "subscribe", "r" + i).getBoolean("ok")).isTrue();
        }
        JSONObject limited = ask(flooder, "subscribe", "r3");
        assertThat(errorCode(limited)).isEqualTo("rate_limited");
        assertThat(flooder.connected()).isTrue();
        stillWorks(bystander);
        assertThat(harness.rooms.stats().rejections(RejectionReason.RATE_LIMITED)).isEqualTo(1);

        harness.clock.advance(Duration.ofSeconds(1));
        assertThat(ask(flooder, "subscribe", "r3").getBoolean("ok")).isTrue();
    }

    @Test
    void unknownEventsSpendTheSameBudget() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().eventsPerSecond(1).eventBurst(2).build());
        Socket client = harness.connectAnonymous();
        client.emit("whatever", 1);
        client.emit("whatever", 2);
        assertThat(errorCode(ask(client, "subscribe", "x"))).isEqualTo("rate_limited");
    }

    @Test
    void sustainedAbuseDisconnectsTheConnectionWithAReason() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder()
                .eventsPerSecond(1).eventBurst(3).abuseDisconnectAfter(3).build()); // the bystander needs 3
        Socket flooder = harness.connectAnonymous();
        Socket bystander = harness.connectAnonymous();
        BlockingQueue<Object[]> errors = record(flooder, "sockeye:error");
        BlockingQueue<Object[]> disconnects = record(flooder, Socket.EVENT_DISCONNECT);

        for (int i = 0; i < 10; i++) {
            flooder.emit("spam", i);
        }
        JSONObject error = (JSONObject) next(errors, "sockeye:error")[0];
        assertThat(error.getString("code")).isEqualTo("rate_limited");
        assertThat(next(disconnects, "disconnect")[0]).isEqualTo("io server disconnect");
        assertThat(harness.rooms.stats().rejections(RejectionReason.ABUSE_DISCONNECT)).isEqualTo(1);
        stillWorks(bystander);
    }

    @Test
    void aPublishOverTheMaximumPayloadIsTooLarge() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().maxPayloadBytes(100).build());
        Socket client = harness.connectAnonymous();
        Socket bystander = harness.connectAnonymous();
        assertThat(errorCode(ask(client, "publish", publishRequest("r", "e", "x".repeat(200))))).isEqualTo("too_large");
        assertThat(errorCode(ask(client, "publish", publishRequest("r", "e", new byte[101])))).isEqualTo("too_large");
        assertThat(ask(client, "publish", publishRequest("r", "e", "x".repeat(50))).getBoolean("ok")).isTrue();
        stillWorks(bystander);
        assertThat(harness.rooms.stats().rejections(RejectionReason.TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void aSubscribePastTheRoomLimitIsForbidden() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().maxRoomsPerConnection(2).build());
        Socket client = harness.connectAnonymous();
        Socket bystander = harness.connectAnonymous();
        ask(client, "subscribe", "a");
        ask(client, "subscribe", "b");
        JSONObject third = ask(client, "subscribe", "c");
        assertThat(errorCode(third)).isEqualTo("forbidden");
        assertThat(third.getJSONObject("error").getString("message")).contains("2");
        assertThat(ask(client, "subscribe", "a").getBoolean("ok")).as("already subscribed").isTrue();
        stillWorks(bystander);

        ask(client, "unsubscribe", "a");
        assertThat(ask(client, "subscribe", "c").getBoolean("ok")).isTrue();
        assertThat(harness.rooms.stats().rejections(RejectionReason.ROOM_LIMIT)).isEqualTo(1);
    }

    @Test
    void connectionsPastThePerUserLimitAreRefusedUntilOneLeaves() throws Exception {
        harness = RoomsHarness.withRules(List.of(RoomRule.of("*", Access.AUTHENTICATED)),
                LimitsSettings.builder().maxConnectionsPerUser(2).build());
        Socket first = harness.connect(token("alice"));
        harness.connect(token("alice"));
        Socket bob = harness.connect(token("bob"));

        JSONObject error = connectError(harness.client(token("alice")));
        assertThat(error.getString("message")).isEqualTo("rate_limited");
        assertThat(error.getJSONObject("data").getString("reason")).contains("user");
        stillWorks(bob);
        assertThat(harness.rooms.stats().rejections(RejectionReason.CONNECTIONS_PER_USER)).isEqualTo(1);

        first.disconnect();
        org.awaitility.Awaitility.await().atMost(RoomsHarness.WAIT_SECONDS, TimeUnit.SECONDS)
                .until(() -> harness.rooms.stats().connections() == 2);
        harness.connect(token("alice"));
    }

    @Test
    void connectionsPastThePerIpLimitAreRefused() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().maxConnectionsPerIp(2).build());
        harness.connectAnonymous();
        Socket bystander = harness.connectAnonymous();
        JSONObject error = connectError(harness.client(null));
        assertThat(error.getString("message")).isEqualTo("rate_limited");
        assertThat(error.getJSONObject("data").getString("reason")).contains("address");
        stillWorks(bystander);
        assertThat(harness.rooms.stats().rejections(RejectionReason.CONNECTIONS_PER_IP)).isEqualTo(1);
    }

    @Test
    void handshakesPastThePerIpRateGet503WithRetryAfterWhileConnectedClientsWork() throws Exception {
        harness = RoomsHarness.anonymous(LimitsSettings.builder().handshakesPerSecondPerIp(2).build());
        Socket bystander = harness.connectAnonymous();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest handshake = HttpRequest.newBuilder(
                URI.create(harness.url() + "/socket.io/?EIO=4&transport=polling")).build();

        assertThat(http.send(handshake, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = http.send(handshake, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).contains("1");
        assertThat(refused.body()).contains("\"code\":\"unavailable\"");
        // A socket.io client sees the refused handshake as a connect_error and may retry later.
        Socket refusedClient = harness.client(null);
        BlockingQueue<Object[]> connectErrors = record(refusedClient, Socket.EVENT_CONNECT_ERROR);
        refusedClient.connect();
        next(connectErrors, "connect_error after a 503 handshake");
        stillWorks(bystander);
        assertThat(harness.rooms.stats().rejections(RejectionReason.HANDSHAKE_RATE_IP)).isEqualTo(2);

        harness.clock.advance(Duration.ofSeconds(1));
        assertThat(http.send(handshake, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
