package io.sockeye.server.cluster;

import io.lettuce.core.RedisURI;
import io.nats.client.Connection;
import io.sockeye.adapter.nats.NatsAdapterFactory;
import io.sockeye.adapter.nats.NatsAdapterOptions;
import io.sockeye.adapter.redis.RedisAdapter;
import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.adapter.redis.RedisAdapterOptions;
import io.sockeye.adapter.redis.RedisStreamsAdapterFactory;
import io.sockeye.adapter.redis.RedisStreamsAdapterOptions;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.server.config.ConfigException;
import io.sockeye.server.config.RedisUrl;
import io.sockeye.server.config.ServerConfig;
import io.sockeye.server.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster bus the configuration asks for ({@code redis_url} or {@code nats_url}), connected, or
 * none: the adapter factory to plug into {@code ServerOptions.adapterFactory}, and the bus's
 * {@link ClusterBusStatus} (connection state for readiness, counters for metrics, shutdown).
 * {@code redis_url} may name one Redis, a Sentinel-managed master or a Redis Cluster (see
 * {@link RedisUrl}).
 *
 * <p>Startup policy: when the bus cannot be reached at start the server does not start
 * ({@link ConfigException}, exit 2). A node that came up alone while its operator believes it is
 * clustered would silently split the cluster; failing lets the supervisor restart it until the bus is
 * there. Outages <em>after</em> start are survived: the adapters reconnect with backoff, local
 * traffic keeps flowing and cluster operations answer {@code unavailable} meanwhile.
 */
public final class ClusterBus implements ClusterBusStatus {

