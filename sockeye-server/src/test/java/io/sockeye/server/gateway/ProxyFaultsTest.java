package io.sockeye.server.gateway;

import io.socket.client.Socket;
import io.sockeye.testkit.FreePorts;
import io.sockeye.testkit.HttpBackend;
import io.sockeye.testkit.HttpBackend.Response;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.connectError;
import static io.sockeye.server.rooms.RoomsHarness.errorCode;
import static io.sockeye.server.rooms.RoomsHarness.publishRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way a proxy backend can fail answers the client {@code unavailable} with a metric naming the fault,
 * without blocking anyone else: a backend that is down, hangs, answers 500, invalid JSON, a huge body or a
 * redirect loop; the concurrency cap; retries (of idempotent calls only); an rpc flood (rate-limited like
 * publish). The rpc backend picks the fault from the method name.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProxyFaultsTest {

    private static final String DEAD = "http://127.0.0.1:" + FreePorts.next() + "/publish";
    private static GatewayHarness server;

    @BeforeAll
    static void start() {
        HttpBackend backend = HttpBackend.start();
        backend.on("/rpc", r -> switch (String.valueOf(r.body().get("method"))) {
            case "hang" -> Response.hang();
            case "status-500" -> Response.raw(500, "{\"result\":1}");
            case "not-json" -> Response.raw(200, "<html>oops</html>");
            case "not-an-object" -> Response.raw(200, "[1,2,3]");
            case "bad-error" -> Response.raw(200, "{\"error\":\"nope\"}");
            case "huge" -> Response.bytes(200, ("{\"result\":\"" + "x".repeat(4096) + "\"}").getBytes(StandardCharsets.UTF_8));
            case "redirect" -> Response.redirect("/rpc");
            case "busy" -> Response.raw(503, "{}");
            case "refuse" -> Response.json(Map.of("error", Map.of("code", "nope", "message", "not today")));
            default -> Response.json(Map.of("result", Map.of("echo", r.body().get("data"))));
        });
        backend.on("/subscribe", r -> Response.hang());
        server = GatewayHarness.start(backend,
                "--proxy-rpc-url", "{backend}/rpc", "--proxy-rpc-timeout", "3s",
                "--proxy-subscribe-url", "{backend}/subscribe", "--proxy-subscribe-rooms", "hang:*",
                "--proxy-subscribe-timeout", "120s", "--proxy-subscribe-max-concurrency", "2",
                "--proxy-publish-url", DEAD, "--proxy-publish-rooms", "moderated:*",
                "--proxy-max-answer-bytes", "1024", "--admin-password", "dashboard-password",
                "--events-per-second", "5", "--event-burst", "10");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JSONObject rpc(Socket socket, String method) throws Exception {
        return ask(socket, "rpc", new JSONObject().put("method", method).put("data", 1));
    }

    private static void assertUnavailable(String method, String error) throws Exception {
        Socket socket = server.connect();
        double before = server.metric("sockeye_proxy_errors_total", "kind=rpc", "error=" + error);
        assertThat(errorCode(rpc(socket, method))).as(method).isEqualTo("unavailable");
        assertThat(server.metric("sockeye_proxy_errors_total", "kind=rpc", "error=" + error)).as(method).isEqualTo(before + 1);
        socket.close();
    }

    @Test
    void aBackendAnsweringAnswersTheRpc() throws Exception {
        JSONObject reply = rpc(server.connect(), "echo");
        assertThat(reply.getBoolean("ok")).isTrue();
        assertThat(reply.getJSONObject("result").getInt("echo")).isEqualTo(1);
        assertThat(server.metric("sockeye_proxy_requests_total", "kind=rpc", "result=ok")).isPositive();
    }

    @Test
    void aRefusalReachesTheClientAsTheBackendSaidIt() throws Exception {
        JSONObject reply = rpc(server.connect(), "refuse");
        assertThat(errorCode(reply)).isEqualTo("nope");
        assertThat(reply.getJSONObject("error").getString("message")).isEqualTo("not today");
        assertThat(server.metric("sockeye_proxy_requests_total", "kind=rpc", "result=error")).isPositive();
    }

    @Test
    void aBackendThatIsDownIsUnavailableAndNothingIsBroadcast() throws Exception {
        Socket socket = server.connect();
        assertThat(ask(socket, "subscribe", "moderated:a").getBoolean("ok")).isTrue();
        var received = io.sockeye.server.rooms.RoomsHarness.record(socket, "said");
        double before = server.metric("sockeye_proxy_errors_total", "kind=publish", "error=connect");
        assertThat(errorCode(ask(socket, "publish", publishRequest("moderated:a", "said", "hi")))).isEqualTo("unavailable");
        assertThat(server.metric("sockeye_proxy_errors_total", "kind=publish", "error=connect")).isEqualTo(before + 1);
        // The next publish, to a room no proxy sees, arrives first: the refused one was never broadcast.
        assertThat(ask(socket, "subscribe", "plain").getBoolean("ok")).isTrue();
        var plain = io.sockeye.server.rooms.RoomsHarness.record(socket, "plain");
        assertThat(ask(socket, "publish", publishRequest("plain", "plain", 1)).getBoolean("ok")).isTrue();
        io.sockeye.server.rooms.RoomsHarness.next(plain, "plain");
        assertThat(received).isEmpty();
    }

    @Test
    void aHangingBackendTimesOutWithoutSlowingOtherClients() throws Exception {
        Socket waiting = server.connect();
        CompletableFuture<Object[]> hung = new CompletableFuture<>();
        double before = server.metric("sockeye_proxy_errors_total", "kind=rpc", "error=timeout");
        waiting.emit("rpc", new Object[] {new JSONObject().put("method", "hang")}, hung::complete);
        // Meanwhile another client's requests are answered at once.
        Socket other = server.connect();
        assertThat(ask(other, "subscribe", "elsewhere").getBoolean("ok")).isTrue();
        assertThat(ask(other, "publish", publishRequest("elsewhere", "e", 1)).getBoolean("ok")).isTrue();
        assertThat(hung).isNotDone();
        JSONObject reply = (JSONObject) hung.get(30, TimeUnit.SECONDS)[0];
        assertThat(errorCode(reply)).isEqualTo("unavailable");
        assertThat(server.metric("sockeye_proxy_errors_total", "kind=rpc", "error=timeout")).isEqualTo(before + 1);
    }

    @Test
    void aStatusOtherThan200IsUnavailable() throws Exception {
        assertUnavailable("status-500", "status");
    }

    @Test
    void anAnswerThatIsNotAJsonObjectIsUnavailable() throws Exception {
        assertUnavailable("not-json", "invalid_answer");
        assertUnavailable("not-an-object", "invalid_answer");
        assertUnavailable("bad-error", "invalid_answer");
    }

    @Test
    void aHugeAnswerIsCutOffAndUnavailable() throws Exception {
        assertUnavailable("huge", "too_large");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        int before = server.backend.count("/rpc");
        assertUnavailable("redirect", "status");
        assertThat(server.backend.count("/rpc")).as("one request, no loop").isEqualTo(before + 1);
    }

    @Test
    void anIdempotentCallIsRetriedWhenTheBackendIsBusy() throws Exception {
        // Its own server: the shared one's subscribe proxy is kept at its cap by the hanging calls.
        HttpBackend busyOnce = HttpBackend.start();
        Set<Object> seen = ConcurrentHashMap.newKeySet();
        busyOnce.on("/subscribe", r -> seen.add(r.body().get("room")) ? Response.raw(503, "{}") : Response.json(Map.of()));
        try (GatewayHarness own = GatewayHarness.start(busyOnce, "--proxy-subscribe-url", "{backend}/subscribe")) {
            JSONObject reply = ask(own.connect(), "subscribe", "room");
            assertThat(reply.getBoolean("ok")).as("allowed on the second call: %s", reply).isTrue();
            assertThat(busyOnce.count("/subscribe")).isEqualTo(2);
            assertThat(own.metric("sockeye_proxy_retries_total", "kind=subscribe")).isEqualTo(1);
        }
    }

    @Test
    void aConnectBackendThatIsDownRefusesTheConnectionAsUnavailable() throws Exception {
        String dead = "http://127.0.0.1:" + FreePorts.next() + "/connect";
        try (GatewayHarness own = GatewayHarness.start(HttpBackend.start(), "--proxy-connect-url", dead)) {
            JSONObject error = connectError(own.client(null, "session=alice"));
            assertThat(error.getJSONObject("data").getString("code")).isEqualTo("unavailable");
            assertThat(own.metric("sockeye_proxy_errors_total", "kind=connect", "error=connect")).isEqualTo(1);
            assertThat(own.metric("sockeye_proxy_retries_total", "kind=connect")).as("connect is idempotent").isPositive();
        }
    }

    @Test
    void anRpcIsNeverSentTwice() throws Exception {
        int before = server.backend.count("/rpc");
        double retried = server.metric("sockeye_proxy_retries_total", "kind=rpc");
        assertUnavailable("busy", "status");
        assertThat(server.backend.count("/rpc")).as("a command may have been carried out: no retry").isEqualTo(before + 1);
        assertThat(server.metric("sockeye_proxy_retries_total", "kind=rpc")).isEqualTo(retried);
    }

    @Test
    void callsPastTheConcurrencyCapAreRefusedAtOnce() throws Exception {
        // The subscribe backend never answers hang:* rooms and may have 2 calls in flight.
        Socket socket = server.connect();
        for (String room : List.of("hang:1", "hang:2")) {
            socket.emit("subscribe", new Object[] {room}, args -> { });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.metric("sockeye_proxy_in_flight", "kind=subscribe") == 2);
        double before = server.metric("sockeye_proxy_errors_total", "kind=subscribe", "error=overloaded");
        assertThat(errorCode(ask(server.connect(), "subscribe", "hang:3"))).isEqualTo("unavailable");
        assertThat(server.metric("sockeye_proxy_errors_total", "kind=subscribe", "error=overloaded")).isEqualTo(before + 1);
        assertThat(server.backend.count("/subscribe")).as("the third never reached the backend").isEqualTo(2);
    }

    @Test
    void anRpcFloodIsRateLimitedBeforeItReachesTheBackend() throws Exception {
        Socket socket = server.connect();
        int before = server.backend.count("/rpc");
        double limited = server.metric("sockeye_rejections_total", "reason=rate_limited");
        List<CompletableFuture<Object[]>> replies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            CompletableFuture<Object[]> f = new CompletableFuture<>();
            socket.emit("rpc", new Object[] {new JSONObject().put("method", "flood").put("data", i)}, f::complete);
            replies.add(f);
        }
        int ok = 0;
        int rateLimited = 0;
        for (CompletableFuture<Object[]> f : replies) {
            JSONObject reply = (JSONObject) f.get(30, TimeUnit.SECONDS)[0];
            if (reply.getBoolean("ok")) {
                ok++;
            } else if (errorCode(reply).equals("rate_limited")) {
                rateLimited++;
            }
        }
        assertThat(rateLimited).as("30 calls against a burst of 10").isPositive();
        assertThat(ok).isPositive();
        assertThat(server.backend.count("/rpc") - before).as("rate-limited calls never reach the backend")
                .isLessThanOrEqualTo(30 - rateLimited);
        assertThat(server.metric("sockeye_rejections_total", "reason=rate_limited")).isGreaterThanOrEqualTo(limited + rateLimited);
    }

    @Test
    void theDashboardListsEachBackendWithItsCalls() throws Exception {
        rpc(server.connect(), "echo");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=dashboard-password")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        String stats = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin/api/stats"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body();
        JSONArray backends = new JSONObject(stats).getJSONArray("backends");
        JSONObject rpcRow = null;
        for (int i = 0; i < backends.length(); i++) {
            if (backends.getJSONObject(i).getString("backend").equals("proxy rpc")) {
                rpcRow = backends.getJSONObject(i);
            }
        }
        assertThat(rpcRow).as("a row for the rpc proxy in %s", backends).isNotNull();
        assertThat(rpcRow.getLong("calls")).isPositive();
        for (String column : List.of("failures", "meanMillis", "inFlight")) {
            assertThat(rpcRow.has(column)).as(column).isTrue();
        }
    }

    @Test
    void anRpcWithoutAMethodIsInvalid() throws Exception {
        Socket socket = server.connect();
        assertThat(errorCode(ask(socket, "rpc", new JSONObject().put("data", 1)))).isEqualTo("invalid");
        assertThat(errorCode(ask(socket, "rpc", new JSONObject().put("method", "m".repeat(201))))).isEqualTo("invalid");
    }
}
