package io.sockeye.adapter.redis;

import io.sockeye.core.adapter.AdapterConformanceKit;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.ClusterNodeFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core adapter conformance kit against a real Redis Cluster of three masters in the classic
 * format: {@code PUBLISH} reaches every node of the cluster, and the server count adds up the
 * subscribers of every node. One cluster serves the class; each test has its own key prefix.
 */
@ExtendWith(SharedRecoveryKitExceptions.class)
class ClusterClassicRedisAdapterConformanceTest extends AdapterConformanceKit {

    private static final AtomicInteger TEST = new AtomicInteger();
    private static RedisClusterServers cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterServers.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected ClusterNodeFactory nodes() {
        return RedisNodes.onCluster(cluster, false,
                RedisAdapterOptions.builder().key("classic-" + TEST.incrementAndGet()).build());
    }

    /** Redis counts the nodes (no heartbeats), like the kit's subscriber-count variant. */
    @Override
    protected ClusterAdapterOptions options() {
        return super.options().withHeartbeat(null, null);
    }
}