    private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);

    /** A single node: always "connected", nothing counted, nothing to close. */
    private static final ClusterBusStatus NO_BUS = new ClusterBusStatus() {
        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public ClusterBusStats stats() {
            return ClusterBusStats.NONE;
        }

        @Override
        public void close() {
        }
    };

    private final AdapterFactory factory;
    private final ClusterBusStatus status;
    private final String name;
    private final String description;

    private ClusterBus(AdapterFactory factory, ClusterBusStatus status, String name, String description) {
        this.factory = factory;
        this.status = status;
        this.name = name;
        this.description = description;
    }

    /** No bus: the in-memory adapter of a single node. */
    public static ClusterBus none() {
        return new ClusterBus(AdapterFactory.inMemory(), NO_BUS, null, "single node");
    }

    /**
     * Connects to the configured bus (blocks until connected or refused).
     *
     * @throws ConfigException when the bus cannot be reached (the server then exits with 2)
     */
    public static ClusterBus open(ServerConfig config) {
        if (config.redisUrl() != null) {
            RedisUrl url = RedisUrl.of(config.redisUrl());
            try {
                if (url.isStreams()) {
                    RedisStreamsAdapterFactory redis = connectStreams(url);
                    log.info("clustering over Redis at {} (streams adapter{})", url.where(),
                            redis.options().useShardedPubSub() ? ", sharded pub/sub" : "");
                    return new ClusterBus(redis, redis, "redis", url.describe());
                }
                RedisAdapterFactory redis = connect(url);
                log.info("clustering over Redis at {} ({} mode)", url.where(), url.mode());
                return new ClusterBus(redis, redis, "redis", url.describe());
            } catch (RuntimeException e) {
                throw ConfigException.of(Settings.REDIS_URL.key(), "cannot connect to Redis at " + url.where() + ": "
                        + message(e));
            }
        }
        if (config.natsUrl() != null) {
            URI uri = config.natsUrl();
            String where = uri.getHost() + ":" + (uri.getPort() < 0 ? 4222 : uri.getPort());
            try {
                NatsAdapterFactory nats = NatsAdapterFactory.connect(uri.toString(), NatsAdapterOptions.defaults());
                log.info("clustering over NATS at {}", where);
                return new ClusterBus(nats, nats, "nats", "nats " + where);
            } catch (RuntimeException e) {
                throw ConfigException.of(Settings.NATS_URL.key(), "cannot connect to NATS at " + where + ": "
                        + message(e));
            }
        }
        return none();
    }

    /** A Redis adapter factory for the URL's topology and mode (blocking); throws when Redis cannot be reached. */
    private static RedisAdapterFactory connect(RedisUrl url) {
        RedisAdapterOptions options = RedisAdapterOptions.defaults();
        boolean sharded = "sharded".equals(url.mode());
        List<RedisURI> uris = url.lettuceUris();
        if (url.topology() == RedisUrl.Topology.CLUSTER) {
            return sharded ? RedisAdapterFactory.shardedCluster(uris, options)
                    : RedisAdapterFactory.classicCluster(uris, options);
        }
        return sharded ? RedisAdapterFactory.sharded(uris.get(0), options)
                : RedisAdapterFactory.classic(uris.get(0), options);
    }

    /**
     * A Redis Streams adapter factory (blocking), {@code @socket.io/redis-streams-adapter}'s defaults;
     * {@code mode=sharded} turns on its sharded pub/sub.
     */
    private static RedisStreamsAdapterFactory connectStreams(RedisUrl url) {
        RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.builder()
                .useShardedPubSub("sharded".equals(url.mode())).build();
        List<RedisURI> uris = url.lettuceUris();
        return url.topology() == RedisUrl.Topology.CLUSTER ? RedisStreamsAdapterFactory.cluster(uris, options)
                : RedisStreamsAdapterFactory.connect(uris.get(0), options);
    }

    /**
     * Completes once the bus has confirmed this node's subscriptions for {@code namespace}, whose
     * adapter must exist already: with Redis when the adapter's {@link RedisAdapter#ready()} does
     * (Redis answered its SUBSCRIBEs), with NATS after a flush round trip (the server answers it after
     * the SUBs the adapter sent before it). At once for a single node. Completes exceptionally when
     * the subscriptions failed.
     */
    public CompletableFuture<Void> subscriptionsConfirmed(String namespace) {
        if (factory instanceof RedisStreamsAdapterFactory streams) {
            return ready(streams.adapter(namespace), namespace);
        }
        if (factory instanceof RedisAdapterFactory redis) {
            return ready(redis.adapter(namespace), namespace);
        }
        if (factory instanceof NatsAdapterFactory nats) {
            return flushed(nats.connection());
        }
        return CompletableFuture.completedFuture(null);
    }

    private static CompletableFuture<Void> ready(RedisAdapter adapter, String namespace) {
        return adapter != null ? adapter.ready()
                : CompletableFuture.failedFuture(new IllegalStateException("no adapter for namespace " + namespace));
    }

    /**
     * Flushes until one round trip succeeds, on a thread of its own (a flush blocks), and gives up
     * when the connection is closed.
     */
    private static CompletableFuture<Void> flushed(Connection connection) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread flusher = new Thread(() -> {
            while (!done.isDone() && connection.getStatus() != Connection.Status.CLOSED) {
                try {
                    connection.flush(Duration.ofSeconds(5));
                    done.complete(null);
                } catch (TimeoutException e) {
                    log.debug("NATS has not answered a flush yet; asking again");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done.completeExceptionally(e);
                } catch (RuntimeException e) {
                    // e.g. disconnected: the client refuses at once, so pace the next attempt.
                    log.debug("NATS flush failed: {}", e.toString());
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                }
            }
            done.completeExceptionally(new IllegalStateException("NATS connection closed"));
        }, "sockeye-nats-subscriptions");
        flusher.setDaemon(true);
        flusher.start();
        return done;
    }

    /** Whether the bus is the Redis Streams adapter (its streams have lengths to export). */
    public boolean hasStreams() {
        return factory instanceof RedisStreamsAdapterFactory;
    }

    /**
     * With the Redis Streams adapter, the entries each stream holds, as last asked (see
     * {@link RedisStreamsAdapterFactory#streamLengths()}); empty for other buses.
     */
    public Map<String, Long> streamLengths() {
        return factory instanceof RedisStreamsAdapterFactory streams ? streams.streamLengths() : Map.of();
    }

    /**
     * With the Redis Streams adapter, the memory each stream takes in Redis, as last sampled (see
     * {@link RedisStreamsAdapterFactory#streamMemory()}); empty for other buses.
     */
    public Map<String, Long> streamMemory() {
        return factory instanceof RedisStreamsAdapterFactory streams ? streams.streamMemory() : Map.of();
    }

    /** What {@code ServerOptions.adapterFactory} gets. */
    public AdapterFactory adapterFactory() {
        return factory;
    }

    /** {@code "redis"} or {@code "nats"}; {@code null} for a single node. */
    public String name() {
        return name;
    }

    /** Whether a bus is configured (else this is a single node). */
    public boolean isClustered() {
        return name != null;
    }

    /** Whether cluster operations can reach the other nodes now (always true for a single node). */
    @Override
    public boolean isConnected() {
        return status.isConnected();
    }

    @Override
    public ClusterBusStats stats() {
        return status.stats();
    }

    /**
     * E.g. {@code redis classic 127.0.0.1:6379}, {@code redis sharded Redis Cluster h1:7000,h2:7000},
     * {@code redis streams 127.0.0.1:6379} or {@code single node}; never credentials.
     */
    @Override
    public String toString() {
        return description;
    }

    /** Closes the bus connections; call after the Socket.IO server closed its adapters. */
    @Override
    public void close() {
        try {
            status.close();
        } catch (RuntimeException e) {
            log.warn("closing the cluster bus failed", e);
        }
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                // Lettuce and jnats messages name the host but not the password.
                return t.getMessage().replaceAll("//[^/@]*@", "//****@");
            }
        }
        return e.getClass().getSimpleName();
    }
}
