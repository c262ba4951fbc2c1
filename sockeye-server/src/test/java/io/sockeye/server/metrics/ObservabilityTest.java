package io.sockeye.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.IO;
import io.sockeye.server.rooms.RoomsHarness;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.server.api.HttpApi;
import io.sockeye.server.auth.JwtSettings;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.limits.HandshakeLimiter;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.rooms.RoomsService;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations endpoints on a real server (rooms service, Netty, a real Java socket.io client):
 * {@code /metrics} moves as a scripted client connects, subscribes, publishes, hits the payload limit
 * and disconnects, and parses strictly every time; it needs the API key on the public port and is
 * open on the metrics port; {@code /readyz} flips while draining while {@code /healthz} stays up.
 */
class ObservabilityTest {

    private static final String API_KEY = "metrics-test-key";
    private static final long WAIT_SECONDS = 30;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    private Readiness readiness;
    private PrometheusMetrics metrics;
    private SocketIoServer io;
    private RoomsService rooms;
    private TokenVerifier verifier;
    private MetricsEndpoint endpoint;
    private NettyFrontend server;
    private MetricsPortServer metricsPortServer;
    private Socket client;

    @BeforeEach
    void start() {
        readiness = new Readiness();
        metrics = PrometheusMetrics.builder().readiness(readiness)
                .eventAllowlist(Set.of("subscribe", "unsubscribe", "publish", "presence", "refresh")).build();
        io = SocketIoServer.create(ServerOptions.builder().metrics(metrics).build());
        LimitsSettings limits = LimitsSettings.builder().maxPayloadBytes(64).build();
        verifier = new TokenVerifier(JwtSettings.none());
        rooms = new RoomsService(io, new Permissions(List.of(), true), verifier, limits, Clock.systemUTC());
        rooms.install();
        metrics.exportStats(rooms.stats());
        endpoint = MetricsEndpoint.protectedBy(metrics.registry(), API_KEY);
        server = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io)
                .fallback(HttpRouter.of(new HealthEndpoint(readiness), endpoint, new HttpApi(rooms, API_KEY, limits)))
                .handshakeFilter(new HandshakeLimiter(limits, Clock.systemUTC(), rooms.stats()))
                .build().start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (metricsPortServer != null) {
            metricsPortServer.close();
        }
        server.close();
        endpoint.close();
        rooms.close();
        verifier.close();
        metrics.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(WAIT_SECONDS));
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> res) throws Exception {
        return new ObjectMapper().readTree(res.body());
    }

    private TextExposition scrape() throws Exception {
        HttpResponse<String> res = get(base() + "/metrics", API_KEY);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return TextExposition.parse(res.body());
    }

    private Socket connect() throws Exception {
        return RoomsHarness.connected(IO.socket(base(), RoomsHarness.websocketOptions()));
    }

    private static JSONObject ask(Socket socket, String event, Object arg) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, new Object[] {arg}, reply::complete);
        return (JSONObject) reply.get(WAIT_SECONDS, TimeUnit.SECONDS)[0];
    }

    @Test
    void metricsFollowAScriptedClientThroughConnectPublishLimitAndDisconnect() throws Exception {
        TextExposition before = scrape();
        assertThat(before.value("sockeye_engine_connections", "transport", "websocket")).isZero();

        client = connect();
        CompletableFuture<Object[]> chat = new CompletableFuture<>();
        client.on("chat", chat::complete);
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("sockeye_engine_connections", "transport", "websocket") == 1);
        TextExposition connected = scrape();
        assertThat(connected.value("sockeye_handshakes_total", "transport", "websocket")).isEqualTo(1);
        assertThat(connected.value("sockeye_connections", "namespace", "/")).isEqualTo(1);
        assertThat(connected.value("sockeye_rooms_service_connections")).isEqualTo(1);
        assertThat(connected.value("sockeye_timer_pending_timeouts")).as("the session's heartbeat").isPositive();

        assertThat(ask(client, "subscribe", "lobby").getBoolean("ok")).isTrue();
        JSONObject publish = new JSONObject().put("room", "lobby").put("event", "chat").put("data", "hi");
        assertThat(ask(client, "publish", publish).getBoolean("ok")).isTrue();
        chat.get(WAIT_SECONDS, TimeUnit.SECONDS);
        JSONObject tooLarge = new JSONObject().put("room", "lobby").put("event", "chat").put("data", "x".repeat(200));
        JSONObject refused = ask(client, "publish", tooLarge);
        assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("too_large");

        TextExposition busy = scrape();
        assertThat(busy.value("sockeye_events_received_total", "event", "subscribe")).isEqualTo(1);
        assertThat(busy.value("sockeye_events_received_total", "event", "publish")).isEqualTo(2);
        assertThat(busy.value("sockeye_packets_received_total", "type", "event")).isEqualTo(3);
        assertThat(busy.value("sockeye_packets_sent_total", "type", "ack")).isEqualTo(3);
        assertThat(busy.value("sockeye_packet_received_bytes_total", "type", "event")).isGreaterThan(200);
        assertThat(busy.value("sockeye_publishes_total")).isEqualTo(1);
        assertThat(busy.value("sockeye_broadcasts_total", "namespace", "/")).isGreaterThanOrEqualTo(1);
        assertThat(busy.value("sockeye_rejections_total", "reason", "too_large")).isEqualTo(1);
        assertThat(busy.value("sockeye_rooms", "namespace", "/")).as("lobby and the personal/presence rooms")
                .isGreaterThanOrEqualTo(1);
        assertThat(busy.value("sockeye_engine_received_bytes_total", "transport", "websocket")).isGreaterThan(200);
        assertThat(busy.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(busy.has("sockeye_netty_allocator_used_bytes")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("sockeye_event_loop_delay_seconds_count") > 0);

        client.disconnect();
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("sockeye_engine_connections", "transport", "websocket") == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().valueOrZero("sockeye_connections", "namespace", "/") == 0);
        TextExposition after = scrape();
        assertThat(after.value("sockeye_engine_connections_peak", "transport", "websocket")).isEqualTo(1);
        assertThat(after.value("sockeye_connections_peak", "namespace", "/")).isEqualTo(1);
        assertThat(after.value("sockeye_disconnects_total", "namespace", "/", "reason", "client namespace disconnect"))
                .isEqualTo(1);
        assertThat(after.families().get("sockeye_engine_disconnects_total").samples())
                .extracting(TextExposition.Sample::value).containsExactly(1.0);

        MetricsSample sample = metrics.sample();
        assertThat(sample.connections()).isZero();
        assertThat(sample.publishes()).isEqualTo(1);
        assertThat(sample.eventsReceived()).isEqualTo(3);
    }

    @Test
    void metricsNeedTheApiKeyOnThePublicPort() throws Exception {
        assertThat(get(base() + "/metrics", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get(base() + "/metrics", "not-the-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(API_KEY);
        assertThat(get(base() + "/metrics", API_KEY).statusCode()).isEqualTo(200);
        // The application's own routes still answer behind the chain.
        assertThat(get(base() + "/api/stats", API_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAnApiKeyThePublicMetricsSayHowToEnableThem() throws Exception {
        try (MetricsEndpoint closed = MetricsEndpoint.protectedBy(metrics.registry(), null)) {
            metricsPortServer = MetricsPortServer.start("127.0.0.1", 0, closed);
            HttpResponse<String> res = get("http://127.0.0.1:" + metricsPortServer.port() + "/metrics", "anything");
            assertThat(res.statusCode()).isEqualTo(401);
            assertThat(res.body()).contains("--metrics-port");
        }
    }

    @Test
    void theMetricsPortServesMetricsWithoutAKeyAndTheHealthProbes() throws Exception {
        try (MetricsEndpoint open = MetricsEndpoint.open(metrics.registry())) {
            metricsPortServer = MetricsPortServer.start("127.0.0.1", 0, new HealthEndpoint(readiness), open);
            String metricsBase = "http://127.0.0.1:" + metricsPortServer.port();
            HttpResponse<String> res = get(metricsBase + "/metrics", null);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(TextExposition.parse(res.body()).value("sockeye_ready")).isEqualTo(1);
            assertThat(get(metricsBase + "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(get(metricsBase + "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(get(metricsBase + "/elsewhere", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void readinessFlipsWhileDrainingButLivenessStaysUp() throws Exception {
        HttpResponse<String> ready = get(base() + "/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("ready").asBoolean()).isTrue();
        assertThat(json(ready).get("checks").get("clusterBus").asText()).isEqualTo("none");

        readiness.setDraining(true);
        HttpResponse<String> draining = get(base() + "/readyz", null);
        assertThat(draining.statusCode()).isEqualTo(503);
        JsonNode body = json(draining);
        assertThat(body.get("ready").asBoolean()).isFalse();
        assertThat(body.get("reasons").toString()).isEqualTo("[\"draining\"]");
        assertThat(scrape().value("sockeye_ready")).isZero();

        HttpResponse<String> live = get(base() + "/healthz", null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"ok\":true,\"status\":\"alive\"}");

        metrics.clusterBusStatus(false, "nats: connection lost");
        readiness.setDraining(false);
        JsonNode busDown = json(get(base() + "/readyz", null));
        assertThat(busDown.get("reasons").toString()).isEqualTo("[\"cluster bus unreachable\"]");
        assertThat(busDown.get("checks").get("clusterBusDetail").asText()).isEqualTo("nats: connection lost");
    }
}
