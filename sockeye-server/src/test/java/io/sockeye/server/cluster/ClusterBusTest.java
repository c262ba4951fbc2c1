package io.sockeye.server.cluster;

import io.sockeye.server.config.ConfigException;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.server.config.ServerConfig;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How redis_url / nats_url become a cluster bus: an unreachable one refuses the start naming the key;
 * without either the node is alone. Connecting to a real Sentinel and Redis Cluster is in
 * {@link RedisTopologiesTest}.
 */
class ClusterBusTest {

    @Test
    void anUnreachableNatsRefusesTheStartNamingTheKey() {
        int closedPort = FreePorts.next();
        ServerConfig config = ConfigLoader.load(new String[] {"--nats-url", "nats://127.0.0.1:" + closedPort});
        assertThatThrownBy(() -> ClusterBus.open(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nats_url: cannot connect to NATS at 127.0.0.1:" + closedPort);
    }

    @Test
    void anUnreachableSentinelOrClusterRefusesTheStartNamingTheKey() {
        int closedPort = FreePorts.next();
        ServerConfig sentinel = ConfigLoader.load(new String[] {"--redis-url",
                "redis-sentinel://127.0.0.1:" + closedPort + "?sentinelMasterId=mymaster"});
        assertThatThrownBy(() -> ClusterBus.open(sentinel))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis_url: cannot connect to Redis at sentinel master mymaster at 127.0.0.1:" + closedPort);
        ServerConfig cluster = ConfigLoader.load(new String[] {"--redis-url", "redis-cluster://127.0.0.1:" + closedPort});
        assertThatThrownBy(() -> ClusterBus.open(cluster))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis_url: cannot connect to Redis at Redis Cluster 127.0.0.1:" + closedPort);
    }

    @Test
    void withoutABusTheNodeIsAloneAndAlwaysConnected() {
        try (ClusterBus bus = ClusterBus.open(ConfigLoader.load(new String[0]))) {
            assertThat(bus.isClustered()).isFalse();
            assertThat(bus.isConnected()).isTrue();
            assertThat(bus.stats().published()).isZero();
            assertThat(bus).hasToString("single node");
        }
    }
}
