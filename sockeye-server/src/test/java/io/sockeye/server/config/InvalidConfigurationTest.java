package io.sockeye.server.config;

import io.sockeye.server.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every unusable configuration stops the start with exit code 2 and a message on stderr that names
 * the key (and where its value came from) and the reason; nothing is printed to stdout.
 */
class InvalidConfigurationTest {

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Configured c = Main.configure(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(c.start()).as("a valid configuration was not expected").isFalse();
        return new Outcome(c.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Outcome run(String... args) {
        return run(Map.of(), args);
    }

    private static void assertInvalid(Outcome o, String... fragments) {
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).contains(fragments);
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void portOutOfRange() {
        assertInvalid(run("--port", "70000"),
                "invalid configuration: port (from --port): must be between 0 and 65535, got 70000");
    }

    @Test
    void portThatIsNotANumberNamesTheVariableItCameFrom() {
        assertInvalid(run(Map.of("SOCKEYE_PORT", "http")),
                "port (from SOCKEYE_PORT): must be a whole number, got 'http'");
    }

    @Test
    void certificateWithoutKey() throws IOException {
        Path cert = file("cert.pem", "-----BEGIN CERTIFICATE-----\n");
        assertInvalid(run("--tls-cert", cert.toString()), "tls.key: required when tls.cert is set");
    }

    @Test
    void keyWithoutCertificate() throws IOException {
        Path key = file("key.pem", "-----BEGIN PRIVATE KEY-----\n");
        assertInvalid(run("--tls-key", key.toString()), "tls.cert: required when tls.key is set");
    }

    @Test
    void missingFiles() {
        Path missing = dir.resolve("missing.pem");
        assertInvalid(run("--tls-cert", missing.toString(), "--tls-key", missing.toString()),
                "tls.cert (from --tls-cert): file not found", "tls.key (from --tls-key): file not found");
        assertInvalid(run("--jwt-public-key-file", dir.toString()),
                "jwt.public_key_file (from --jwt-public-key-file): not a regular file");
    }

    @Test
    void unreadableConfigFile() {
        assertInvalid(run("--config", dir.resolve("nope.yaml").toString()), "config: cannot read", "no such file");
    }

    @Test
    void unknownYamlKeyWithSuggestion() throws IOException {
        Path yaml = file("sockeye.yaml", "prot: 3000\nlimits:\n  event_bursts: 3\n");
        assertInvalid(run("--config", yaml.toString()),
                "prot: unknown key in sockeye.yaml (did you mean 'port'?)",
                "limits.event_bursts: unknown key in sockeye.yaml (did you mean 'limits.event_burst'?)");
    }

    @Test
    void yamlThatDoesNotParse() throws IOException {
        Path yaml = file("broken.yaml", "port: [3000\n");
        assertInvalid(run("--config", yaml.toString()), "config: ", "is not valid YAML");
    }

    @Test
    void yamlValueOfTheWrongShape() throws IOException {
        Path yaml = file("shape.yaml", "port:\n  value: 1\njwt: secret\n");
        assertInvalid(run("--config", yaml.toString()), "port: must be a single value, not a mapping",
                "jwt: must be a mapping of keys to values");
    }

    @Test
    void malformedUrls() {
        assertInvalid(run("--jwks-url", "not a url"), "jwt.jwks_url (from --jwks-url): malformed URL");
        assertInvalid(run("--jwks-url", "ftp://idp.example/jwks"),
                "jwt.jwks_url (from --jwks-url): must be a URL starting with http://, https://");
        assertInvalid(run("--redis-url", "localhost:6379"),
                "redis_url (from --redis-url): must be a URL starting with redis://, rediss://");
    }

    @Test
    void trustedProxiesThatAreNotCidrBlocksAndAProxyProtocolWithoutThemAreRefused() {
        assertInvalid(run("--trusted-proxies", "10.0.0.0/8,nginx.internal"),
                "trusted_proxies (from --trusted-proxies): 'nginx.internal' is not an IP address or a CIDR block");
        assertInvalid(run("--trusted-proxies", "10.0.0.1/8"), "has bits set past its /8 prefix: write 10.0.0.0/8");
        assertInvalid(run("--proxy-protocol"), "proxy_protocol (from --proxy-protocol): needs trusted_proxies");
    }

    @Test
    void redisAndNatsTogetherAreRefused() {
        assertInvalid(run(Map.of("SOCKEYE_NATS_URL", "nats://localhost:4222"), "--redis-url", "redis://localhost:6379"),
                "nats_url (from SOCKEYE_NATS_URL): set only one of redis_url and nats_url");
    }

    @Test
    void unknownRedisModeIsRefused() {
        assertInvalid(run("--redis-url", "redis://localhost:6379?mode=fast"),
                "redis_url (from --redis-url): mode must be classic or sharded, got 'fast'");
    }

    @Test
    void unknownRedisAdapterIsRefused() {
        assertInvalid(run("--redis-url", "redis://localhost:6379?adapter=kafka"),
                "redis_url (from --redis-url): adapter must be pubsub or streams, got 'kafka'");
    }

    @Test
    void urlCredentialsAreNotEchoed() {
        Outcome o = run("--redis-url", "http://user:hunter2@redis.example");
        assertInvalid(o, "redis_url");
        assertThat(o.err()).doesNotContain("hunter2");
    }

    @Test
    void shortJwtSecretAndSeveralKeySources() {
        assertInvalid(run("--jwt-secret", "short"),
                "jwt.secret (from --jwt-secret): must be at least 32 bytes (256 bits) for HS256, got 5");
        assertInvalid(run("--jwt-secret", "0123456789abcdef0123456789abcdef", "--jwks-url", "https://idp.example/jwks"),
                "jwt.jwks_url (from --jwks-url): set only one of jwt.secret, jwt.public_key_file and jwt.jwks_url");
    }

    @Test
    void issuerWithoutAKey() {
        assertInvalid(run("--jwt-issuer", "https://issuer.example"), "jwt.issuer (from --jwt-issuer): needs a key");
    }

    @Test
    void badCorsOrigin() {
        assertInvalid(run("--cors-origins", "https://ok.example,example.com/path"),
                "cors_origins (from --cors-origins): 'example.com/path' is not an origin");
    }

    @Test
    void badDurationsNumbersAndChoices() {
        assertInvalid(run("--drain-window", "ten"),
                "shutdown.drain_window (from --drain-window): must be a duration like 500ms, 10s, 5m or 1h, got 'ten'");
        assertInvalid(run("--ping-interval", "0"), "engine.ping_interval (from --ping-interval): must be longer than 0");
        assertInvalid(run("--events-per-second", "-1"),
                "limits.events_per_second (from --events-per-second): must be a positive number, got -1");
        assertInvalid(run("--event-burst", "0"), "limits.event_burst (from --event-burst): must be between 1 and");
        assertInvalid(run("--log-format", "xml"), "log.format (from --log-format): must be one of text, json, got 'xml'");
        assertInvalid(run("--parser", "protobuf"), "parser (from --parser): must be one of json, msgpack, auto, got 'protobuf'");
        assertInvalid(run("--allow-anonymous=maybe"),
                "allow_anonymous (from --allow-anonymous): must be true or false, got 'maybe'");
        assertInvalid(run("--max-buffered-bytes", "1000"),
                "engine.max_buffered_bytes (from --max-buffered-bytes): must be between 65536 and");
        assertInvalid(run("--max-tcp-connections-per-ip", "-1"),
                "connections.max_per_ip (from --max-tcp-connections-per-ip): must be between 0 and");
        assertInvalid(run("--request-head-timeout", "soon"), "connections.request_head_timeout (from"
                + " --request-head-timeout): must be a duration like 500ms, 10s, 5m or 1h, got 'soon'");
    }

    @Test
    void badRoomRules() throws IOException {
        Path yaml = file("rooms.yaml", """
                rooms:
                  - pattern: "chat:*"
                    subscribe: everyone
                  - subscribe: anyone
                  - pattern: "private:*"
                    subscribe: owner
                  - pattern: "x"
                    publsh: anyone
                  - pattern: "typing:*"
                    history: -1
                  - pattern: "news:*"
                    history: 1000001
                  - pattern: "chat:*"
                    history: lots
                """);
        assertInvalid(run("--config", yaml.toString()),
                "rooms[0].subscribe: must be anyone, authenticated, owner or none, got 'everyone'",
                "rooms[1].pattern: required",
                "rooms[2]: room rule 'private:*': access 'owner' needs a {sub} placeholder",
                "rooms[3].publsh: unknown field",
                "rooms[4].history: must be an integer from 0 (keep none) to 1000000, got '-1'",
                "rooms[5].history: must be an integer from 0 (keep none) to 1000000, got '1000001'",
                "rooms[6].history: must be an integer from 0 (keep none) to 1000000, got 'lots'");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Outcome o = run("--port", "-1", "--drain-window", "soon");
        assertInvalid(o, "port (from --port)", "shutdown.drain_window (from --drain-window)");
    }

    @Test
    void unknownFlag() {
        Outcome o = run("--prot", "3000");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.err()).contains("Unknown option", "'--prot'", "--help");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.Configured c = Main.configure(new String[] {"--help"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(c.start()).isFalse();
        assertThat(c.exitCode()).isZero();
        // Long lines wrap; compare with the wrapping undone.
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        for (Setting s : Settings.ALL) {
            assertThat(help).contains(s.flag(), "default: " + s.defaultDisplay());
            if (s != Settings.CONFIG) {
                assertThat(help).contains(s.env());
            }
        }
    }

    @Test
    void metricsPortOutOfRangeOrOnTheMainPortAndUnknownAdminUiMode() {
        assertInvalid(run("--metrics-port", "70000"),
                "metrics.port (from --metrics-port): must be between 0 and 65535, got 70000");
        assertInvalid(run("--port", "3000", "--metrics-port", "3000"), "metrics.port (from --metrics-port): must differ from port (3000)");
        assertInvalid(run("--admin-ui-mode", "debug"),
                "admin_ui_mode (from --admin-ui-mode): must be one of production, development, got 'debug'");
    }
}
