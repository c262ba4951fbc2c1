package io.sockeye.tests.gateway;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.testkit.HttpBackend;
import io.sockeye.testkit.HttpBackend.Response;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The refresh proxy when its backend cannot answer ({@code docs/proxy.md}, refresh): {@code bin/sockeye}
 * launched with a connect backend that admits short sessions and a refresh backend that answers 500, hangs
 * past the refresh timeout, and then stops. Each session reaching its end stays connected — the client gets
 * no {@code sockeye:error} and keeps working — and each failure counts in
 * {@code sockeye_proxy_errors_total{kind="refresh", error}}.
 */
@DisplayName("gateway: a refresh backend that fails, hangs or is down keeps the sessions (bin/sockeye)")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RefreshOutageEndToEndTest {

    private static final String API_KEY = "refresh-outage-key";
    private static final long WAIT = 30;
    /** Connect answers end sessions this far ahead; a loaded machine may take seconds to admit a client. */
    private static final long SESSION_SECONDS = 5;

    @TempDir
    Path workDir;
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpBackend app;
    private HttpBackend refresh;
    private LaunchedServer server;

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        if (server != null) {
            server.close();
        }
        if (refresh != null) {
            refresh.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void expiringSessionsStayConnectedWhileTheRefreshBackendFailsHangsOrIsDown() throws Exception {
        app = HttpBackend.start();
        app.on("/connect", r -> {
            Object headers = r.body().get("headers");
            String cookie = headers instanceof Map<?, ?> h && h.get("cookie") instanceof String c ? c : "";
            return Response.json(Map.of("user", cookie.substring("session=".length()),
                    "expire_at", Instant.now().plusSeconds(SESSION_SECONDS).getEpochSecond()));
        });
        app.on("/rpc", r -> Response.json(Map.of("result", String.valueOf(r.body().get("user")))));
        refresh = HttpBackend.start();
        refresh.on("/refresh", r -> "erin".equals(r.body().get("user")) ? Response.raw(500, "database down")
                : Response.hang());
        server = LaunchedServer.start(workDir, "sockeye-refresh-outage", Map.of(), "--api-key", API_KEY,
                "--proxy-connect-url", app.url("/connect"), "--proxy-connect-cookies", "session",
                "--proxy-refresh-url", refresh.url("/refresh"), "--proxy-refresh-timeout", "1s",
                "--proxy-rpc-url", app.url("/rpc"), "--allow-anonymous=false");
        BlockingQueue<Object[]> errors = new LinkedBlockingQueue<>();

        Socket erin = connect("erin", errors);   // the refresh backend answers 500
        Socket finn = connect("finn", errors);   // ... never answers (the timeout is 1 s)
        await().atMost(Duration.ofSeconds(30)).until(() -> refreshErrors("status") >= 1 && refreshErrors("timeout") >= 1);

        HttpBackend stopping = refresh;
        refresh = null;
        stopping.close();                         // the backend stops: nothing listens on its port any more
        Socket gus = connect("gus", errors);
        await().atMost(Duration.ofSeconds(30)).until(() -> refreshErrors("connect") >= 1);

        for (Socket s : List.of(erin, finn, gus)) {
            assertThat(s.connected()).as("the session stays while the refresh backend cannot answer").isTrue();
        }
        assertThat(errors).as("no sockeye:error reached a client").isEmpty();
        assertThat(ask(gus).getString("result")).as("gus still works").isEqualTo("gus");
        assertThat(ask(erin).getString("result")).isEqualTo("erin");
        assertThat(metric("sockeye_proxy_retries_total", "kind=\"refresh\""))
                .as("refused connections are retried: refresh is idempotent").isPositive();
    }

    private Socket connect(String user, BlockingQueue<Object[]> errors) throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        options.extraHeaders = Map.of("Cookie", List.of("session=" + user));
        Socket socket = IO.socket(server.url(), options);
        sockets.add(socket);
        socket.on("sockeye:error", errors::add);
        return GatewayClients.connected(socket, WAIT);
    }

    private static JSONObject ask(Socket socket) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit("rpc", new Object[] {new JSONObject().put("method", "ping")}, reply::complete);
        JSONObject answer = (JSONObject) reply.get(WAIT, TimeUnit.SECONDS)[0];
        assertThat(answer.getBoolean("ok")).as("rpc answer %s", answer).isTrue();
        return answer;
    }

    private double refreshErrors(String error) throws Exception {
        return metric("sockeye_proxy_errors_total", "kind=\"refresh\"", "error=\"" + error + "\"");
    }

    /** The sum of a metric's samples whose labels hold every one of {@code labels}. */
    private double metric(String name, String... labels) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
                .header("Authorization", "Bearer " + API_KEY).build();
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(text);
        double sum = 0;
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
