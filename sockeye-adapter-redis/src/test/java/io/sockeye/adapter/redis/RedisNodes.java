package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.Executions;
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
 *
 * <p>The Redis is a {@code redis-server} of its own, or one shared by the test class (a Redis
 * Cluster, a Sentinel's master) that outlives these nodes.
 */
final class RedisNodes implements ClusterNodeFactory {

    /** How the nodes reach Redis, and how the test counts subscribers there. */
    private interface Backend {
        RedisAdapterFactory factory(boolean sharded, RedisAdapterOptions options);

        long subscribers(String channel, boolean sharded);

        void close();
    }

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private final Backend backend;
    private final boolean sharded;
    private final RedisAdapterOptions base;
    private final Map<Adapter, RedisAdapterFactory> factories = new ConcurrentHashMap<>();

    /** Nodes on a {@code redis-server} started for them (and stopped by {@link #close()}). */
    RedisNodes(boolean sharded, RedisAdapterOptions base) {
        this.sharded = sharded;
        this.base = base;
        RedisServer redis = RedisServer.start();
        this.backend = single(redis.uri(), redis);
    }

    private RedisNodes(boolean sharded, RedisAdapterOptions base, java.util.function.Function<RedisNodes, Backend> backend) {
        this.sharded = sharded;
        this.base = base;
        this.backend = backend.apply(this);
    }

    /** Nodes on the Redis at {@code uri} ({@code redis://}, {@code redis-sentinel://}), which they leave running. */
    static RedisNodes at(String uri, boolean sharded, RedisAdapterOptions base) {
        return new RedisNodes(sharded, base, nodes -> nodes.single(uri, () -> { }));
    }

    /** Nodes on a running Redis Cluster, which they leave running. */
    static RedisNodes onCluster(RedisClusterServers cluster, boolean sharded, RedisAdapterOptions base) {
        return new RedisNodes(sharded, base, nodes -> nodes.cluster(cluster));
    }

    private Backend single(String uri, AutoCloseable server) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(RedisAdapterFactory.clientOptions(base));
        StatefulRedisConnection<String, String> admin = client.connect();
        return new Backend() {
            @Override
            public RedisAdapterFactory factory(boolean sharded, RedisAdapterOptions options) {
                return sharded ? RedisAdapterFactory.sharded(client, options) : RedisAdapterFactory.classic(client, options);
            }

            @Override
            public long subscribers(String channel, boolean sharded) {
                Map<String, Long> counts = sharded ? admin.sync().pubsubShardNumsub(channel) : admin.sync().pubsubNumsub(channel);
                return counts.values().stream().mapToLong(Long::longValue).sum();
            }

            @Override
            public void close() {
                admin.close();
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private Backend cluster(RedisClusterServers servers) {
        RedisClusterClient client = RedisClusterClient.create(resources, servers.seeds());
        client.setOptions(RedisAdapterFactory.clusterClientOptions(base));
        StatefulRedisClusterConnection<String, String> admin = client.connect();
        return new Backend() {
            @Override
            public RedisAdapterFactory factory(boolean sharded, RedisAdapterOptions options) {
                return sharded ? RedisAdapterFactory.sharded(client, options) : RedisAdapterFactory.classic(client, options);
            }

            /** Every node counts its own subscribers: add them up. */
            @Override
            public long subscribers(String channel, boolean sharded) {
                Executions<Map<String, Long>> counts = sharded
                        ? admin.sync().upstream().commands().pubsubShardNumsub(channel)
                        : admin.sync().upstream().commands().pubsubNumsub(channel);
                return counts.stream().flatMap(map -> map.values().stream()).mapToLong(Long::longValue).sum();
            }

            @Override
            public void close() {
                admin.close();
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        };
    }

    @Override
    public Adapter create(NamespaceContext namespace, ClusterAdapterOptions options) {
        RedisAdapterOptions nodeOptions = base.toBuilder()
                .requestsTimeout(options.requestsTimeout())
                .scheduler(options.scheduler())
                .build();
        RedisAdapterFactory factory = backend.factory(sharded, nodeOptions);
        RedisAdapter created = factory.create(namespace);
        Adapter adapter = created instanceof ShardedRedisAdapter sharded && base.subscriptionMode() != SubscriptionMode.STATIC
                ? new SettlingAdapter(sharded) : created;
        factories.put(adapter, factory);
        return adapter;
    }

    /**
     * The classic adapter keeps history and sessions in Redis (one stream for the cluster); the sharded
     * one has node-local recovery, which every cluster adapter has without a shared store.
     */
    @Override
    public RecoveryMode recovery() {
        return sharded ? RecoveryMode.NODE_LOCAL : RecoveryMode.SHARED;
    }

    @Override
    public void kill(Adapter node) {
        RedisAdapter adapter = node instanceof SettlingAdapter settling ? settling.delegate() : (RedisAdapter) node;
        String nsp = adapter.namespace().name();
        long before = subscribers(nsp);
        factories.get(node).close();
        // Redis drops the subscriptions once it processed the close; wait so that the next request
        // is sized by the surviving nodes.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> subscribers(nsp) < before);
    }

    private long subscribers(String nsp) {
        String channel = sharded ? base.channelPrefix() + "#" + nsp + "#" : base.key() + "-request#" + nsp + "#";
        return backend.subscribers(channel, sharded);
    }

    @Override
    public void close() {
        factories.values().forEach(RedisAdapterFactory::close);
        backend.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
