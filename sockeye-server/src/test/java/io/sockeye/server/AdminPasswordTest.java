package io.sockeye.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.server.config.ConfigLoader;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way of presenting the admin password — the dashboard's login form and the Admin UI's CONNECT
 * auth — shares one throttle: ten wrong passwords from an address, by either way, and even the right
 * one is refused from there until the minute ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminPasswordTest {

    private static final String PASSWORD = "the-admin-password";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SockeyeApplication start() {
        SockeyeApplication app = SockeyeApplication.start(ConfigLoader.load(new String[] {"--host", "127.0.0.1", "--warmup=false",
                "--port", "0", "--admin-password", PASSWORD, "--admin-ui"}));
        toClose.add(app);
        return app;
    }

    /** Connects to the Admin UI's namespace; returns "connected" or the connect_error's message. */
    private String adminUi(SockeyeApplication app, String password) throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        options.auth = Map.of("username", "admin", "password", password);
        Socket socket = IO.socket(URI.create(app.url() + "admin"), options);
        toClose.add(socket::close);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> outcome.complete("connected"));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(((JSONObject) args[0]).optString("message")));
        socket.connect();
        String result = outcome.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        socket.close();
        return result;
    }

    private int dashboardLogin(SockeyeApplication app, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url() + "admin/login")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=" + password)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theAdminUiRefusesEvenTheRightPasswordAfterTenWrongOnesFromOneAddress() throws Exception {
        SockeyeApplication app = start();
        for (int i = 0; i < 10; i++) {
            assertThat(adminUi(app, "guess-" + i)).isEqualTo("invalid credentials");
        }
        assertThat(adminUi(app, PASSWORD)).isEqualTo("too many attempts");
        assertThat(dashboardLogin(app, PASSWORD)).as("the dashboard shares the throttle").isEqualTo(429);
    }

    @Test
    void failedDashboardLoginsCountAgainstTheAdminUiToo() throws Exception {
        SockeyeApplication app = start();
        for (int i = 0; i < 10; i++) {
            assertThat(dashboardLogin(app, "guess-" + i)).isEqualTo(401);
        }
        assertThat(dashboardLogin(app, PASSWORD)).isEqualTo(429);
        assertThat(adminUi(app, PASSWORD)).isEqualTo("too many attempts");
    }

    @Test
    void theRightPasswordStillWorksByEitherWay() throws Exception {
        SockeyeApplication app = start();
        assertThat(adminUi(app, "one-wrong-guess")).isEqualTo("invalid credentials");
        assertThat(adminUi(app, PASSWORD)).isEqualTo("connected");
        assertThat(dashboardLogin(app, PASSWORD)).isEqualTo(303);
    }
}
