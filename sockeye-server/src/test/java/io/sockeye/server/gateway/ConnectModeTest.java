package io.sockeye.server.gateway;

import io.socket.client.Socket;
import io.sockeye.server.rooms.RoomsHarness;
import io.sockeye.testkit.HttpBackend;
import io.sockeye.testkit.HttpBackend.Request;
import io.sockeye.testkit.HttpBackend.Response;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.connectError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT and the connect proxy side by side: in {@code jwt_first} a connection with a token is verified as a JWT
 * and never reaches the proxy, one without is admitted by the proxy; in {@code proxy_only} the proxy admits
 * every connection and receives the token in {@code auth}. The rpc proxy tells which user a connection is.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConnectModeTest {

    private static GatewayHarness jwtFirst;
    private static GatewayHarness proxyOnly;

    @BeforeAll
    static void start() {
        jwtFirst = server("jwt_first");
        proxyOnly = server("proxy_only");
    }

    /** A connect backend that names the user after the session cookie, or "checked-token" when a token came. */
    private static GatewayHarness server(String mode) {
        HttpBackend backend = HttpBackend.start();
        backend.on("/connect", ConnectModeTest::connect);
        backend.on("/rpc", r -> Response.json(Map.of("result", String.valueOf(r.body().get("user")))));
        return GatewayHarness.start(backend, "--proxy-connect-mode", mode,
                "--proxy-connect-url", "{backend}/connect", "--proxy-connect-cookies", "session",
                "--proxy-rpc-url", "{backend}/rpc",
                "--jwt-secret", RoomsHarness.SECRET, "--allow-anonymous=false");
    }

    private static Response connect(Request r) {
        if (r.body().get("auth") instanceof Map<?, ?> auth && auth.get("token") != null) {
            return Response.json(Map.of("user", "checked-token", "rooms", Map.of("subscribe", List.of("*"))));
        }
        String cookie = String.valueOf(((Map<?, ?>) r.body().get("headers")).get("cookie"));
        if (!cookie.startsWith("session=")) {
            return Response.json(Map.of("error", Map.of("code", "no_session", "message", "please log in")));
        }
        return Response.json(Map.of("user", cookie.substring("session=".length()), "rooms", Map.of("subscribe", List.of("*"))));
    }

    private static String user(Socket socket) throws Exception {
        JSONObject reply = ask(socket, "rpc", new JSONObject().put("method", "whoami"));
        assertThat(reply.getBoolean("ok")).as("rpc answered: %s", reply).isTrue();
        return reply.getString("result");
    }

    @Test
    void jwtFirstVerifiesATokenWithoutAskingTheProxy() throws Exception {
        int calls = jwtFirst.backend.count("/connect");
        Socket socket = jwtFirst.connect(Map.of("token", RoomsHarness.token("token-user")), "session=alice");
        assertThat(user(socket)).isEqualTo("token-user");
        assertThat(jwtFirst.backend.count("/connect")).as("the proxy is not asked").isEqualTo(calls);
    }

    @Test
    void jwtFirstRefusesABadTokenWithoutFallingBackToTheProxy() throws Exception {
        int calls = jwtFirst.backend.count("/connect");
        JSONObject error = connectError(jwtFirst.client(Map.of("token", "not-a-jwt"), "session=alice"));
        assertThat(error.getString("message")).isNotEqualTo("please log in");
        assertThat(jwtFirst.backend.count("/connect")).as("the proxy is not asked").isEqualTo(calls);
    }

    @Test
    void jwtFirstAdmitsAConnectionWithoutATokenThroughTheProxy() throws Exception {
        Socket socket = jwtFirst.connect(null, "session=alice");
        assertThat(user(socket)).isEqualTo("alice");
    }

    @Test
    void proxyOnlyHandsTheTokenToTheProxyToDecide() throws Exception {
        String token = RoomsHarness.token("token-user");
        Socket socket = proxyOnly.connect(Map.of("token", token), null);
        assertThat(user(socket)).as("the backend's answer, not the JWT's subject").isEqualTo("checked-token");
        assertThat(proxyOnly.backend.requests("/connect")).extracting(r -> r.body().get("auth"))
                .as("the token reached the backend").contains(Map.of("token", token));
    }

    @Test
    void proxyOnlyAdmitsACookieSessionToo() throws Exception {
        assertThat(user(proxyOnly.connect(null, "session=bob"))).isEqualTo("bob");
        assertThat(connectError(proxyOnly.client(null, null)).getJSONObject("data").getString("code"))
                .isEqualTo("no_session");
    }

    @AfterAll
    static void stop() {
        jwtFirst.close();
        proxyOnly.close();
    }
}
