package io.sockeye.adapter.redis;

import io.sockeye.core.adapter.AdapterConformanceKit;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.ClusterNodeFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The core adapter conformance kit against the Redis Streams adapter with {@code useShardedPubSub}
 * (requests and responses over SPUBLISH/SSUBSCRIBE) and two streams, on a real redis-server.
 */
@ExtendWith(StreamsKitExceptions.class)
class ShardedRedisStreamsAdapterConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new RedisStreamsNodes(RedisStreamsAdapterOptions.builder().useShardedPubSub(true).streamCount(2).build());
    }

    @Override
    protected ClusterAdapterOptions options() {
        return super.options().withHeartbeat(null, null);
    }
}
