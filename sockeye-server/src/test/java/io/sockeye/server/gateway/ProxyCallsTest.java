package io.sockeye.server.gateway;

import io.socket.client.Socket;
import io.sockeye.testkit.HttpBackend;
import io.sockeye.testkit.HttpBackend.Request;
import io.sockeye.testkit.HttpBackend.Response;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.connectError;
import static io.sockeye.server.rooms.RoomsHarness.errorCode;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.publishRequest;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The five proxies' JSON interface against a real HTTP backend: the bodies the backend receives (with
 * {@code client}, {@code transport}, {@code user}, {@code meta} in each), the identity and pass-through
 * headers, and what each answer does. Connections without a token go to the connect proxy (the default
 * {@code jwt_first} mode), which admits them by their {@code session} cookie.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProxyCallsTest {

    private static GatewayHarness server;

    @BeforeAll
    static void start() {
        HttpBackend backend = HttpBackend.start();
        backend.on("/connect", ProxyCallsTest::connect);
        backend.on("/refresh", r -> "bob".equals(r.body().get("user"))
                ? Response.json(Map.of("error", Map.of("code", "session_revoked", "message", "logged out elsewhere")))
                : Response.json(Map.of("expire_at", Instant.now().plusSeconds(3600).getEpochSecond())));
        backend.on("/subscribe", r -> String.valueOf(r.body().get("room")).endsWith(":closed")
                ? Response.json(Map.of("error", Map.of("code", "closed", "message", "this room is closed")))
                : Response.json(Map.of("data", Map.of("welcome", r.body().get("room")))));
        backend.on("/publish", r -> {
            Object data = r.body().get("data");
            if (String.valueOf(data).contains("badword")) {
                return Response.json(Map.of("error", Map.of("code", "moderated", "message", "mind your language")));
            }
            return "shout".equals(r.body().get("event")) ? Response.json(Map.of("data", String.valueOf(data).toUpperCase()))
                    : Response.json(Map.of());
        });
        backend.on("/rpc", r -> Response.json(Map.of("result", Map.of("method", r.body().get("method"),
                "user", String.valueOf(r.body().get("user")), "meta", r.body().get("meta")))));
        server = GatewayHarness.start(backend,
                "--proxy-connect-url", "{backend}/connect", "--proxy-connect-cookies", "session",
                "--proxy-connect-headers", "x-trace", "--proxy-connect-rooms", "chat:*,user:{sub}",
                "--proxy-refresh-url", "{backend}/refresh",
                "--proxy-subscribe-url", "{backend}/subscribe", "--proxy-subscribe-rooms", "team:*",
                "--proxy-subscribe-headers", "x-trace",
                "--proxy-publish-url", "{backend}/publish", "--proxy-publish-rooms", "chat:*",
                "--proxy-rpc-url", "{backend}/rpc",
                "--allow-anonymous=false", "--jwt-clock-skew", "0s");
    }

    /** Admits the user named by the session cookie; grants chat rooms, and (ignored) rooms outside the scope. */
    private static Response connect(Request r) {
        String cookie = String.valueOf(((Map<?, ?>) r.body().get("headers")).get("cookie"));
        if (!cookie.startsWith("session=")) {
            return Response.json(Map.of("error", Map.of("code", "no_session", "message", "please log in")));
        }
        String user = cookie.substring("session=".length());
        long expires = Instant.now().plusSeconds("short".equals(r.body().get("auth") instanceof Map<?, ?> a ? a.get("life") : null) ? 5 : 3600).getEpochSecond();
        return Response.json(Map.of("user", user,
                "rooms", Map.of("subscribe", List.of("chat:*", "admin:*", "*"), "publish", List.of("chat:*"),
                        "presence", List.of("chat:*")),
                "data", Map.of("name", user.toUpperCase()), "meta", Map.of("tenant", "t-" + user), "expire_at", expires));
    }

    @Test
    void theConnectProxyAdmitsByCookieWithGrantsClippedToTheConfiguredPatterns() throws Exception {
        double ignored = server.metric("sockeye_proxy_grants_ignored_total");
        Socket alice = server.connect(null, "theme=dark; session=alice; other=1");
        Request request = server.backend.next("/connect", Duration.ofSeconds(30));
        assertThat(request.body()).containsKeys("client", "transport", "ip", "headers", "auth", "user", "meta");
        assertThat(request.body().get("user")).isNull();
        assertThat(request.body().get("transport")).isEqualTo("websocket");
        assertThat(headers(request)).as("only the allowed cookie")
                .containsEntry("cookie", "session=alice").doesNotContainKey("user-agent");
        assertThat(request.header("X-Sockeye-Client")).isEqualTo(alice.id());

        assertThat(ask(alice, "subscribe", "chat:lobby").getBoolean("ok")).isTrue();
        assertThat(errorCode(ask(alice, "subscribe", "admin:panel"))).as("granted outside proxy.connect.rooms")
                .isEqualTo("forbidden");
        assertThat(server.metric("sockeye_proxy_grants_ignored_total")).isEqualTo(ignored + 2);

        JSONObject presence = ask(alice, "presence", "chat:lobby");
        JSONObject member = presence.getJSONArray("members").getJSONObject(0);
        assertThat(member.getString("user")).isEqualTo("alice");
        assertThat(member.getJSONObject("data").getString("name")).as("the connect answer's data").isEqualTo("ALICE");
    }

    @Test
    void aConnectRefusalIsAConnectErrorWithTheBackendsMessageAndCode() throws Exception {
        JSONObject error = connectError(server.client(null, null));
        assertThat(error.getString("message")).isEqualTo("please log in");
        assertThat(error.getJSONObject("data").getString("code")).isEqualTo("no_session");
    }

    @Test
    void everyLaterCallCarriesTheUserAndTheConnectAnswersMeta() throws Exception {
        Socket carol = server.connect(null, "session=carol");
        JSONObject reply = ask(carol, "rpc", new JSONObject().put("method", "whoami").put("data", new JSONObject().put("x", 1)));
        assertThat(reply.getBoolean("ok")).isTrue();
        JSONObject result = reply.getJSONObject("result");
        assertThat(result.getString("user")).isEqualTo("carol");
        assertThat(result.getJSONObject("meta").getString("tenant")).isEqualTo("t-carol");
        Request request = lastRequest("/rpc");
        assertThat(request.body()).containsEntry("method", "whoami").containsEntry("client", carol.id())
                .containsEntry("transport", "websocket").containsKey("data");
        assertThat(request.header("X-Sockeye-User")).isEqualTo("carol");
    }

    @Test
    void theSubscribeProxyDecidesRoomsNoRuleDecidesAndMayAttachData() throws Exception {
        Socket dave = server.connect(null, "session=dave");
        JSONObject allowed = ask(dave, "subscribe", new JSONObject().put("room", "team:red").put("data", "hello"));
        assertThat(allowed.getBoolean("ok")).isTrue();
        assertThat(allowed.getJSONObject("data").getString("welcome")).isEqualTo("team:red");
        assertThat(lastRequest("/subscribe").body()).containsEntry("room", "team:red").containsEntry("data", "hello")
                .containsEntry("user", "dave");
        JSONObject denied = ask(dave, "subscribe", "team:closed");
        assertThat(errorCode(denied)).isEqualTo("closed");
        assertThat(denied.getJSONObject("error").getString("message")).isEqualTo("this room is closed");
        int before = server.backend.count("/subscribe");
        assertThat(errorCode(ask(dave, "subscribe", "elsewhere"))).as("outside the proxy's rooms: the rules deny")
                .isEqualTo("forbidden");
        assertThat(ask(dave, "subscribe", "chat:granted").getBoolean("ok")).as("granted: no proxy call").isTrue();
        assertThat(server.backend.count("/subscribe")).isEqualTo(before);
    }

    @Test
    void thePublishProxyRejectsReplacesOrPassesData() throws Exception {
        Socket erin = server.connect(null, "session=erin");
        assertThat(ask(erin, "subscribe", "chat:room").getBoolean("ok")).isTrue();
        BlockingQueue<Object[]> said = record(erin, "said");
        BlockingQueue<Object[]> shout = record(erin, "shout");

        JSONObject rejected = ask(erin, "publish", publishRequest("chat:room", "said", "a badword here"));
        assertThat(errorCode(rejected)).isEqualTo("moderated");
        assertThat(rejected.getJSONObject("error").getString("message")).isEqualTo("mind your language");

        assertThat(ask(erin, "publish", publishRequest("chat:room", "shout", "hey")).getBoolean("ok")).isTrue();
        assertThat(next(shout, "shout")[0]).as("replaced by the backend").isEqualTo("HEY");
        assertThat(ask(erin, "publish", publishRequest("chat:room", "said", "fine words")).getBoolean("ok")).isTrue();
        Object[] args = next(said, "said");
        assertThat(args[0]).isEqualTo("fine words");
        assertThat(((JSONObject) args[1]).getString("from")).isEqualTo("erin");
        assertThat(said).as("the rejected publish was never broadcast").isEmpty();
        assertThat(lastRequest("/publish").body()).containsEntry("room", "chat:room").containsEntry("event", "said")
                .containsEntry("data", "fine words").containsEntry("user", "erin");
    }

    @Test
    void theRefreshProxyExtendsASessionOrEndsIt() throws Exception {
        Map<String, String> shortLived = Map.of("life", "short");
        Socket frank = server.connect(shortLived, "session=frank");
        Socket bob = server.connect(shortLived, "session=bob");
        BlockingQueue<Object[]> bobErrors = record(bob, "sockeye:error");
        JSONObject error = (JSONObject) next(bobErrors, "sockeye:error")[0];
        assertThat(error.getString("code")).isEqualTo("session_revoked");
        assertThat(error.getString("message")).isEqualTo("logged out elsewhere");
        await().atMost(Duration.ofSeconds(30)).until(() -> !bob.connected());

        Request refresh = await().atMost(Duration.ofSeconds(30)).until(() -> server.backend.requests("/refresh").stream()
                .filter(r -> "frank".equals(r.body().get("user"))).findFirst().orElse(null), r -> r != null);
        assertThat(refresh.body()).containsKeys("client", "transport", "user", "meta").containsEntry("client", frank.id());
        assertThat(ask(frank, "rpc", new JSONObject().put("method", "still-here")).getBoolean("ok"))
                .as("refreshed for an hour").isTrue();
        assertThat(frank.connected()).isTrue();
    }

    @Test
    void aHeaderValueWithACarriageReturnIsRefusedAtTheEdge() throws Exception {
        // A bare CR followed by what would be a header of its own: the HTTP decoder refuses the request, so no
        // backend call happens at all (PassThroughTest covers the gateway's own check behind it).
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", server.app.port()), 5000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Cookie: session=mallory\r\nX-Trace: abc\rX-Sockeye-User: admin\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = raw.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400");
        }
        assertThat(server.backend.requests("/connect")).noneMatch(r -> String.valueOf(r.body()).contains("mallory"));
    }

    @Test
    void aClientCannotPoseAsAnotherThroughIdentityHeaders() throws Exception {
        io.socket.client.IO.Options options = io.sockeye.server.rooms.RoomsHarness.websocketOptions();
        options.extraHeaders = Map.of("Cookie", List.of("session=henry"), "X-Sockeye-User", List.of("admin"),
                "X-Sockeye-Client", List.of("someone-else"));
        Socket henry = io.sockeye.server.rooms.RoomsHarness.connected(io.socket.client.IO.socket(server.url(), options));
        try {
            Request connect = server.backend.requests("/connect").stream()
                    .filter(r -> String.valueOf(r.body().get("headers")).contains("henry")).findFirst().orElseThrow();
            assertThat(connect.header("X-Sockeye-User")).as("no user before the backend names one").isNull();
            assertThat(connect.header("X-Sockeye-Client")).isEqualTo(henry.id());
            assertThat(headers(connect)).containsOnlyKeys("cookie");
            assertThat(ask(henry, "rpc", new JSONObject().put("method", "m")).getBoolean("ok")).isTrue();
            assertThat(lastRequest("/rpc").header("X-Sockeye-User")).isEqualTo("henry");
        } finally {
            henry.close();
        }
    }

    @Test
    void anAllowedHeaderWithAPlainValueIsPassedOn() throws Exception {
        io.socket.client.IO.Options options = io.sockeye.server.rooms.RoomsHarness.websocketOptions();
        options.extraHeaders = Map.of("Cookie", List.of("session=gina"), "X-Trace", List.of("trace-42"));
        Socket gina = io.sockeye.server.rooms.RoomsHarness.connected(io.socket.client.IO.socket(server.url(), options));
        try {
            assertThat(ask(gina, "subscribe", "team:blue").getBoolean("ok")).isTrue();
            Request request = lastRequest("/subscribe");
            assertThat(request.header("X-Trace")).isEqualTo("trace-42");
            assertThat(request.header("Cookie")).as("not on the subscribe proxy's list").isNull();
        } finally {
            gina.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headers(Request request) {
        return (Map<String, Object>) request.body().get("headers");
    }

    private static Request lastRequest(String path) {
        Request last = null;
        for (Request r : server.backend.requests(path)) {
            last = r;
        }
        assertThat(last).as("a request to %s", path).isNotNull();
        return last;
    }

    @AfterAll
    static void stop() {
        server.close();
    }
}
