package io.sockeye.tests.app;

import io.sockeye.server.config.Setting;
import io.sockeye.server.config.Settings;
import io.sockeye.testkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/sockeye} as a user runs it, from a directory that is not the repository. */
class LauncherTest {

    /** The flags docs/configuration.md documents, spelled exactly so. */
    private static final List<String> REQUIRED_FLAGS = List.of("--port", "--host", "--config", "--allow-anonymous",
            "--jwt-secret", "--jwks-url", "--api-key", "--redis-url", "--nats-url", "--tls-cert", "--tls-key",
            "--admin-password");

    @TempDir
    Path elsewhere;

    @Test
    void helpListsEveryOptionWithItsDefault() {
        try (ChildProcess help = LaunchedServer.command(elsewhere, "sockeye-help", Map.of(), "--help").start()) {
            assertThat(help.awaitExit(LaunchedServer.START_TIMEOUT)).isZero();
            String out = String.join("\n", help.lines());
            String flat = out.replaceAll("\\s+", " ");
            assertThat(out).contains(REQUIRED_FLAGS);
            for (Setting s : Settings.ALL) {
                assertThat(flat).contains(s.flag(), "default: " + s.defaultDisplay());
            }
        }
    }

    @Test
    void invalidConfigurationExitsWith2NamingTheKey() {
        try (ChildProcess bad = LaunchedServer.command(elsewhere, "sockeye-bad-config",
                Map.of("SOCKEYE_PORT", "not-a-port"), "--tls-cert", "missing.pem").start()) {
            assertThat(bad.awaitExit(LaunchedServer.START_TIMEOUT)).isEqualTo(2);
            assertThat(bad.lines()).contains(
                    "sockeye: invalid configuration: port (from SOCKEYE_PORT): must be a whole number, got 'not-a-port'",
                    "sockeye: invalid configuration: tls.key: required when tls.cert is set (--tls-key FILE)");
        }
    }

    @Test
    void startsWithoutConfigurationServingTheDemoAnonymously() throws Exception {
        try (LaunchedServer server = LaunchedServer.start(elsewhere, "sockeye-plain", Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url()))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Sockeye chat");
            HttpResponse<String> bundle = http.send(HttpRequest.newBuilder(URI.create(server.url()
                    + "vendor/socket.io.min.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bundle.statusCode()).isEqualTo(200);
            server.process().awaitLine("anonymous access is ON", Duration.ofSeconds(30));
        }
    }
}
