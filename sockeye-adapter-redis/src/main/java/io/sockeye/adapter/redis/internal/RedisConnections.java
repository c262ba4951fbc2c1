package io.sockeye.adapter.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import reactor.core.Disposable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A node's publishing and subscriber connections, to one Redis (a single server, or the master a
 * Sentinel names) or to a Redis Cluster. {@link RedisBus} works the same on both; what differs is
 * here: how subscriber counts are taken and how subscription commands must be split.
 *
 * <p>On a Redis Cluster, Lettuce routes {@code SPUBLISH} and {@code SSUBSCRIBE} to the master owning
 * the shard channel's slot (their arguments are keys), keeping one pub/sub connection per master
 * for the shard channels and one default connection for classic channels and patterns (a classic
 * {@code PUBLISH} reaches every node of the cluster, so one subscriber connection anywhere suffices).
 * Lettuce rejects a command (with the fail-fast client options) while the connection to its node is
 * still being made, so the connections to every master are made up front and after each topology
 * change, not on the first command.
 */
public abstract sealed class RedisConnections {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    final StatefulConnection<byte[], byte[]> pubConnection;
    final StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private final AbstractRedisClient client;

    private RedisConnections(AbstractRedisClient client, StatefulConnection<byte[], byte[]> pub,
                             StatefulRedisPubSubConnection<byte[], byte[]> sub) {
        this.client = client;
        this.pubConnection = pub;
        this.sub = sub;
    }

    /** Opens both connections to one Redis, or to the master of a {@code redis-sentinel://} client (blocking). */
    public static RedisConnections single(RedisClient client) {
        return open(client, c -> c.connect(ByteArrayCodec.INSTANCE), c -> c.connectPubSub(ByteArrayCodec.INSTANCE),
                Single::new);
    }

