package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.ClusterNodeFactory;
import io.sockeye.core.adapter.NamespaceContext;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Conformance-kit nodes of the Redis Streams adapter on a {@code redis-server} started for them: each
 * node is its own {@link RedisStreamsAdapterFactory} (its own connections, its own stream reader) on
 * one shared Lettuce client. A kill closes the node's connections without the adapter unsubscribing,
 * as a crash would.
 */
final class RedisStreamsNodes implements ClusterNodeFactory {

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private final RedisServer redis = RedisServer.start();
    private final RedisStreamsAdapterOptions base;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> admin;
    private final Map<Adapter, RedisStreamsAdapterFactory> factories = new ConcurrentHashMap<>();

    RedisStreamsNodes(RedisStreamsAdapterOptions base) {
        this.base = base;
        this.client = RedisClient.create(resources, redis.uri());
        client.setOptions(RedisStreamsAdapterFactory.clientOptions(base));
        this.admin = client.connect();
    }

    @Override
    public Adapter create(NamespaceContext namespace, ClusterAdapterOptions options) {
        RedisStreamsAdapterFactory factory = RedisStreamsAdapterFactory.connect(client, base.toBuilder()
                .requestsTimeout(options.requestsTimeout())
                .scheduler(options.scheduler())
                .build());
        RedisStreamsAdapter adapter = factory.create(namespace);
        factories.put(adapter, factory);
        return adapter;
    }

    /** One stream and one session store for the cluster: a client recovers on any node. */
    @Override
    public RecoveryMode recovery() {
        return RecoveryMode.SHARED;
    }

    @Override
    public void kill(Adapter node) {
        String channel = base.channelPrefix() + "#" + ((RedisStreamsAdapter) node).namespace().name() + "#";
        long before = subscribers(channel);
        factories.get(node).close();
        // Redis drops the subscriptions once it processed the close; wait so that the next request
        // is sized by the surviving nodes.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> subscribers(channel) < before);
    }

    private long subscribers(String channel) {
        Map<String, Long> counts = base.useShardedPubSub() ? admin.sync().pubsubShardNumsub(channel)
                : admin.sync().pubsubNumsub(channel);
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        factories.values().forEach(RedisStreamsAdapterFactory::close);
        admin.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }
}
