package io.sockeye.server.config;

import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How redis_url / nats_url become a cluster bus (the connected cases run in sockeye-tests' cluster tests). */
class ClusterBusTest {

    @Test
    void redisModeIsClassicUnlessTheUrlSaysSharded() {
        assertThat(ClusterBus.redisMode(URI.create("redis://h:6379"))).isEqualTo("classic");
        assertThat(ClusterBus.redisMode(URI.create("redis://h:6379?mode=sharded"))).isEqualTo("sharded");
        assertThat(ClusterBus.redisMode(URI.create("redis://h:6379?timeout=5s&mode=SHARDED"))).isEqualTo("sharded");
        assertThat(ClusterBus.redisMode(URI.create("redis://h:6379?mode=fast"))).isNull();
    }

    @Test
    void theModeParameterIsNotPassedToLettuceButTheOthersAre() {
        assertThat(ClusterBus.withoutMode(URI.create("redis://:pw@h:6379/2?mode=sharded")))
                .isEqualTo("redis://:pw@h:6379/2");
        assertThat(ClusterBus.withoutMode(URI.create("redis://h:6379?timeout=5s&mode=sharded&clientName=x")))
                .isEqualTo("redis://h:6379?timeout=5s&clientName=x");
        assertThat(ClusterBus.withoutMode(URI.create("rediss://h"))).isEqualTo("rediss://h");
    }

    @Test
    void anUnreachableNatsRefusesTheStartNamingTheKey() {
        int closedPort = FreePorts.next();
        ServerConfig config = ConfigLoader.load(new String[] {"--nats-url", "nats://127.0.0.1:" + closedPort});
        assertThatThrownBy(() -> ClusterBus.open(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nats_url: cannot connect to NATS at 127.0.0.1:" + closedPort);
    }

    @Test
    void theConfigurationDescribesTheBusWithoutItsPassword() {
        ServerConfig config = ConfigLoader.load(new String[] {"--redis-url", "redis://:hunter2@h:6380?mode=sharded",
                "--sticky-cookie"});
        assertThat(config.stickyCookie()).isTrue();
        assertThat(config.toString()).contains("cluster=redis sharded h:6380").doesNotContain("hunter2");
    }
}
