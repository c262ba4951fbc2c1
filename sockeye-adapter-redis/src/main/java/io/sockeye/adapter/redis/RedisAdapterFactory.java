package io.sockeye.adapter.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.sockeye.adapter.redis.internal.Counters;
import io.sockeye.adapter.redis.internal.RedisBus;
import io.sockeye.adapter.redis.internal.RedisConnections;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.adapter.NamespaceContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Makes the Redis adapters of one Sockeye node: pass it to {@code ServerOptions.adapterFactory(…)}.
 * It holds the node's two Redis connections (publish and subscribe), shared by all namespaces.
 *
 * <pre>{@code
 * RedisAdapterFactory redis = RedisAdapterFactory.classic("redis://localhost:6379");
 * SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(redis).build());
 * ...
 * io.close();
 * redis.close();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #classic} speaks {@code @socket.io/redis-adapter} 8.3's default format
 *       ({@code createAdapter}): Node.js socket.io servers using it can join the same cluster.</li>
 *   <li>{@link #sharded} speaks its Redis 7 sharded pub/sub format ({@code createShardedAdapter}).</li>
 * </ul>
 * Every node of a cluster must use the same mode and prefix.
 *
 * <p>Where Redis is: one server ({@code redis://}), the master a Redis Sentinel names
 * ({@code redis-sentinel://…?sentinelMasterId=name}: Lettuce asks the sentinels on every
 * (re)connection, so after a failover the connections come back on the new master), or a Redis
 * Cluster ({@link #shardedCluster}, {@link #classicCluster}, or your {@link RedisClusterClient}):
 * sharded mode then routes each shard channel to the master owning its slot.
 *
 * <p>Connections: the factory connects when it is created and throws {@link RedisUnavailableException}
 * if Redis cannot be reached then. Afterwards outages are survived: Lettuce reconnects with backoff
 * (50 ms doubling to 2 s for clients made from a URI), subscriptions are restored, and meanwhile
 * cluster operations fail fast (see {@link RedisAdapter}). A client made from a URI gets
 * {@link #clientOptions(RedisAdapterOptions)}; when you pass your own {@link RedisClient}, give it those
 * options too for the same fail-fast behaviour (Lettuce's defaults queue commands without bound while
 * disconnected and replay them after reconnecting).
 */
public final class RedisAdapterFactory implements AdapterFactory, ClusterBusStatus {

    private enum Mode { CLASSIC, SHARDED }

    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final Mode mode;
    private final RedisAdapterOptions options;
    private final Counters counters = new Counters();
    private final ClusterMessageCodec codec;
    private final RedisBus bus;
    private final Runnable releaseClient;
    private final Map<String, RedisAdapter> adapters = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisAdapterFactory(Mode mode, Supplier<RedisConnections> connect, String target, Runnable releaseClient,
                                RedisAdapterOptions options) {
        this.mode = mode;
        this.options = Objects.requireNonNull(options, "options");
        this.codec = new ClusterMessageCodec(options.objectMapper());
        try {
            this.bus = new RedisBus(connect, target, counters, options.scheduler());
        } catch (RuntimeException e) {
            releaseClient.run();
            throw e;
        }
        this.releaseClient = releaseClient;
    }

    // ---- creation ----------------------------------------------------------------------------

    /** Classic mode on the Redis at {@code uri} (e.g. {@code redis://localhost:6379}), default options. */
    public static RedisAdapterFactory classic(String uri) {
        return classic(RedisURI.create(uri), RedisAdapterOptions.defaults());
    }

    /**
     * Classic mode on the Redis at {@code uri}; {@code redis-sentinel://} URIs work too (connecting to
     * the master the sentinels name). The factory owns the client it creates and shuts it down on
     * {@link #close()}.
     */
    public static RedisAdapterFactory classic(RedisURI uri, RedisAdapterOptions options) {
        return owned(Mode.CLASSIC, uri, options);
    }

    /** Classic mode on a client of yours (not shut down by {@link #close()}). */
    public static RedisAdapterFactory classic(RedisClient client, RedisAdapterOptions options) {
        return new RedisAdapterFactory(Mode.CLASSIC, () -> RedisConnections.single(client), "the configured Redis",
                () -> { }, options);
    }

    /** Sharded mode (Redis 7 or later) on the Redis at {@code uri}, default options. */
    public static RedisAdapterFactory sharded(String uri) {
        return sharded(RedisURI.create(uri), RedisAdapterOptions.defaults());
    }

    /** Sharded mode on the Redis at {@code uri}; the factory owns the client it creates. */
    public static RedisAdapterFactory sharded(RedisURI uri, RedisAdapterOptions options) {
        return owned(Mode.SHARDED, uri, options);
    }

    /** Sharded mode on a client of yours (not shut down by {@link #close()}). */
    public static RedisAdapterFactory sharded(RedisClient client, RedisAdapterOptions options) {
        return new RedisAdapterFactory(Mode.SHARDED, () -> RedisConnections.single(client), "the configured Redis",
                () -> { }, options);
    }

    /**
     * Sharded mode on a Redis Cluster (Redis 7 or later), reached through any of its nodes
     * ({@code seeds}: one is enough, more survive one being down at start). Each shard channel goes to
     * the master owning its slot, so a room's traffic stays on one shard. The factory owns the client.
     */
    public static RedisAdapterFactory shardedCluster(List<RedisURI> seeds, RedisAdapterOptions options) {
        return ownedCluster(Mode.SHARDED, seeds, options);
    }

    /**
     * Classic mode on a Redis Cluster: works (a {@code PUBLISH} reaches every node of the cluster, and
     * the server count adds up every node's subscribers) but every message crosses every Redis node;
     * prefer {@link #shardedCluster}. The factory owns the client.
     */
    public static RedisAdapterFactory classicCluster(List<RedisURI> seeds, RedisAdapterOptions options) {
        return ownedCluster(Mode.CLASSIC, seeds, options);
    }

    /**
     * Sharded mode on a Redis Cluster client of yours (give it {@link #clusterClientOptions}; not shut
     * down by {@link #close()}). A cluster client's per-node connections cannot be told apart, so the
     * factory takes every connection event of the client as its own (logs, {@code reconnects}): give it
     * a client of its own.
     */
    public static RedisAdapterFactory sharded(RedisClusterClient client, RedisAdapterOptions options) {
        return new RedisAdapterFactory(Mode.SHARDED, () -> RedisConnections.cluster(client),
                "the configured Redis Cluster", () -> { }, options);
    }

    /** Classic mode on a Redis Cluster client of yours (not shut down by {@link #close()}). */
    public static RedisAdapterFactory classic(RedisClusterClient client, RedisAdapterOptions options) {
        return new RedisAdapterFactory(Mode.CLASSIC, () -> RedisConnections.cluster(client),
                "the configured Redis Cluster", () -> { }, options);
    }

    private static RedisAdapterFactory owned(Mode mode, RedisURI uri, RedisAdapterOptions options) {
        ClientResources resources = resources();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(clientOptions(options));
        return new RedisAdapterFactory(mode, () -> RedisConnections.single(client), describe(uri),
                release(client, resources), options);
    }

    private static RedisAdapterFactory ownedCluster(Mode mode, List<RedisURI> seeds, RedisAdapterOptions options) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a Redis Cluster needs at least one seed node");
        }
        ClientResources resources = resources();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(clusterClientOptions(options));
        return new RedisAdapterFactory(mode, () -> RedisConnections.cluster(client), describe(seeds),
                release(client, resources), options);
    }

    /** For messages: {@code host:port}, or the sentinels and the master's name; never a password. */
    static String describe(RedisURI uri) {
        return uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort()
                : "sentinel master " + uri.getSentinelMasterId() + " (sentinels " + uri.getSentinels().stream()
                        .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(",")) + ")";
    }

    /** For messages: the seed nodes of a Redis Cluster. */
    static String describe(List<RedisURI> seeds) {
        return "Redis Cluster " + seeds.stream().map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(","));
    }

    /** Shuts down a client the factory created, and its resources. */
    static Runnable release(AbstractRedisClient client, ClientResources resources) {
        return () -> {
            client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
            resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        };
    }

    /** The client resources of a client the factory creates: reconnection backoff 50 ms doubling to 2 s. */
    static ClientResources resources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * The Lettuce client options the adapters are meant to run with: reconnect automatically; while
     * disconnected reject commands instead of buffering them; at most {@code requestQueueSize} commands
     * waiting per connection; commands time out after {@code commandTimeout}; and never replay a
     * publish after a reconnection (it may have reached Redis already: delivery is at most once).
     */
    public static ClientOptions clientOptions(RedisAdapterOptions options) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .replayFilter(command -> command.getType() == CommandType.PUBLISH
                        || command.getType() == CommandType.SPUBLISH)
                .build();
    }

    /**
     * {@link #clientOptions} for a Redis Cluster client, plus topology refresh: on redirections and
     * reconnection attempts (so a failover or a moved slot is learnt at once) and every 30 s.
     */
    public static ClusterClientOptions clusterClientOptions(RedisAdapterOptions options) {
        // ClusterClientOptions.builder(ClientOptions) would drop the replay filter: set each option here.
        ClusterClientOptions.Builder builder = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()));
        builder.replayFilter(command -> command.getType() == CommandType.PUBLISH
                || command.getType() == CommandType.SPUBLISH);
        return builder.build();
    }

    // ---- AdapterFactory ----------------------------------------------------------------------

    @Override
    public RedisAdapter create(NamespaceContext namespace) {
        if (closed.get()) {
            throw new IllegalStateException("RedisAdapterFactory is closed");
        }
        RedisAdapter adapter = mode == Mode.CLASSIC
                ? new ClassicRedisAdapter(namespace, bus, counters, options)
                : new ShardedRedisAdapter(namespace, bus, counters, options, codec);
        adapters.put(namespace.name(), adapter);
        return adapter;
    }

    /**
     * The adapter this factory made for namespace {@code name} (e.g. to call
     * {@link ClassicRedisAdapter#allRooms()} or await {@link RedisAdapter#ready()}), or null.
     */
    public RedisAdapter adapter(String name) {
        return adapters.get(name);
    }

    // ---- state -------------------------------------------------------------------------------

    /** Whether both Redis connections (publish and subscribe) are up (for readiness checks). */
    @Override
    public boolean isConnected() {
        return !closed.get() && bus.isConnected();
    }

    /** This node's counters: messages published and received, errors, reconnections, room channels. */
    @Override
    public ClusterBusStats stats() {
        int rooms = 0;
        for (RedisAdapter adapter : adapters.values()) {
            rooms += adapter.roomSubscriptionCount();
        }
        return counters.snapshot(rooms);
    }

    public RedisAdapterOptions options() {
        return options;
    }

    /**
     * Closes the Redis connections (waiting up to a few seconds), and shuts down the client if the
     * factory created it. Close the server first, so the adapters unsubscribe cleanly; adapters still
     * open stop receiving. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            bus.close().get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing is best effort: the client shutdown below releases everything anyway
        } finally {
            releaseClient.run();
        }
    }
}
