package io.sockeye.tests.app;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --tls-cert/--tls-key}: https and wss on one port, for a Java HTTPS client and the npm socket.io-client. */
class TlsLaunchTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @BeforeAll
    static void installClient() {
        NodeRunner.ensureInstalled(NODE_PROJECT);
    }

    @Test
    void servesHttpsAndSocketIoOverTlsOnOnePort() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
        try (LaunchedServer server = LaunchedServer.start(dir, "sockeye-tls", Map.of(),
                "--tls-cert", cert.certFile().toString(), "--tls-key", cert.keyFile().toString())) {
            assertThat(server.url()).startsWith("https://");
            // netty-tcnative's BoringSSL ships for linux-x86_64, the platform the tests run on.
            server.process().awaitLine("TLS: OpenSSL \\(BoringSSL\\)", DEADLINE);
            String base = "https://localhost:" + server.port() + "/";

            HttpClient https = HttpClient.newBuilder().sslContext(cert.trustingClientContext()).build();
            HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create(base))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Sockeye chat");

            for (String transport : new String[] {"websocket", "polling"}) {
                try (ChildProcess client = NodeRunner.script(NODE_PROJECT, "server/app-tls-client.mjs", base, transport)
                        .name("tls-client-" + transport).start()) {
                    assertThat(client.awaitExit(DEADLINE)).as(client.tail()).isZero();
                    assertThat(client.lines()).contains("connected over " + transport,
                            "received {\"secure\":true} in secure");
                }
            }
        }
    }
}