    /**
     * Opens both connections to a Redis Cluster, and from each to every master (blocking; reads the
     * topology first).
     */
    public static RedisConnections cluster(RedisClusterClient client) {
        RedisConnections connections = open(client, c -> c.connect(ByteArrayCodec.INSTANCE),
                c -> c.connectPubSub(ByteArrayCodec.INSTANCE), Cluster::new);
        try {
            ((Cluster) connections).connectToMasters().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.closeAsync();
            throw new IllegalStateException("interrupted while connecting to the Redis Cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            connections.closeAsync();
            throw new IllegalStateException("cannot connect to every master of the Redis Cluster: " + e.getMessage(), e);
        }
        return connections;
    }

    private interface Maker<C, P> {
        RedisConnections make(C client, P pub, StatefulRedisPubSubConnection<byte[], byte[]> sub);
    }

    private static <C, P extends StatefulConnection<byte[], byte[]>> RedisConnections open(
            C client, Function<C, P> pub, Function<C, ? extends StatefulRedisPubSubConnection<byte[], byte[]>> sub,
            Maker<C, P> maker) {
        P publisher = pub.apply(client);
        try {
            return maker.make(client, publisher, sub.apply(client));
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** Commands of the publishing connection (pipelined: nothing waits for earlier replies). */
    abstract RedisClusterAsyncCommands<byte[], byte[]> publisher();

    /** How many connections subscribe to {@code channel} ({@code PUBSUB NUMSUB} / {@code SHARDNUMSUB}). */
    abstract CompletableFuture<Integer> subscriberCount(byte[] channel, boolean sharded);

    /**
     * {@code names} split into the groups that one (un)subscribe command may carry: a cluster refuses
     * shard channels of several slots in one command ({@code CROSSSLOT}).
     */
    Collection<List<byte[]>> commandGroups(boolean shardChannels, List<byte[]> names) {
        return List.of(names);
    }

    /**
     * Whether a node connection coming up needs the subscriptions reconciled even the first time: on a
     * cluster, a command sent while its node's connection was still being made was rejected.
     */
    boolean reconcileOnFirstConnect() {
        return false;
    }

    /** Runs {@code action} whenever the cluster's topology changed (never for a single Redis). */
    Disposable onTopologyChange(Runnable action) {
        return () -> { };
    }

    /** Whether a connection event of the client is about these connections. */
    abstract boolean concerns(RedisChannelHandler<?, ?> connection);

    AbstractRedisClient client() {
        return client;
    }

    CompletableFuture<Void> closeAsync() {
        return CompletableFuture.allOf(sub.closeAsync(), pubConnection.closeAsync());
    }

    static CompletableFuture<Integer> sum(CompletableFuture<Map<byte[], Long>> counts) {
        return counts.thenApply(map -> map.values().stream().mapToInt(Long::intValue).sum());
    }

    private static final class Single extends RedisConnections {
        private final StatefulRedisConnection<byte[], byte[]> pub;

        Single(RedisClient client, StatefulRedisConnection<byte[], byte[]> pub,
               StatefulRedisPubSubConnection<byte[], byte[]> sub) {
            super(client, pub, sub);
            this.pub = pub;
        }

        @Override
        RedisClusterAsyncCommands<byte[], byte[]> publisher() {
            return pub.async();
        }

        @Override
        CompletableFuture<Integer> subscriberCount(byte[] channel, boolean sharded) {
            RedisFuture<Map<byte[], Long>> counts = sharded
                    ? pub.async().pubsubShardNumsub(channel) : pub.async().pubsubNumsub(channel);
            return sum(counts.toCompletableFuture());
        }

        @Override
        boolean concerns(RedisChannelHandler<?, ?> connection) {
            return connection == pub || connection == sub;
        }
    }

    private static final class Cluster extends RedisConnections {
        private final StatefulRedisClusterConnection<byte[], byte[]> pub;

        Cluster(RedisClusterClient client, StatefulRedisClusterConnection<byte[], byte[]> pub,
                StatefulRedisPubSubConnection<byte[], byte[]> sub) {
            super(client, pub, sub);
            this.pub = pub;
        }

        @Override
        RedisClusterAsyncCommands<byte[], byte[]> publisher() {
            return pub.async();
        }

        /**
         * Each node counts only its own subscribers: a shard channel's are on the master owning its
         * slot; classic subscribers may sit on any node, so their counts are summed over all nodes.
         */
        @Override
        CompletableFuture<Integer> subscriberCount(byte[] channel, boolean sharded) {
            if (sharded) {
                RedisClusterNode owner = pub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
                if (owner == null) {
                    return CompletableFuture.failedFuture(new IllegalStateException(
                            "no master serves slot " + SlotHash.getSlot(channel)));
                }
                return pub.getConnectionAsync(owner.getNodeId())
                        .thenCompose(node -> sum(node.async().pubsubShardNumsub(channel).toCompletableFuture()));
            }
            CompletableFuture<Map<byte[], Long>>[] perNode = pub.async()
                    .nodes(node -> !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.NOADDR) && !node.is(NodeFlag.HANDSHAKE))
                    .commands().pubsubNumsub(channel).futures();
            return CompletableFuture.allOf(perNode).thenApply(v -> {
                int total = 0;
                for (CompletableFuture<Map<byte[], Long>> counts : perNode) {
                    total += counts.join().values().stream().mapToInt(Long::intValue).sum();
                }
                return total;
            });
        }

        @Override
        Collection<List<byte[]>> commandGroups(boolean shardChannels, List<byte[]> names) {
            if (!shardChannels || names.size() < 2) {
                return List.of(names);
            }
            return new ArrayList<>(SlotHash.partition(ByteArrayCodec.INSTANCE, names).values());
        }

        /** Opens (or finds open) the publishing and subscribing connections to every master. */
        CompletableFuture<Void> connectToMasters() {
            List<CompletableFuture<?>> connecting = new ArrayList<>();
            for (RedisClusterNode node : pub.getPartitions()) {
                if (node.is(NodeFlag.UPSTREAM) && !node.is(NodeFlag.FAIL) && node.getUri() != null) {
                    String host = node.getUri().getHost();
                    int port = node.getUri().getPort();
                    connecting.add(pub.getConnectionAsync(host, port));
                    connecting.add(((StatefulRedisClusterPubSubConnection<byte[], byte[]>) sub).getConnectionAsync(host, port));
                }
            }
            return CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new));
        }

        @Override
        boolean reconcileOnFirstConnect() {
            return true;
        }

        @Override
        Disposable onTopologyChange(Runnable action) {
            return client().getResources().eventBus().get()
                    .filter(ClusterTopologyChangedEvent.class::isInstance)
                    .subscribe(event -> connectToMasters().whenComplete((v, e) -> action.run()));
        }

        /**
         * The cluster connections are made of one connection per node, which are the ones that report
         * events, and cannot be told apart from the other connections of the client: all count.
         */
        @Override
        boolean concerns(RedisChannelHandler<?, ?> connection) {
            return true;
        }
    }
}
