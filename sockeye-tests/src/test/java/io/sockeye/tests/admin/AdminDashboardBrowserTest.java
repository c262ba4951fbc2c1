package io.sockeye.tests.admin;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.SockeyeServer;
import io.sockeye.server.admin.AdminCredentials;
import io.sockeye.server.admin.AdminDashboard;
import io.sockeye.server.admin.AdminUiNamespace;
import io.sockeye.server.admin.AdminUiOptions;
import io.sockeye.server.auth.JwtSettings;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.metrics.Observability;
import io.sockeye.server.metrics.PrometheusMetrics;
import io.sockeye.server.rooms.RoomsService;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin dashboard and the Admin UI namespace seen by real clients: headless Chromium (Debian's
 * {@code chromium} driven by {@code playwright-core}) is refused without a login, signs in, and watches
 * the connection count and the plots move while this test connects socket.io clients (screenshot in
 * {@code target/artifacts/admin-dashboard.png}); the npm {@code socket.io-client} plays the official
 * Admin UI against {@code /admin}.
 */
class AdminDashboardBrowserTest {

    private static final Path BROWSER = Path.of("src", "test", "node", "browser");
    private static final Path NODE_CLIENTS = Path.of("src", "test", "node");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path ARTIFACTS = Path.of("target", "artifacts").toAbsolutePath();
    private static final String PASSWORD = "browser-test-password";
    private static final int CLIENTS = 3;

    private PrometheusMetrics metrics;
    private SocketIoServer io;
    private TokenVerifier verifier;
    private RoomsService rooms;
    private AdminUiNamespace adminUi;
    private SockeyeServer server;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeAll
    static void install() {
        NodeRunner.ensureInstalled(NODE_CLIENTS);
        NodeRunner.ensureInstalled(BROWSER);
    }

    @BeforeEach
    void start() {
        metrics = PrometheusMetrics.builder().eventAllowlist(Observability.ROOMS_PROTOCOL_EVENTS).build();
        io = SocketIoServer.create(ServerOptions.builder().metrics(metrics).build());
        verifier = new TokenVerifier(JwtSettings.none());
        rooms = new RoomsService(io, new Permissions(List.of(), true), verifier, LimitsSettings.builder().build(),
                Clock.systemUTC());
        rooms.install();
        metrics.exportStats(rooms.stats());
        AdminCredentials credentials = AdminCredentials.of("admin", PASSWORD);
        adminUi = AdminUiNamespace.install(io, AdminUiOptions.of(credentials));
        AdminDashboard dashboard = AdminDashboard.builder(io, credentials).rooms(rooms).samples(metrics::sample).build();
        server = SockeyeServer.builder().host("127.0.0.1").port(0).attach(io).fallback(dashboard).build().start();
    }

    @AfterEach
    void stop() {
        clients.forEach(Socket::close);
        server.close();
        adminUi.close();
        rooms.close();
        verifier.close();
        metrics.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    private void connectClient() throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        Socket socket = IO.socket(url(), options);
        clients.add(socket);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new AssertionError("connect_error")));
        socket.connect();
        connected.get(10, TimeUnit.SECONDS);
    }

    @Test
    void browserIsRefusedWithoutLoginThenWatchesConnectionsRiseOnTheLivePlots() throws Exception {
        assertThat(CHROMIUM).as("headless Chromium: apt-get install chromium").isExecutable();
        Files.deleteIfExists(ARTIFACTS.resolve("admin-dashboard.png"));
        try (ChildProcess browser = NodeRunner.script(BROWSER, "admin-dashboard.mjs", url(), PASSWORD,
                ARTIFACTS.toString(), String.valueOf(CLIENTS))
                .name("browser-admin-dashboard").env("CHROMIUM", CHROMIUM.toString()).start()) {
            browser.awaitLine("refused: no session", Duration.ofMinutes(2));
            browser.awaitLine("logged in: connections 0", Duration.ofMinutes(1));
            for (int i = 0; i < CLIENTS; i++) {
                connectClient();
            }
            browser.awaitLine("connections rose to " + CLIENTS, Duration.ofMinutes(1));
            // A steady chat for the message and latency plots, until the browser has seen it.
            for (Socket client : clients) { // the rooms service answers only requests that ask for an ack
                CompletableFuture<Object[]> subscribed = new CompletableFuture<>();
                client.emit("subscribe", new Object[] {"lobby"}, subscribed::complete);
                subscribed.get(10, TimeUnit.SECONDS);
            }
            ScheduledExecutorService chat = Executors.newSingleThreadScheduledExecutor();
            try {
                chat.scheduleAtFixedRate(() -> clients.get(0).emit("publish", new Object[] {new JSONObject(
                        Map.of("room", "lobby", "event", "chat", "data", Map.of("text", "hi")))}, reply -> { }),
                        0, 250, TimeUnit.MILLISECONDS);
                browser.awaitLine("messages and latency plotted", Duration.ofMinutes(1));
            } finally {
                chat.shutdownNow();
            }
            browser.awaitLine("plot updated", Duration.ofMinutes(1));
            assertThat(browser.awaitExit(Duration.ofMinutes(1))).as(browser.tail()).isZero();
        }
        assertThat(ARTIFACTS.resolve("admin-dashboard.png")).isRegularFile()
                .satisfies(p -> assertThat(Files.size(p)).isPositive());
    }

    @Test
    void theNpmSocketIoClientPlaysTheOfficialAdminUi() {
        try (ChildProcess client = NodeRunner.script(BROWSER, "admin-ui-client.mjs", url(), "admin", PASSWORD)
                .name("admin-ui-client").start()) {
            assertThat(client.awaitExit(Duration.ofMinutes(1))).as(client.tail()).isZero();
            assertThat(client.lines()).contains(
                    "config EMIT,JOIN,LEAVE,DISCONNECT,MJOIN,MLEAVE,MDISCONNECT,AGGREGATED_EVENTS",
                    "server_stats ok", "wrong password: invalid credentials");
        }
    }
}
