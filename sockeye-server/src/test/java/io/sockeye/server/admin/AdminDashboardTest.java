package io.sockeye.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.IO;
import io.sockeye.server.rooms.RoomsHarness;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.server.auth.JwtSettings;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.metrics.PrometheusMetrics;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard over real HTTP next to a real rooms service and real socket.io clients: nothing but
 * the login form without a session, the login sets an HttpOnly cookie, then the page, Chart.js from
 * its WebJar, the stats, tables and actions work.
 */
class AdminDashboardTest {

    private static final long WAIT_SECONDS = 30;
    private static final String PASSWORD = "dashboard-pw";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    private final ObjectMapper json = new ObjectMapper();
    private PrometheusMetrics metrics;
    private SocketIoServer io;
    private TokenVerifier verifier;
    private RoomsService rooms;
    private NettyFrontend server;
    private Socket client;

    @BeforeEach
    void start() {
        metrics = PrometheusMetrics.builder().eventAllowlist(Set.of("publish")).jvmMetrics(false).build();
        io = SocketIoServer.create(ServerOptions.builder().metrics(metrics).build());
        verifier = new TokenVerifier(JwtSettings.none());
        rooms = new RoomsService(io, new Permissions(List.of(), true), verifier, LimitsSettings.builder().build(),
                Clock.systemUTC());
        rooms.install();
        metrics.exportStats(rooms.stats());
        AdminDashboard dashboard = AdminDashboard.builder(io, AdminCredentials.of("admin", PASSWORD))
                .rooms(rooms).samples(metrics::sample).build();
        server = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).fallback(HttpRouter.of(dashboard)).build().start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
        rooms.close();
        verifier.close();
        metrics.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(WAIT_SECONDS));
        if (cookie != null) {
            req.header("Cookie", cookie);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String type, String body) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(WAIT_SECONDS))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            req.header("Cookie", cookie);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String login() throws Exception {
        HttpResponse<String> res = post("/admin/login", null, "application/x-www-form-urlencoded", "password=" + PASSWORD);
        assertThat(res.statusCode()).isEqualTo(303);
        assertThat(res.headers().firstValue("location")).hasValue("/admin/");
        String setCookie = res.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/admin").startsWith("sockeye_admin=");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private Socket connectClient() throws Exception {
        return RoomsHarness.connected(IO.socket(base(), RoomsHarness.websocketOptions()));
    }

    @Test
    void nothingButTheLoginFormIsServedWithoutASession() throws Exception {
        for (String path : List.of("/admin/", "/admin/app.js", "/admin/vendor/chart.umd.js", "/admin")) {
            HttpResponse<String> res = get(path, null);
            assertThat(res.statusCode()).as(path).isEqualTo(303);
            assertThat(res.body()).as(path).isEmpty();
        }
        assertThat(get("/admin/", null).headers().firstValue("location")).hasValue("/admin/login");
        for (String path : List.of("/admin/api/stats", "/admin/api/users", "/admin/api/rooms")) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(post("/admin/api/publish", null, "application/json", "{\"room\":\"r\"}").statusCode()).isEqualTo(401);
        assertThat(get("/admin/api/stats", "sockeye_admin=forged").statusCode()).isEqualTo(401);

        HttpResponse<String> form = get("/admin/login", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"password\"");

        HttpResponse<String> wrong = post("/admin/login", null, "application/x-www-form-urlencoded", "password=nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
        assertThat(wrong.body()).contains("failed-login");
    }

    @Test
    void aSessionServesThePageChartJsAndLiveStats() throws Exception {
        String cookie = login();
        HttpResponse<String> page = get("/admin/", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("chart-connections", "chart-recoveries", "/admin/vendor/chart.umd.js");
        assertThat(page.headers().firstValue("content-security-policy")).isPresent();
        HttpResponse<String> chart = get("/admin/vendor/chart.umd.js", cookie);
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js v4");

        assertThat(json.readTree(get("/admin/api/stats", cookie).body()).get("connections").asLong()).isZero();
        client = connectClient();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).pollInterval(Duration.ofMillis(200)).until(() ->
                json.readTree(get("/admin/api/stats", cookie).body()).get("connections").asLong() == 1);
        JsonNode stats = json.readTree(get("/admin/api/stats", cookie).body());
        assertThat(stats.has("messagesInPerSecond")).isTrue();
        assertThat(stats.has("latencyP99Millis")).isTrue();
        assertThat(stats.get("recoveriesPerSecond").isNumber()).as("the recoveries plot's series").isTrue();
        assertThat(stats.get("latencyAvailable").asBoolean()).isTrue();

        HttpResponse<String> logout = post("/admin/logout", cookie, "application/x-www-form-urlencoded", "");
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(get("/admin/api/stats", cookie).statusCode()).isEqualTo(401);
    }

    @Test
    void tablesSearchAndActionsGoThroughTheRoomsService() throws Exception {
        String cookie = login();
        client = connectClient();
        BlockingQueue<Object> chat = new LinkedBlockingQueue<>();
        client.on("chat", args -> chat.add(args[0]));
        CompletableFuture<Object[]> subscribed = new CompletableFuture<>();
        client.emit("subscribe", new Object[] {"lobby"}, subscribed::complete);
        subscribed.get(WAIT_SECONDS, TimeUnit.SECONDS);

        JsonNode roomsTable = json.readTree(get("/admin/api/rooms?q=LOB", cookie).body());
        assertThat(roomsTable.get("rooms")).hasSize(1);
        assertThat(roomsTable.get("rooms").get(0).get("room").asText()).isEqualTo("lobby");
        assertThat(roomsTable.get("rooms").get(0).get("count").asInt()).isEqualTo(1);
        assertThat(json.readTree(get("/admin/api/rooms?q=nothing-like-it", cookie).body()).get("rooms")).isEmpty();

        JsonNode users = json.readTree(get("/admin/api/users?q=lobby", cookie).body()).get("users");
        assertThat(users).hasSize(1);
        JsonNode connection = users.get(0).get("connections").get(0);
        assertThat(connection.get("id").asText()).isEqualTo(client.id());
        assertThat(connection.get("transport").asText()).isEqualTo("websocket");
        assertThat(connection.get("address").asText()).isEqualTo("127.0.0.1");

        // Actions take JSON only (a cross-site form cannot send it).
        assertThat(post("/admin/api/publish", cookie, "text/plain", "{\"room\":\"lobby\"}").statusCode()).isEqualTo(415);
        HttpResponse<String> published = post("/admin/api/publish", cookie, "application/json",
                "{\"room\":\"lobby\",\"event\":\"chat\",\"data\":{\"name\":\"admin\",\"text\":\"hi\"}}");
        assertThat(published.statusCode()).isEqualTo(200);
        Object received = chat.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(received).isInstanceOf(JSONObject.class);
        assertThat(((JSONObject) received).getString("text")).isEqualTo("hi");
        assertThat(post("/admin/api/publish", cookie, "application/json", "{\"room\":\"\"}").statusCode()).isEqualTo(400);

        CompletableFuture<Object> disconnected = new CompletableFuture<>();
        client.on(Socket.EVENT_DISCONNECT, args -> disconnected.complete(args[0]));
        HttpResponse<String> kicked = post("/admin/api/disconnect", cookie, "application/json",
                "{\"socket\":\"" + client.id() + "\"}");
        assertThat(json.readTree(kicked.body()).get("disconnected").asInt()).isEqualTo(1);
        assertThat(disconnected.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    }
}
