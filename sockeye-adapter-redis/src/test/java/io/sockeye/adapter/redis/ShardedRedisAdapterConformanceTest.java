package io.sockeye.adapter.redis;

import io.sockeye.core.adapter.AdapterConformanceKit;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.ClusterNodeFactory;

/** The core adapter conformance kit against a real redis-server: the sharded format in the default dynamic subscription mode (per-room channels). */
class ShardedRedisAdapterConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new RedisNodes(true, RedisAdapterOptions.defaults());
    }

    /** Redis counts the nodes (no heartbeats), like the kit's subscriber-count variant. */
    @Override
    protected ClusterAdapterOptions options() {
        return super.options().withHeartbeat(null, null);
    }
}
