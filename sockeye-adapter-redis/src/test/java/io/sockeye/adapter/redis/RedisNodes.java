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
 * Conformance-kit nodes on a real Redis started for the test: each node is its own
 * {@link RedisAdapterFactory} (its own two connections) on one shared Lettuce client. A kill closes
 * the node's connections without the adapter unsubscribing, as a crash would.
 */
final class RedisNodes implements ClusterNodeFactory {

    private final RedisServer redis = RedisServer.start();
    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> admin;
    private final boolean sharded;
    private final RedisAdapterOptions base;
    private final Map<Adapter, RedisAdapterFactory> factories = new ConcurrentHashMap<>();

    RedisNodes(boolean sharded, RedisAdapterOptions base) {
        this.sharded = sharded;
        this.base = base;
        this.client = RedisClient.create(resources, redis.uri());
        client.setOptions(RedisAdapterFactory.clientOptions(base));
        this.admin = client.connect();
    }

    @Override
    public Adapter create(NamespaceContext namespace, ClusterAdapterOptions options) {
        RedisAdapterOptions nodeOptions = base.toBuilder()
                .requestsTimeout(options.requestsTimeout())
                .scheduler(options.scheduler())
                .build();
        RedisAdapterFactory factory = sharded
                ? RedisAdapterFactory.sharded(client, nodeOptions)
                : RedisAdapterFactory.classic(client, nodeOptions);
        RedisAdapter created = factory.create(namespace);
        Adapter adapter = created instanceof ShardedRedisAdapter sharded && base.subscriptionMode() != SubscriptionMode.STATIC
                ? new SettlingAdapter(sharded) : created;
        factories.put(adapter, factory);
        return adapter;
    }

    @Override
    public void kill(Adapter node) {
        RedisAdapter adapter = node instanceof SettlingAdapter settling ? settling.delegate() : (RedisAdapter) node;
        String nsp = adapter.namespace().name();
        long before = subscribers(nsp);
        factories.get(node).close();
        // Redis drops the subscriptions once it processed the close; wait so that the next request
        // is sized by the surviving nodes.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> subscribers(nsp) < before);
    }

    private long subscribers(String nsp) {
        String prefix = sharded ? base.channelPrefix() + "#" + nsp + "#" : base.key() + "-request#" + nsp + "#";
        Map<String, Long> counts = sharded ? admin.sync().pubsubShardNumsub(prefix) : admin.sync().pubsubNumsub(prefix);
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        factories.values().forEach(RedisAdapterFactory::close);
        admin.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }
}
