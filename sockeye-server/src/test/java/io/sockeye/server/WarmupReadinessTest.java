package io.sockeye.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.server.warmup.Warmup;
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
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up warm-up: real clients of the server's own port run handshakes, connects and broadcasts
 * while {@code /readyz} says "warming up", and the node turns ready only once it is over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmupReadinessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private SockeyeApplication start(java.util.function.Consumer<SockeyeApplication> whileWarmingUp, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        all.addAll(List.of(args));
        SockeyeApplication app = SockeyeApplication.start(ConfigLoader.load(all.toArray(String[]::new)), whileWarmingUp);
        toClose.add(app);
        return app;
    }

    private HttpResponse<String> readyz(SockeyeApplication app) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(app.url() + "readyz")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readyzSaysWarmingUpWhileTheWarmupRunsAndReadyOnlyAfterIt() {
        AtomicReference<HttpResponse<String>> during = new AtomicReference<>();

        SockeyeApplication app = start(a -> during.set(readyz(a)), "--warmup-timeout", "60s");

        assertThat(during.get()).as("the warm-up ran").isNotNull();
        assertThat(during.get().statusCode()).isEqualTo(503);
        assertThat(during.get().body()).contains("\"reasons\":[\"warming up\"]");
        assertThat(app.warmup().ran()).isTrue();
        assertThat(app.warmup().handshakes()).isPositive();
        assertThat(app.warmup().deliveries()).isGreaterThanOrEqualTo(app.warmup().handshakes());
        HttpResponse<String> after = readyz(app);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("\"reasons\":[]");
    }

    @Test
    void warmupHandshakesAreNotCountedAgainstTheHandshakeRateLimits() {
        SockeyeApplication app = start(null, "--warmup-timeout", "60s", "--handshakes-per-second-per-ip", "1",
                "--handshakes-per-second", "1");

        assertThat(app.warmup().rounds()).as(app.warmup().toString()).isPositive();
        assertThat(app.warmup().handshakes()).as("every warm-up client of every round got in")
                .isEqualTo((long) app.warmup().rounds() * 50);
    }

    @Test
    void withWarmupOffTheNodeIsReadyAtOnce() {
        AtomicReference<Boolean> called = new AtomicReference<>(false);

        SockeyeApplication app = start(a -> called.set(true), "--warmup=false");

        assertThat(called.get()).isFalse();
        assertThat(app.warmup().ran()).isFalse();
        assertThat(readyz(app).statusCode()).isEqualTo(200);
    }

    @Test
    void theWarmupNamespaceAdmitsNoOtherClient() throws Exception {
        SockeyeApplication app = start(null, "--warmup-timeout", "60s");
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        options.auth = Map.of("token", "guess");
        Socket socket = IO.socket(URI.create(app.url() + Warmup.NAMESPACE.substring(1)), options);
        toClose.add(socket::close);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> outcome.complete("connected"));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(((JSONObject) args[0]).optString("message")));
        socket.connect();

        assertThat(outcome.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("Invalid namespace");
    }
}
