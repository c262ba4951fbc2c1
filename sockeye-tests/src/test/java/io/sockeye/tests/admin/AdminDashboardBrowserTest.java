package io.sockeye.tests.admin;

import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin dashboard and the Admin UI namespace of a server started with {@code bin/sockeye
 * --admin-password ... --admin-ui --admin-ui-mode development}, seen by real clients: headless
 * Chromium (Debian's {@code chromium} driven by {@code playwright-core}) is refused without a login,
 * signs in, and watches the connection count and the plots move while this test connects socket.io
 * clients (screenshot in {@code target/artifacts/admin-dashboard.png}); the npm {@code socket.io-client}
 * plays the official Admin UI against {@code /admin}.
 */
class AdminDashboardBrowserTest {

    static final Path BROWSER = Path.of("src", "test", "node", "browser");
    static final Path NODE_CLIENTS = Path.of("src", "test", "node");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path ARTIFACTS = Path.of("target", "artifacts").toAbsolutePath();
    private static final String PASSWORD = "browser-test-password";
    private static final int CLIENTS = 3;

    @TempDir
    static Path workDir;

    private static LaunchedServer server;

    @BeforeAll
    static void start() {
        NodeRunner.ensureInstalled(NODE_CLIENTS);
        NodeRunner.ensureInstalled(BROWSER);
        server = LaunchedServer.start(workDir, "sockeye-admin", Map.of(), "--admin-password", PASSWORD,
                "--admin-ui", "--admin-ui-mode", "development");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void dashboardDataIsRefusedWithoutALogin() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"admin/api/stats", "admin/api/users", "admin/api/rooms"}) {
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(path).isEqualTo(401);
            assertThat(reply.body()).as(path).doesNotContain("connections");
        }
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url() + "admin/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("location")).hasValue("/admin/login");
    }

    @Test
    void browserIsRefusedWithoutLoginThenWatchesConnectionsRiseOnTheLivePlots() throws Exception {
        assertThat(CHROMIUM).as("headless Chromium: apt-get install chromium").isExecutable();
        Files.deleteIfExists(ARTIFACTS.resolve("admin-dashboard.png"));
        try (DashboardClients clients = new DashboardClients();
             ChildProcess browser = NodeRunner.script(BROWSER, "admin-dashboard.mjs", server.url(), PASSWORD,
                     ARTIFACTS.toString(), String.valueOf(CLIENTS))
                     .name("browser-admin-dashboard").env("CHROMIUM", CHROMIUM.toString()).start()) {
            browser.awaitLine("refused: no session", Duration.ofMinutes(2));
            browser.awaitLine("logged in: connections 0", DashboardClients.STEP);
            clients.driveDashboard(browser, CLIENTS, server.url());
            assertThat(browser.awaitExit(Duration.ofMinutes(1))).as(browser.tail()).isZero();
        }
        assertThat(ARTIFACTS.resolve("admin-dashboard.png")).isRegularFile()
                .satisfies(p -> assertThat(Files.size(p)).isPositive());
    }

    @Test
    void theNpmSocketIoClientPlaysTheOfficialAdminUiInDevelopmentMode() {
        try (ChildProcess client = NodeRunner.script(BROWSER, "admin-ui-client.mjs", server.url(), "admin", PASSWORD,
                "development").name("admin-ui-client").start()) {
            assertThat(client.awaitExit(Duration.ofMinutes(1))).as(client.tail()).isZero();
            assertThat(client.lines()).contains(
                    "config EMIT,JOIN,LEAVE,DISCONNECT,MJOIN,MLEAVE,MDISCONNECT,AGGREGATED_EVENTS,ALL_EVENTS",
                    "server_stats ok", "all_sockets ok", "socket_connected ok", "event_received ok",
                    "event_sent ok", "room_joined ok", "room_left ok", "socket_disconnected ok",
                    "wrong password: invalid credentials");
        }
    }
}
