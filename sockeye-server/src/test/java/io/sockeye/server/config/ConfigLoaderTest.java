package io.sockeye.server.config;

import io.sockeye.core.Parser;
import io.sockeye.netty.PerMessageDeflate;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.JwtSettings;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.server.limits.ConnectionSettings;
import io.sockeye.server.limits.LimitsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private ServerConfig load(Map<String, String> env, String... args) {
        return ConfigLoader.load(CommandLineOptions.parse(args).values(), env, warnings::add);
    }

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("sockeye.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsRunTheDemoOnPort3000WithAnonymousAccess() {
        ServerConfig c = load(Map.of());
        assertThat(c.port()).isEqualTo(3000);
        assertThat(c.host()).isNull();
        assertThat(c.tls()).isFalse();
        assertThat(c.corsOrigins()).isEmpty();
        assertThat(c.allowAnonymous()).isTrue();
        assertThat(c.anonymousByDefault()).isTrue();
        assertThat(c.jwt().enabled()).isFalse();
        assertThat(c.roomRules()).isEmpty();
        assertThat(c.apiKey()).isNull();
        assertThat(c.limits()).isEqualTo(LimitsSettings.defaults());
        assertThat(c.drainWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.maxHttpBufferSize()).isEqualTo(1_000_000);
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(c.parser()).isEqualTo(Parser.JSON);
    }

    @Test
    void theParserComesFromYamlEnvironmentOrFlag() throws IOException {
        Path file = yaml("parser: msgpack\n");
        assertThat(load(Map.of(), "--config", file.toString()).parser()).isEqualTo(Parser.MSGPACK);
        assertThat(load(Map.of("SOCKEYE_PARSER", "auto"), "--config", file.toString()).parser()).isEqualTo(Parser.AUTO);
        assertThat(load(Map.of("SOCKEYE_PARSER", "auto"), "--parser", "JSON").parser()).isEqualTo(Parser.JSON);
    }

    @Test
    void perMessageDeflateIsOffByDefaultAndComesFromYamlEnvironmentOrFlag() throws IOException {
        assertThat(load(Map.of()).perMessageDeflate()).isSameAs(PerMessageDeflate.DISABLED);
        Path file = yaml("per_message_deflate:\n  enabled: true\n  threshold: 256\n");
        PerMessageDeflate fromYaml = load(Map.of(), "--config", file.toString()).perMessageDeflate();
        assertThat(fromYaml.isEnabled()).isTrue();
        assertThat(fromYaml.threshold()).isEqualTo(256);
        PerMessageDeflate fromEnv = load(Map.of("SOCKEYE_PER_MESSAGE_DEFLATE_ENABLED", "true")).perMessageDeflate();
        assertThat(fromEnv.threshold()).isEqualTo(PerMessageDeflate.DEFAULT_THRESHOLD);
        assertThat(load(Map.of("SOCKEYE_PER_MESSAGE_DEFLATE_ENABLED", "true"), "--per-message-deflate", "false")
                .perMessageDeflate().isEnabled()).isFalse();
        assertThat(load(Map.of(), "--per-message-deflate", "true", "--per-message-deflate-threshold", "0")
                .perMessageDeflate().threshold()).isZero();
    }

    @Test
    void aNegativeDeflateThresholdIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of(), "--per-message-deflate-threshold", "-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("per_message_deflate.threshold");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheYamlFile() throws IOException {
        Path file = yaml("port: 4000\nhost: 127.0.0.1\n");
        Map<String, String> env = Map.of("SOCKEYE_CONFIG", file.toString(), "SOCKEYE_PORT", "5000");

        assertThat(load(env, "--port", "6000").port()).isEqualTo(6000);
        assertThat(load(env).port()).isEqualTo(5000);
        assertThat(load(Map.of(), "--config", file.toString()).port()).isEqualTo(4000);
        // Keys a higher layer does not set keep the lower layer's value.
        assertThat(load(env, "--port", "6000").host()).isEqualTo("127.0.0.1");
    }

    @Test
    void connectionDeadlinesAndCapsHaveDefaultsAndThePerIpTcpCapFollowsTheSocketIoOne() throws IOException {
        ServerConfig defaults = load(Map.of());
        assertThat(defaults.connections()).isEqualTo(new ConnectionSettings(Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), 3_016, null));
        assertThat(defaults.maxBufferedBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(load(Map.of(), "--max-connections-per-ip", "5").connections().maxTcpConnectionsPerIp()).isEqualTo(31);

        ServerConfig set = load(Map.of("SOCKEYE_CONNECTIONS_MAX", "0"), "--config", yaml("""
                connections:
                  idle_timeout: 1m
                  request_head_timeout: 2s
                  request_body_timeout: 0
                  close_timeout: 500ms
                  max_per_ip: 40
                engine:
                  max_buffered_bytes: 65536
                """).toString());
        assertThat(set.connections()).isEqualTo(new ConnectionSettings(Duration.ofMinutes(1), Duration.ofSeconds(2),
                Duration.ZERO, Duration.ofMillis(500), 40, 0L));
        assertThat(set.maxBufferedBytes()).isEqualTo(65_536);
    }

    @Test
    void configFlagBeatsConfigVariable() throws IOException {
        Path fromFlag = yaml("port: 4001\n");
        Path fromEnv = dir.resolve("other.yaml");
        Files.writeString(fromEnv, "port: 4002\n");

        ServerConfig c = load(Map.of("SOCKEYE_CONFIG", fromEnv.toString()), "--config", fromFlag.toString());

        assertThat(c.port()).isEqualTo(4001);
    }

    @Test
    void readsNestedYamlGroupsAndRoomRules() throws IOException {
        Path file = yaml("""
                jwt:
                  secret: "%s"
                  issuer: https://issuer.example
                  audience: sockeye
                  clock_skew: 5s
                api_key: backend-key
                cors_origins:
                  - https://app.example.com
                  - http://localhost:5173
                limits:
                  events_per_second: 2.5
                  event_burst: 7
                  max_rooms_per_connection: 3
                shutdown:
                  drain_window: 1500ms
                rooms:
                  - pattern: "chat:*"
                    subscribe: anyone
                    publish: authenticated
                    presence: anyone
                    presence_enabled: true
                  - pattern: "user:{sub}"
                    subscribe: owner
                """.formatted(SECRET));

        ServerConfig c = load(Map.of(), "--config", file.toString());

        assertThat(c.jwt()).isEqualTo(new JwtSettings(SECRET, null, null, "https://issuer.example", "sockeye",
                Duration.ofSeconds(5)));
        assertThat(c.allowAnonymous()).as("a JWT key turns the anonymous default off").isFalse();
        assertThat(c.anonymousByDefault()).isFalse();
        assertThat(c.apiKey()).isEqualTo("backend-key");
        assertThat(c.corsOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(c.limits().eventsPerSecond()).isEqualTo(2.5);
        assertThat(c.limits().eventBurst()).isEqualTo(7);
        assertThat(c.limits().maxRoomsPerConnection()).isEqualTo(3);
        assertThat(c.limits().maxPayloadBytes()).isEqualTo(LimitsSettings.defaults().maxPayloadBytes());
        assertThat(c.drainWindow()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.roomRules()).containsExactly(
                new RoomRule("chat:*", Access.ANYONE, Access.AUTHENTICATED, Access.ANYONE, true),
                new RoomRule("user:{sub}", Access.OWNER, Access.NONE, Access.NONE, false));
    }

    @Test
    void environmentVariablesMapDotsToUnderscores() {
        ServerConfig c = load(Map.of(
                "SOCKEYE_LIMITS_EVENT_BURST", "9",
                "SOCKEYE_SHUTDOWN_DRAIN_WINDOW", "2s",
                "SOCKEYE_CORS_ORIGINS", "https://a.example, https://b.example",
                "SOCKEYE_JWT_JWKS_URL", "https://idp.example/.well-known/jwks.json",
                "SOCKEYE_ROOMS", "[{pattern: 'news:*', subscribe: anyone}, {pattern: 'typing:*', history: 0},"
                        + " {pattern: 'announcements:*', history: 5000}]"));

        assertThat(c.limits().eventBurst()).isEqualTo(9);
        assertThat(c.drainWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.jwt().jwksUrl()).hasToString("https://idp.example/.well-known/jwks.json");
        assertThat(c.roomRules()).containsExactly(
                new RoomRule("news:*", Access.ANYONE, Access.NONE, Access.NONE, false),
                new RoomRule("typing:*", Access.NONE, Access.NONE, Access.NONE, false, 0),
                new RoomRule("announcements:*", Access.NONE, Access.NONE, Access.NONE, false, 5000));
        assertThat(warnings).isEmpty();
    }

    @Test
    void everySettingHasAFlagAndAVariableOfTheDocumentedShape() {
        for (Setting s : Settings.ALL) {
            assertThat(s.flag()).startsWith("--");
            assertThat(s.env()).matches("SOCKEYE_[A-Z0-9_]+");
            assertThat(Settings.byEnv(s.env())).contains(s);
        }
        assertThat(Settings.ALL.stream().map(Setting::flag)).doesNotHaveDuplicates()
                .contains("--port", "--host", "--config", "--allow-anonymous", "--jwt-secret", "--jwks-url",
                        "--api-key", "--redis-url", "--nats-url", "--tls-cert", "--tls-key", "--admin-password");
    }

    @Test
    void emptyVariablesCountAsUnset() {
        assertThat(load(Map.of("SOCKEYE_PORT", "", "SOCKEYE_API_KEY", " ")).port()).isEqualTo(3000);
        assertThat(load(Map.of("SOCKEYE_API_KEY", "")).apiKey()).isNull();
    }

    @Test
    void allowAnonymousFlagAloneMeansTrueAndCanBeTurnedOff() {
        assertThat(load(Map.of(), "--jwt-secret", SECRET, "--allow-anonymous").allowAnonymous()).isTrue();
        ServerConfig off = load(Map.of(), "--allow-anonymous=false");
        assertThat(off.allowAnonymous()).isFalse();
        assertThat(off.anonymousByDefault()).isFalse();
        assertThat(load(Map.of("SOCKEYE_ALLOW_ANONYMOUS", "no")).allowAnonymous()).isFalse();
    }

    @Test
    void listFlagsSplitAtCommasAndRepeat() {
        ServerConfig c = load(Map.of(), "--cors-origins", "https://a.example,https://b.example",
                "--cors-origins", "*");
        assertThat(c.corsOrigins()).containsExactly("https://a.example", "https://b.example", "*");
        assertThat(c.anyOrigin()).isTrue();
    }

    @Test
    void trustedProxiesAndTheProxyProtocolAreOffByDefaultAndReadFromEveryLayer() throws IOException {
        ServerConfig defaults = load(Map.of());
        assertThat(defaults.trustedProxies().isEmpty()).isTrue();
        assertThat(defaults.proxyProtocol()).isFalse();

        Path file = yaml("""
                trusted_proxies: [10.0.0.0/8, "fd00::/8"]
                proxy_protocol: true
                """);
        ServerConfig fromYaml = load(Map.of(), "--config", file.toString());
        assertThat(fromYaml.trustedProxies().blocks()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(fromYaml.proxyProtocol()).isTrue();

        ServerConfig fromEnv = load(Map.of("SOCKEYE_TRUSTED_PROXIES", "127.0.0.1,::1"));
        assertThat(fromEnv.trustedProxies().blocks()).containsExactly("127.0.0.1", "::1");
        ServerConfig fromFlags = load(Map.of(), "--trusted-proxies", "192.168.0.0/16", "--proxy-protocol");
        assertThat(fromFlags.trustedProxies().blocks()).containsExactly("192.168.0.0/16");
        assertThat(fromFlags.proxyProtocol()).isTrue();
        assertThat(fromFlags.toString()).contains("trustedProxies=192.168.0.0/16", "proxyProtocol=on");
        assertThat(warnings).isEmpty();
    }

    @Test
    void warnsWhenTrustedProxiesCoverEveryAddress() {
        load(Map.of(), "--trusted-proxies", "0.0.0.0/0");
        assertThat(warnings).singleElement().asString().startsWith("trusted_proxies (0.0.0.0/0) covers every address");
    }

    @Test
    void warnsAboutUnknownSockeyeVariablesWithASuggestion() {
        load(Map.of("SOCKEYE_PROT", "1", "SOCKEYE_JAVA_OPTS", "-Xmx1g", "HOME", "/root"));

        assertThat(warnings).containsExactly(
                "ignoring unknown environment variable SOCKEYE_PROT (did you mean SOCKEYE_PORT?)");
    }

    @Test
    void warnsWhenTheJwtSecretIsTooShortForHs384OrHs512() {
        load(Map.of(), "--jwt-secret", SECRET);
        assertThat(warnings).containsExactly("jwt.secret: 32 bytes accept HS256 only (RFC 7518 §3.2: HS384 needs 48,"
                + " HS512 needs 64 bytes); tokens signed with a longer hash are refused as 'algorithm not allowed'");
        warnings.clear();
        load(Map.of(), "--jwt-secret", SECRET + SECRET);
        assertThat(warnings).isEmpty();
    }

    @Test
    void durationsAcceptUnitsAndIso8601() {
        assertThat(Values.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Values.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Values.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Values.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Values.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(Values.parseDuration("pt1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Values.parseDuration("10")).isNull();
        assertThat(Values.parseDuration("ten seconds")).isNull();
    }

    @Test
    void toStringNeverShowsSecrets() {
        ServerConfig c = load(Map.of(), "--jwt-secret", SECRET, "--api-key", "api-key-value",
                "--admin-password", "admin-password-value");
        assertThat(c.toString()).doesNotContain(SECRET, "api-key-value", "admin-password-value");
    }

    @Test
    void metricsPortIsOffByDefaultAndFollowsTheMainHostUnlessGivenItsOwn() {
        ServerConfig none = load(Map.of());
        assertThat(none.metricsPort()).isNull();
        ServerConfig env = load(Map.of("SOCKEYE_METRICS_PORT", "9100"), "--host", "127.0.0.1");
        assertThat(env.metricsPort()).isEqualTo(9100);
        assertThat(env.metricsHost()).isEqualTo("127.0.0.1");
        ServerConfig flags = load(Map.of("SOCKEYE_METRICS_PORT", "9100"), "--metrics-port", "0",
                "--metrics-host", "10.0.0.5");
        assertThat(flags.metricsPort()).isZero();
        assertThat(flags.metricsHost()).isEqualTo("10.0.0.5");
    }

    @Test
    void adminUiModeAndReadonlyDefaultToProductionReadWrite() {
        ServerConfig c = load(Map.of(), "--admin-password", "pw", "--admin-ui");
        assertThat(c.adminUiDevelopment()).isFalse();
        assertThat(c.adminUiReadonly()).isFalse();
        ServerConfig dev = load(Map.of("SOCKEYE_ADMIN_UI_MODE", "development"), "--admin-password", "pw",
                "--admin-ui", "--admin-ui-readonly", "true");
        assertThat(dev.adminUiDevelopment()).isTrue();
        assertThat(dev.adminUiReadonly()).isTrue();
    }
}
