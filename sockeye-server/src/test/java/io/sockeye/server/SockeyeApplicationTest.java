package io.sockeye.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.server.config.ConfigException;
import io.sockeye.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The assembled server on a free port: pages, origins, the room protocol's wiring, drain, TLS. */
class SockeyeApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Starts on 127.0.0.1 and a free port (unless {@code args} name one) with {@code args}. */
    private SockeyeApplication start(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--warmup=false"));
        if (!List.of(args).contains("--port")) {
            all.addAll(List.of("--port", "0"));
        }
        all.addAll(List.of(args));
        SockeyeApplication app = SockeyeApplication.start(ConfigLoader.load(all.toArray(String[]::new)));
        toClose.add(app);
        return app;
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RawSocketClient client(SockeyeApplication app) {
        RawSocketClient c = RawSocketClient.connect(http, app.url());
        toClose.add(c);
        return c;
    }

    @Test
    void servesTheDemoPageAndTheClientBundleFromNpm() throws Exception {
        SockeyeApplication app = start();

        HttpResponse<String> page = get(app.url());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("cache-control")).contains("no-cache");
        assertThat(page.headers().firstValue("content-security-policy")).get().asString().contains("default-src 'self'");
        assertThat(page.body()).contains("Sockeye chat", "vendor/socket.io.min.js", "app.js");

        HttpResponse<String> bundle = get(app.url() + "vendor/socket.io.min.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
        assertThat(bundle.body()).contains("Socket.IO v4.8");
        assertThat(get(app.url() + "app.js").body()).contains("\"subscribe\"", "\"publish\"", "\"presence\"");
        assertThat(get(app.url() + "style.css").headers().firstValue("content-type")).contains("text/css; charset=utf-8");
        assertThat(get(app.url() + "favicon.svg").headers().firstValue("content-type")).contains("image/svg+xml");
    }

    @Test
    void revalidatesWithEtagsAndAnswersOnlyGetAndHead() throws Exception {
        SockeyeApplication app = start();
        HttpResponse<String> first = get(app.url() + "app.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertThat(first.headers().firstValue("cache-control")).contains("public, max-age=3600");

        HttpResponse<String> again = get(app.url() + "app.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(app.url()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(get(app.url()).body().getBytes().length);

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(app.url()))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        SockeyeApplication app = start();
        String base = "http://127.0.0.1:" + app.port();
        for (String path : List.of("/nope.html", "/vendor/", "/vendor", "/%2e%2e/pom.xml", "/..%2fpom.xml",
                "/io/sockeye/server/logback.xml", "/public/index.html")) {
            assertThat(get(base + path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void healthCheckSaysUp() throws Exception {
        SockeyeApplication app = start();
        HttpResponse<String> health = get(app.url() + "healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"ok\":true");
        HttpResponse<String> ready = get(app.url() + "readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ready\":true");
    }

    @Test
    void browserPagesFromOtherOriginsAreRefusedByDefault() throws Exception {
        SockeyeApplication app = start();
        String handshake = app.url() + "socket.io/?EIO=4&transport=polling";

        HttpResponse<String> foreign = get(handshake, "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("origin not allowed");

        assertThat(get(handshake, "Origin", "http://127.0.0.1:" + app.port()).statusCode()).isEqualTo(200);
        assertThat(get(handshake).statusCode()).as("no Origin: not a browser").isEqualTo(200);
    }

    @Test
    void listedOriginsMayConnectAndGetCorsHeaders() throws Exception {
        SockeyeApplication app = start("--cors-origins", "https://app.example.com");
        String handshake = app.url() + "socket.io/?EIO=4&transport=polling";

        HttpResponse<String> listed = get(handshake, "Origin", "https://app.example.com");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
        assertThat(get(handshake, "Origin", "https://other.example.com").statusCode()).isEqualTo(403);
    }

    @Test
    void anyOriginWithStar() throws Exception {
        SockeyeApplication app = start("--cors-origins", "*");
        HttpResponse<String> r = get(app.url() + "socket.io/?EIO=4&transport=polling", "Origin", "https://x.example");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void theDemoFlowWorksAnonymouslyWithNoConfiguration() {
        SockeyeApplication app = start();
        RawSocketClient alice = client(app);
        RawSocketClient bob = client(app);

        alice.send("420[\"subscribe\",\"lobby\"]");
        assertThat(alice.await(m -> m.startsWith("430"), TIMEOUT))
                .matches("430\\[\\{\"ok\":true,\"room\":\"lobby\",\"offset\":\"[0-9a-z]{8}\\.[0-9]{16}\"}]");
        bob.send("421[\"subscribe\",\"lobby\"]");
        bob.await(m -> m.startsWith("431"), TIMEOUT);
        alice.send("422[\"publish\",{\"room\":\"lobby\",\"event\":\"chat\",\"data\":{\"text\":\"hi\"}}]");

        String delivered = bob.await(m -> m.startsWith("42[\"chat\""), TIMEOUT);
        assertThat(delivered).contains("{\"text\":\"hi\"}", "\"room\":\"lobby\"", "\"from\":null");
        alice.await(m -> m.startsWith("42[\"chat\""), TIMEOUT); // the publisher receives its own message too
    }

    @Test
    void drainTellsEveryClientWhyThenDisconnectsItAndStops() throws Exception {
        SockeyeApplication app = start();
        List<RawSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(client(app));
        }

        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> app.drain(Duration.ofSeconds(2)));
        await().atMost(TIMEOUT).until(app::draining);

        for (RawSocketClient c : clients) {
            String notice = c.await(m -> m.startsWith("42[\"sockeye:error\""), TIMEOUT);
            JsonNode args = JSON.readTree(notice.substring(2));
            assertThat(args.get(1).get("code").asText()).isEqualTo("unavailable");
            assertThat(args.get(1).get("message").asText()).isEqualTo("server shutting down");
            // then the connection closes without a DISCONNECT packet, so clients reconnect by themselves
            assertThat(c.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
            assertThat(c.seen()).endsWith(notice).doesNotContain("41");
        }
        drained.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(app.stopped()).isDone();
        assertThat(app.io().sockets().sockets()).isEmpty();
    }

    @Test
    void whileDrainingNewConnectionsGet503AndReadinessSaysDraining() throws Exception {
        SockeyeApplication app = start();
        // A drain closes one client at once and the others spread over the window: with four over
        // 5 s the server keeps draining for about 3.75 s.
        List<RawSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(client(app));
        }
        String base = app.url();

        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> app.drain(Duration.ofSeconds(5)));
        await().atMost(TIMEOUT).until(app::draining);

        HttpResponse<String> handshake = get(base + "socket.io/?EIO=4&transport=polling");
        assertThat(handshake.statusCode()).isEqualTo(503);
        assertThat(handshake.headers().firstValue("retry-after")).isPresent();
        assertThat(handshake.body()).contains("server shutting down");
        // Readiness flips while draining (load balancers stop sending clients); liveness stays up.
        HttpResponse<String> ready = get(base + "readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("draining");
        assertThat(get(base + "healthz").statusCode()).isEqualTo(200);

        for (RawSocketClient c : clients) {
            assertThat(c.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        }
        drained.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aPortInUseFailsNamingThePort() {
        SockeyeApplication first = start();
        assertThatThrownBy(() -> start("--port", String.valueOf(first.port())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("port: cannot listen on 127.0.0.1:" + first.port());
    }

    @Test
    void servesHttpsAndWssOnTheSamePortWithTheConfiguredCertificate() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        SockeyeApplication app = start("--tls-cert", certs.certFile().toString(), "--tls-key", certs.keyFile().toString());
        assertThat(app.url()).startsWith("https://");
        HttpClient tls = HttpClient.newBuilder().sslContext(certs.trustingClientContext()).connectTimeout(TIMEOUT).build();
        String base = "https://localhost:" + app.port() + "/";

        HttpResponse<String> page = tls.send(HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sockeye chat");

        RawSocketClient wss = RawSocketClient.connect(tls, base);
        toClose.add(wss);
        wss.send("420[\"subscribe\",\"secure\"]");
        assertThat(wss.await(m -> m.startsWith("430"), TIMEOUT))
                .matches("430\\[\\{\"ok\":true,\"room\":\"secure\",\"offset\":\"[0-9a-z]{8}\\.[0-9]{16}\"}]");
    }

    @Test
    void unusableTlsFilesFailNamingTheKey() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path garbageCert = TestCertificates.garbage(dir, "garbage-cert.pem");
        assertThatThrownBy(() -> start("--tls-cert", garbageCert.toString(), "--tls-key", certs.keyFile().toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.cert: cannot use " + garbageCert);
        assertThatThrownBy(() -> start("--tls-cert", certs.certFile().toString(), "--tls-key", certs.certFile().toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.key: cannot use " + certs.certFile());
    }
}
