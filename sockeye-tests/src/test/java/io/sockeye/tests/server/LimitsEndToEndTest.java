package io.sockeye.tests.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Socket;
import io.sockeye.server.limits.RejectionReason;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.server.Clients.ask;
import static io.sockeye.tests.server.Clients.code;
import static io.sockeye.tests.server.Clients.next;
import static io.sockeye.tests.server.Clients.ok;
import static io.sockeye.tests.server.Clients.publish;
import static io.sockeye.tests.server.Clients.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every limit of docs/configuration.md "Limits", configured by its flag, hit by one client and answered as documented,
 * while a bystander connected to the same server keeps working. Rates are set low enough (a token
 * every few seconds) that the test's own pace cannot refill a bucket by accident.
 */
@DisplayName("standalone server: limits and abuse protection")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LimitsEndToEndTest {

    private ServerUnderTest server;
    private Clients clients;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Socket startWithBystander(String... flags) throws Exception {
        String[] all = new String[flags.length + 1];
        all[0] = "--allow-anonymous";
        System.arraycopy(flags, 0, all, 1, flags.length);
        server = ServerUnderTest.start(all);
        clients = new Clients(server.url());
        return clients.anonymous();
    }

    /** A rejection counter, read as a backend would: {@code GET /api/stats}. */
    private long rejections(RejectionReason reason) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/stats"))
                .header("Authorization", "Bearer " + ServerUnderTest.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(res.body()).path("rejections").path(reason.key()).asLong(-1);
    }

    private static void stillWorks(Socket bystander) throws Exception {
        BlockingQueue<Object[]> echo = record(bystander, "echo");
        assertThat(ok(ask(bystander, "subscribe", "bystander"))).isTrue();
        assertThat(ok(ask(bystander, "publish", publish("bystander", "echo", "still here")))).isTrue();
        assertThat(next(echo, "echo")[0]).isEqualTo("still here");
    }

    @Test
    void eventRate() throws Exception {
        Socket bystander = startWithBystander("--events-per-second", "0.2", "--event-burst", "3");
        Socket client = clients.anonymous();
        for (int i = 0; i < 3; i++) {
            assertThat(ok(ask(client, "subscribe", "r" + i))).isTrue();
        }
        assertThat(code(ask(client, "subscribe", "r3"))).isEqualTo("rate_limited");
        assertThat(client.connected()).isTrue();
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.RATE_LIMITED)).isEqualTo(1);
    }

    @Test
    void sustainedAbuseDisconnects() throws Exception {
        // The bystander needs 2 requests of the burst of 3 it also has.
        Socket bystander = startWithBystander("--events-per-second", "0.2", "--event-burst", "3",
                "--abuse-disconnect-after", "5");
        Socket flooder = clients.anonymous();
        BlockingQueue<Object[]> why = record(flooder, "sockeye:error");
        BlockingQueue<Object[]> gone = record(flooder, Socket.EVENT_DISCONNECT);
        for (int i = 0; i < 12; i++) {
            flooder.emit("flood", i);
        }
        assertThat(((JSONObject) next(why, "sockeye:error")[0]).getString("code")).isEqualTo("rate_limited");
        assertThat(next(gone, "disconnect")[0]).isEqualTo("io server disconnect");
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.ABUSE_DISCONNECT)).isEqualTo(1);
    }

    @Test
    void maximumPayload() throws Exception {
        Socket bystander = startWithBystander("--max-payload-bytes", "1000");
        Socket client = clients.anonymous();
        assertThat(code(ask(client, "publish", publish("r", "big", "x".repeat(2000))))).isEqualTo("too_large");
        assertThat(code(ask(client, "publish", publish("r", "big", new byte[1500])))).isEqualTo("too_large");
        assertThat(ok(ask(client, "publish", publish("r", "small", "x".repeat(500))))).isTrue();
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void theProtocolsOwnBufferLimitClosesOnlyTheOffendingConnection() throws Exception {
        // Short heartbeats: this Java client may only notice the closed transport when pings stop.
        Socket bystander = startWithBystander("--max-http-buffer-size", "10000", "--max-payload-bytes", "5000",
                "--ping-interval", "1s", "--ping-timeout", "1s");
        Socket client = clients.connect(null, "polling");
        BlockingQueue<Object[]> gone = record(client, Socket.EVENT_DISCONNECT);
        client.emit("publish", publish("r", "huge", "x".repeat(20_000)));
        assertThat(next(gone, "disconnect past maxHttpBufferSize")[0])
                .isIn("transport close", "transport error", "ping timeout");
        stillWorks(bystander);
    }

    @Test
    void roomsPerConnection() throws Exception {
        Socket bystander = startWithBystander("--max-rooms-per-connection", "2");
        Socket client = clients.anonymous();
        assertThat(ok(ask(client, "subscribe", "a"))).isTrue();
        assertThat(ok(ask(client, "subscribe", "b"))).isTrue();
        assertThat(code(ask(client, "subscribe", "c"))).isEqualTo("forbidden");
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.ROOM_LIMIT)).isEqualTo(1);
    }

    @Test
    void connectionsPerIp() throws Exception {
        Socket bystander = startWithBystander("--max-connections-per-ip", "2");
        clients.anonymous();
        JSONObject refusal = clients.refusedByServer(null);
        assertThat(refusal.getString("message")).isEqualTo("rate_limited");
        assertThat(refusal.getJSONObject("data").getString("reason")).contains("address");
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.CONNECTIONS_PER_IP)).isEqualTo(1);
    }

    @Test
    void connectionsPerUser() throws Exception {
        server = ServerUnderTest.withJwt("--max-connections-per-user", "1",
                "--rooms", "[{pattern: '*', subscribe: authenticated, publish: authenticated}]");
        clients = new Clients(server.url());
        Socket bystander = clients.connect(Tokens.hs256("bob"));
        clients.connect(Tokens.hs256("alice"));
        JSONObject refusal = clients.refusedByServer(Tokens.hs256("alice"));
        assertThat(refusal.getString("message")).isEqualTo("rate_limited");
        assertThat(refusal.getJSONObject("data").getString("reason")).contains("user");
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.CONNECTIONS_PER_USER)).isEqualTo(1);
    }

    @Test
    void handshakesPerIpGet503() throws Exception {
        // One handshake per 5 s from an address: the bystander's used it.
        Socket bystander = startWithBystander("--handshakes-per-second-per-ip", "0.2");
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(
                URI.create(server.url() + "/socket.io/?EIO=4&transport=polling")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(res.headers().firstValue("retry-after")).isPresent();
        assertThat(res.body()).contains("\"code\":\"unavailable\"");
        assertThat(clients.refused(null)).as("a socket.io client sees a connect_error").isNotNull();
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.HANDSHAKE_RATE_IP)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void handshakesGloballyGet503() throws Exception {
        Socket bystander = startWithBystander("--handshakes-per-second", "0.2");
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(
                URI.create(server.url() + "/socket.io/?EIO=4&transport=polling")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(503);
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.HANDSHAKE_RATE_GLOBAL)).isEqualTo(1);
    }

    @Test
    void apiBodySize() throws Exception {
        Socket bystander = startWithBystander("--api-max-body-bytes", "200");
        String body = "{\"room\":\"r\",\"event\":\"e\",\"data\":\"" + "x".repeat(500) + "\"}";
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/publish"))
                .header("Authorization", "Bearer " + ServerUnderTest.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(res.body()).contains("\"code\":\"too_large\"");
        stillWorks(bystander);
        assertThat(rejections(RejectionReason.API_TOO_LARGE)).isEqualTo(1);
    }
}
