package io.sockeye.adapter.redis;

import io.sockeye.core.adapter.AdapterConformanceKit;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.ClusterNodeFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/** The core adapter conformance kit against a real redis-server: the classic format (redis-adapter's createAdapter), counting nodes with PUBSUB NUMSUB. */
@ExtendWith(SharedRecoveryKitExceptions.class)
class ClassicRedisAdapterConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new RedisNodes(false, RedisAdapterOptions.defaults());
    }

    /** Redis counts the nodes (no heartbeats), like the kit's subscriber-count variant. */
    @Override
    protected ClusterAdapterOptions options() {
        return super.options().withHeartbeat(null, null);
    }
}
