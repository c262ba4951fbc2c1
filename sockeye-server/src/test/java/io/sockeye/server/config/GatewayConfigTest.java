package io.sockeye.server.config;

import io.sockeye.server.gateway.GatewaySettings;
import io.sockeye.server.gateway.GatewaySettings.ConnectMode;
import io.sockeye.server.gateway.forward.ForwardSettings;
import io.sockeye.server.gateway.proxy.ProxyKind;
import io.sockeye.server.gateway.proxy.ProxySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's keys ({@code proxy.*}, {@code forward.*}) in YAML (nested groups), environment and flags. */
class GatewayConfigTest {

    @TempDir
    Path dir;

    private static GatewaySettings load(Map<String, String> env, String... args) {
        return ConfigLoader.load(CommandLineOptions.parse(args).values(), env, w -> { }).gateway();
    }

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("sockeye.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void nothingIsProxiedOrForwardedByDefault() {
        GatewaySettings g = load(Map.of());
        assertThat(g.enabled()).isFalse();
        assertThat(g.connectMode()).isEqualTo(ConnectMode.JWT_FIRST);
        assertThat(g.retries()).isEqualTo(2);
    }

    @Test
    void eachProxyIsAGroupOfItsOwnInYaml() throws IOException {
        Path file = yaml("""
                proxy:
                  connect:
                    url: http://auth.internal:8080/connect
                    cookies: [session]
                    headers: [X-Trace]
                    rooms: ["chat:*", "user:{sub}"]
                    mode: proxy_only
                  publish:
                    url: https://mod.internal/publish
                    timeout: 2s
                    max_concurrency: 50
                  retries: 1
                forward:
                  timeout: 3s
                  redis:
                    url: redis://127.0.0.1:6379
                    streams: ["chat:*=chat-messages"]
                    max_len: 1000
                """);
        GatewaySettings g = load(Map.of(), "--config", file.toString());
        ProxySettings connect = g.proxy(ProxyKind.CONNECT);
        assertThat(connect.url()).hasToString("http://auth.internal:8080/connect");
        assertThat(connect.cookies()).containsExactly("session");
        assertThat(connect.headers()).as("lower-cased").containsExactly("x-trace");
        assertThat(connect.rooms()).containsExactly("chat:*", "user:{sub}");
        assertThat(g.connectMode()).isEqualTo(ConnectMode.PROXY_ONLY);
        ProxySettings publish = g.proxy(ProxyKind.PUBLISH);
        assertThat(publish.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(publish.maxConcurrency()).isEqualTo(50);
        assertThat(publish.rooms()).as("default scope").containsExactly("*");
        assertThat(g.proxy(ProxyKind.RPC)).isNull();
        assertThat(g.retries()).isEqualTo(1);
        ForwardSettings f = g.forward();
        assertThat(f.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(f.redis().streams()).containsExactly(new ForwardSettings.Route("chat:*", "chat-messages"));
        assertThat(f.redis().maxLen()).isEqualTo(1000);
        assertThat(f.kafka()).isNull();
    }

    @Test
    void theConnectionsToTheBackendsAreBoundedAndClosedWhenIdleByDefault() {
        assertThat(load(Map.of()).pool()).isEqualTo(new GatewaySettings.Pool(1024, Duration.ofSeconds(4)));
    }

    @Test
    void theConnectionPoolKeysAreReadFromEveryLayer() throws IOException {
        Path file = yaml("""
                proxy:
                  max_connections: 32
                  idle_timeout: 2s
                """);
        assertThat(load(Map.of(), "--config", file.toString()).pool()).isEqualTo(new GatewaySettings.Pool(32, Duration.ofSeconds(2)));
        assertThat(load(Map.of("SOCKEYE_PROXY_MAX_CONNECTIONS", "8"), "--proxy-idle-timeout", "500ms").pool())
                .isEqualTo(new GatewaySettings.Pool(8, Duration.ofMillis(500)));
        assertThatThrownBy(() -> load(Map.of(), "--proxy-max-connections", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.max_connections");
        assertThatThrownBy(() -> load(Map.of(), "--proxy-idle-timeout", "0s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.idle_timeout");
    }

    @Test
    void environmentAndFlagsSpellTheSameKeys() {
        GatewaySettings g = load(Map.of("SOCKEYE_PROXY_RPC_URL", "http://127.0.0.1:9000/rpc",
                        "SOCKEYE_FORWARD_KAFKA_BROKERS", "127.0.0.1:9092"),
                "--proxy-rpc-timeout", "750ms", "--forward-kafka-topics", "a:*=topic-a,*=rest", "--forward-kafka-rpc-topic", "cmds");
        assertThat(g.proxy(ProxyKind.RPC).url()).hasToString("http://127.0.0.1:9000/rpc");
        assertThat(g.proxy(ProxyKind.RPC).timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(g.forward().kafka().topics()).extracting(ForwardSettings.Route::destination).containsExactly("topic-a", "rest");
        assertThat(g.forward().kafka().rpcTopic()).isEqualTo("cmds");
    }

    @Test
    void badValuesAreRefusedNamingTheirKey() {
        assertThatThrownBy(() -> load(Map.of(), "--proxy-connect-url", "ftp://x/connect"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.connect.url (from --proxy-connect-url)");
        assertThatThrownBy(() -> load(Map.of(), "--proxy-rpc-url", "http://x/rpc", "--proxy-rpc-headers", "X-Sockeye-User"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.rpc.headers")
                .hasMessageContaining("cannot be passed through");
        assertThatThrownBy(() -> load(Map.of(), "--proxy-rpc-headers", "Host"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.rpc.headers");
        assertThatThrownBy(() -> load(Map.of(), "--proxy-connect-mode", "sometimes"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.connect.mode");
        assertThatThrownBy(() -> load(Map.of(), "--forward-redis-streams", "chat:*=s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("forward.redis.streams").hasMessageContaining("needs forward.redis.url");
        assertThatThrownBy(() -> load(Map.of(), "--forward-kafka-brokers", "k:9092", "--forward-kafka-topics", "no-equals"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not PATTERN=NAME");
        assertThatThrownBy(() -> load(Map.of(), "--forward-kafka-brokers", "k:9092", "--forward-kafka-topics", "a=bad topic!"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a Kafka topic name");
        assertThatThrownBy(() -> load(Map.of(), "--forward-nats-url", "nats://n:4222", "--forward-nats-rpc-subject", "a.*"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("forward.nats.rpc_subject");
    }

    @Test
    void anUnknownKeyInsideAProxyGroupIsRefused() throws IOException {
        Path file = yaml("""
                proxy:
                  rpc:
                    url: http://x/rpc
                    rooms: ["*"]
                """);
        assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxy.rpc.rooms: unknown key");
        assertThat(List.of(ProxyKind.values())).extracting(ProxyKind::idempotent)
                .containsExactly(true, true, true, false, false);
    }
}
