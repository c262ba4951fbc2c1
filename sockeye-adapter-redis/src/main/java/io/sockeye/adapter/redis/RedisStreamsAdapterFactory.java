package io.sockeye.adapter.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.sockeye.adapter.redis.internal.Counters;
import io.sockeye.adapter.redis.internal.RedisBus;
import io.sockeye.adapter.redis.internal.RedisConnections;
import io.sockeye.adapter.redis.internal.StreamReader;
import io.sockeye.adapter.redis.internal.StreamTail;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.adapter.NamespaceContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Makes the Redis Streams adapters of one Sockeye node ({@link RedisStreamsAdapter}), compatible with
 * {@code @socket.io/redis-streams-adapter} 0.3: pass it to {@code ServerOptions.adapterFactory(…)}.
 *
 * <pre>{@code
 * RedisStreamsAdapterFactory redis = RedisStreamsAdapterFactory.connect("redis://localhost:6379");
 * SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(redis).build());
 * ...
 * io.close();
 * redis.close();
 * }</pre>
 *
 * <p>Connections, shared by all namespaces: one for appending, reading back and publishing, one
 * subscriber for the pub/sub side, and one per stream that reads it with {@code XREAD BLOCK} (with
 * {@code streamCount} n > 1, 2n-1 streams: see {@link RedisStreamsAdapterOptions}). Redis 6.2 or later. The factory connects when it is created and throws
 * {@link RedisUnavailableException} if Redis cannot be reached then; afterwards outages are survived
 * as with the pub/sub adapters (see {@link RedisAdapter}), and each stream is read on from the last
 * entry read once Redis is back, so entries appended meanwhile by other nodes are not lost. Where Redis
 * is: one server or a Sentinel-managed master ({@link #connect(RedisURI, RedisStreamsAdapterOptions)}),
 * or a Redis Cluster ({@link #cluster}), where each stream lives on the shard owning its key.
 */
public final class RedisStreamsAdapterFactory implements AdapterFactory, ClusterBusStatus {

    /**
     * Commands never sent twice: after a reconnection Lettuce re-sends what was not answered, and an
     * append or publish may have reached Redis already (delivery is at most once per message).
     */
    private static final Set<ProtocolKeyword> NOT_REPLAYED = Set.of(CommandType.PUBLISH, CommandType.SPUBLISH,
            CommandType.XADD);
    private static final Predicate<RedisCommand<?, ?, ?>> REPLAY_FILTER = c -> NOT_REPLAYED.contains(c.getType());

    private final RedisStreamsAdapterOptions options;
    private final Counters counters = new Counters();
    private final RedisStreamsFormat format;
    private final RedisBus bus;
    private final List<StreamReader> readers = new ArrayList<>();
    private final Runnable releaseClient;
    private final Map<String, RedisStreamsAdapter> adapters = new ConcurrentHashMap<>();
    private final Map<String, Long> lengths = new ConcurrentHashMap<>();
    private final Map<String, Long> memory = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sampling;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisStreamsAdapterFactory(AbstractRedisClient client, Supplier<RedisConnections> connect, String target,
                                       Runnable releaseClient, RedisStreamsAdapterOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.format = new RedisStreamsFormat(new ClusterMessageCodec(options.objectMapper()), options.onlyPlaintext());
        this.releaseClient = releaseClient;
        RedisBus opened = null;
        try {
            opened = new RedisBus(connect, target, counters, options.scheduler());
            for (String stream : streamNames(options)) {
                StreamTail tail = new StreamTail(Math.min(options.restoreTailEntries(), options.maxLen()),
                        options.restoreTailBytes());
                readers.add(StreamReader.open(client, stream, options.readCount(), options.blockTime(),
                        options.scheduler(), counters, tail));
            }
        } catch (RuntimeException e) {
            readers.forEach(StreamReader::close);
            if (opened != null) {
                opened.close();
            }
            releaseClient.run();
            throw e instanceof RedisUnavailableException ? e
                    : new RedisUnavailableException("cannot connect to Redis at " + target, e);
        }
        this.bus = opened;
        long every = options.streamStatsInterval().toMillis();
        this.sampling = options.scheduler().scheduleWithFixedDelay(this::sampleStreams, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Every stream a namespace can be routed to: {@code <name>-<i>} for i from -(n-1) to n-1 with n > 1
     * streams, since the namespace hash keeps its sign. The Node.js adapter reads only 0 to n-1, so a
     * namespace whose hash is negative is written by Node.js nodes to a stream none of them reads.
     */
    private static List<String> streamNames(RedisStreamsAdapterOptions options) {
        int n = options.streamCount();
        if (n == 1) {
            return List.of(options.streamName());
        }
        List<String> names = new ArrayList<>(2 * n - 1);
        for (int i = -(n - 1); i < n; i++) {
            names.add(options.streamName() + "-" + i);
        }
        return names;
    }

    // ---- creation ----------------------------------------------------------------------------

    /** The Redis at {@code uri} (e.g. {@code redis://localhost:6379}), default options. */
    public static RedisStreamsAdapterFactory connect(String uri) {
        return connect(RedisURI.create(uri), RedisStreamsAdapterOptions.defaults());
    }

    /**
     * The Redis at {@code uri}; {@code redis-sentinel://} URIs work too. The factory owns the client it
     * creates and shuts it down on {@link #close()}.
     */
    public static RedisStreamsAdapterFactory connect(RedisURI uri, RedisStreamsAdapterOptions options) {
        ClientResources resources = RedisAdapterFactory.resources();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(clientOptions(options));
        return new RedisStreamsAdapterFactory(client, () -> RedisConnections.single(client),
                RedisAdapterFactory.describe(uri), RedisAdapterFactory.release(client, resources), options);
    }

    /** A client of yours (give it {@link #clientOptions}; not shut down by {@link #close()}). */
    public static RedisStreamsAdapterFactory connect(RedisClient client, RedisStreamsAdapterOptions options) {
        return new RedisStreamsAdapterFactory(client, () -> RedisConnections.single(client), "the configured Redis",
                () -> { }, options);
    }

    /**
     * A Redis Cluster reached through any of its nodes ({@code seeds}); each stream lives on the shard
     * owning its key, so spread the namespaces with {@code streamCount}. The factory owns the client.
     */
    public static RedisStreamsAdapterFactory cluster(List<RedisURI> seeds, RedisStreamsAdapterOptions options) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a Redis Cluster needs at least one seed node");
        }
        ClientResources resources = RedisAdapterFactory.resources();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(clusterClientOptions(options));
        return new RedisStreamsAdapterFactory(client, () -> RedisConnections.cluster(client),
                RedisAdapterFactory.describe(seeds), RedisAdapterFactory.release(client, resources), options);
    }

    /** A Redis Cluster client of yours (give it {@link #clusterClientOptions}; not shut down by {@link #close()}). */
    public static RedisStreamsAdapterFactory cluster(RedisClusterClient client, RedisStreamsAdapterOptions options) {
        return new RedisStreamsAdapterFactory(client, () -> RedisConnections.cluster(client),
                "the configured Redis Cluster", () -> { }, options);
    }

    /**
     * The pub/sub adapters' {@link RedisAdapterFactory#clientOptions client options}, except that an
     * {@code XREAD} may take {@code blockTime} longer than other commands, and an {@code XADD} is never
     * re-sent after a reconnection.
     */
    public static ClientOptions clientOptions(RedisStreamsAdapterOptions options) {
        return RedisAdapterFactory.clientOptions(options.connection()).mutate()
                .timeoutOptions(timeouts(options))
                .replayFilter(REPLAY_FILTER)
                .build();
    }

    /** {@link #clientOptions} for a Redis Cluster client, with the pub/sub adapters' topology refresh. */
    public static ClusterClientOptions clusterClientOptions(RedisStreamsAdapterOptions options) {
        ClusterClientOptions.Builder builder = RedisAdapterFactory.clusterClientOptions(options.connection()).mutate()
                .timeoutOptions(timeouts(options));
        builder.replayFilter(REPLAY_FILTER); // mutate() does not copy it
        return builder.build();
    }

    private static TimeoutOptions timeouts(RedisStreamsAdapterOptions options) {
        long command = options.commandTimeout().toMillis();
        long read = command + options.blockTime().toMillis();
        return TimeoutOptions.builder().timeoutSource(new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> c) {
                return c.getType() == CommandType.XREAD ? read : command;
            }

            @Override
            public TimeUnit getTimeUnit() {
                return TimeUnit.MILLISECONDS;
            }
        }).build();
    }

    // ---- AdapterFactory ----------------------------------------------------------------------

    @Override
    public RedisStreamsAdapter create(NamespaceContext namespace) {
        if (closed.get()) {
            throw new IllegalStateException("RedisStreamsAdapterFactory is closed");
        }
        String stream = RedisStreamsFormat.streamName(options.streamName(), options.streamCount(), namespace.name());
        StreamReader reader = readers.stream().filter(r -> r.stream().equals(stream)).findFirst().orElseThrow();
        RedisStreamsAdapter adapter = new RedisStreamsAdapter(namespace, bus, counters, options, format, reader);
        adapters.put(namespace.name(), adapter);
        return adapter;
    }

    /** The adapter this factory made for namespace {@code name} (e.g. to await {@link RedisAdapter#ready()}), or null. */
    public RedisStreamsAdapter adapter(String name) {
        return adapters.get(name);
    }

    public RedisStreamsAdapterOptions options() {
        return options;
    }

    // ---- state -------------------------------------------------------------------------------

    /** Whether the publishing and subscribing connections are up (for readiness checks). */
    @Override
    public boolean isConnected() {
        return !closed.get() && bus.isConnected();
    }

    /** This node's counters: messages appended/published and received, errors, reconnections. */
    @Override
    public ClusterBusStats stats() {
        return counters.snapshot(0);
    }

    /** The streams this factory's namespaces can be routed to (those {@link #streamLengths()} reports). */
    public List<String> streams() {
        return readers.stream().map(StreamReader::stream).toList();
    }

    /**
     * How many entries each stream holds ({@code XLEN}), as last sampled: every
     * {@code streamStatsInterval}, off the caller's path, so a metrics scrape never waits for Redis and
     * many scrapes do not multiply the commands. Empty until the first answers came; a stream Redis could
     * not be asked about keeps its last value.
     */
    public Map<String, Long> streamLengths() {
        return Map.copyOf(lengths);
    }

    /**
     * The memory each stream takes in Redis, in bytes ({@code MEMORY USAGE <stream>}, Redis's estimate,
     * which samples a stream's nodes), sampled as {@link #streamLengths()}; 0 for a stream that does not
     * exist.
     */
    public Map<String, Long> streamMemory() {
        return Map.copyOf(memory);
    }

    private void sampleStreams() {
        if (closed.get()) {
            return;
        }
        for (StreamReader reader : readers) {
            String stream = reader.stream();
            byte[] key = stream.getBytes(StandardCharsets.UTF_8);
            bus.execute("stream length not read", c -> c.xlen(key)).thenAccept(length -> lengths.put(stream, length));
            bus.execute("stream memory not read", c -> c.memoryUsage(key))
                    .thenAccept(bytes -> memory.put(stream, bytes == null ? 0L : bytes));
        }
    }

    /**
     * Stops reading, closes the Redis connections (waiting up to a few seconds) and shuts down the
     * client if the factory created it. Close the server first. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sampling.cancel(false);
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        readers.forEach(reader -> closing.add(reader.close()));
        closing.add(bus.close());
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(RedisAdapterFactory.SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing is best effort: the client shutdown below releases everything anyway
        } finally {
            releaseClient.run();
        }
    }
}
