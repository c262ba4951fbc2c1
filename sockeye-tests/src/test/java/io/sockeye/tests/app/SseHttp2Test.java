package io.sockeye.tests.app;

import io.sockeye.server.SockeyeApplication;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --http2}: Server-Sent Events (and the HTTP API) on HTTP/2 streams, with Node's {@code http2} client
 * ({@code src/test/node/server/sse-http2.mjs}): h2c with prior knowledge on the plain port, {@code h2} by
 * ALPN with TLS; ten streams share one connection. Headless Chromium, over TLS, opens eight
 * {@code EventSource}s from one page — more than the six connections per origin it allows on HTTP/1.1.
 */
class SseHttp2Test {

    private static final Path NODE = Path.of("src", "test", "node");
    private static final Path BROWSER = NODE.resolve("browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final String API_KEY = "sse-h2-key";

    @Test
    void streamsShareOneCleartextConnectionWithPriorKnowledge() throws Exception {
        try (SockeyeApplication app = start(List.of("--http2"))) {
            run("http://127.0.0.1:" + app.port(), "h2c");
            // HTTP/1.1 clients are served on the same port as before.
            HttpResponse<String> health = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void aBrowserPageOpensMoreThanSixEventSourcesOverTlsWithAlpn(@TempDir Path dir) throws Exception {
        assertThat(CHROMIUM).as("headless Chromium: run bin/install-test-deps (apt-get install chromium)").isExecutable();
        NodeRunner.ensureInstalled(BROWSER);
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        try (SockeyeApplication app = start(List.of("--http2", "--tls-cert", cert.certFile().toString(),
                "--tls-key", cert.keyFile().toString()));
             ChildProcess browser = NodeRunner.script(BROWSER, "sse-h2.mjs", "https://127.0.0.1:" + app.port(), API_KEY,
                     "8").name("browser-sse-h2").env("CHROMIUM", CHROMIUM.toString()).start()) {
            assertThat(browser.awaitExit(Duration.ofMinutes(2))).as(browser::tail).isZero();
            assertThat(browser.lines())
                    .contains("ok: 8 EventSource streams of one page opened over HTTP/2 and each received its event");
        }
    }

    @Test
    void streamsShareOneTlsConnectionNegotiatedByAlpn(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        try (SockeyeApplication app = start(List.of("--http2", "--tls-cert", cert.certFile().toString(),
                "--tls-key", cert.keyFile().toString()))) {
            run("https://127.0.0.1:" + app.port(), "h2");
        }
    }

    private static SockeyeApplication start(List<String> flags) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--api-key", API_KEY,
                "--warmup=false"));
        args.addAll(flags);
        return SockeyeApplication.start(ConfigLoader.load(args.toArray(String[]::new)));
    }

    private static void run(String url, String protocol) {
        try (ChildProcess node = NodeRunner.script(NODE, "server/sse-http2.mjs", url, API_KEY).name("node-sse-h2").start()) {
            assertThat(node.awaitExit(Duration.ofMinutes(1))).as(node::tail).isZero();
            assertThat(node.lines()).contains("ok: 10 SSE streams on one HTTP/2 session (" + protocol + ") each received the event");
        }
    }
}
