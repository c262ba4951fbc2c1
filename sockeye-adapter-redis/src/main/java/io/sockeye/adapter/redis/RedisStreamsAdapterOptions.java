package io.sockeye.adapter.redis;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Immutable options of the Redis Streams adapter ({@link RedisStreamsAdapterFactory}). Build with
 * {@link #builder()}; the defaults are those of {@code @socket.io/redis-streams-adapter} 0.3, whose
 * option names these are. Every node of a cluster, Node.js ones included, must use the same
 * {@code streamName}, {@code streamCount}, {@code channelPrefix}, {@code useShardedPubSub} and
 * {@code sessionKeyPrefix}.
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>streamName</td><td>{@code socket.io}</td><td>the stream's key; with several streams
 *     {@code <streamName>-<i>}</td></tr>
 * <tr><td>streamCount</td><td>1</td><td>how many streams the namespaces are spread over: the remainder of the
 *     namespace name's hash, whose sign it keeps, so n streams mean names {@code -(n-1)} to {@code n-1}; each
 *     is read on a connection of its own. The Node.js adapter only reads 0 to n-1: namespaces with a
 *     negative hash do not cross between Node.js nodes (Sockeye nodes read them)</td></tr>
 * <tr><td>channelPrefix</td><td>{@code socket.io}</td><td>pub/sub channels {@code <prefix>#<nsp>#} and
 *     {@code <prefix>#<nsp>#<uid>#}</td></tr>
 * <tr><td>useShardedPubSub</td><td>false</td><td>{@code SPUBLISH}/{@code SSUBSCRIBE} (Redis 7) for the
 *     pub/sub side</td></tr>
 * <tr><td>maxLen</td><td>10,000</td><td>{@code XADD … MAXLEN ~ maxLen}: roughly how many entries the stream
 *     keeps, for all its namespaces together; bounds how far back a recovery can go</td></tr>
 * <tr><td>readCount</td><td>100</td><td>{@code XREAD COUNT}: most entries one read returns</td></tr>
 * <tr><td>blockTime</td><td>5 s</td><td>{@code XREAD BLOCK}: how long one read waits for entries</td></tr>
 * <tr><td>sessionKeyPrefix</td><td>{@code sio:session:}</td><td>recovery sessions are kept at
 *     {@code <prefix><pid>}</td></tr>
 * <tr><td>onlyPlaintext</td><td>false</td><td>write every entry's data as JSON, even with binary inside</td></tr>
 * <tr><td>restorePageSize</td><td>100</td><td>Sockeye's: {@code XRANGE COUNT} of each page a recovery reads</td></tr>
 * <tr><td>restoreMaxEntries</td><td>20,000</td><td>Sockeye's: most stream entries one recovery scans; a
 *     recovery that would need more answers {@code recovered:false} instead of replaying part</td></tr>
 * <tr><td>restoreTailEntries</td><td>10,000</td><td>Sockeye's: most stream entries each node keeps, decoded,
 *     of what its reader read last (capped at {@code maxLen}); a recovery whose offset lies among them is
 *     answered without reading Redis. 0 turns the tail off</td></tr>
 * <tr><td>restoreTailBytes</td><td>32 MiB</td><td>Sockeye's: most estimated memory of that tail, per stream</td></tr>
 * <tr><td>streamStatsInterval</td><td>10 s</td><td>Sockeye's: how often each stream's length ({@code XLEN})
 *     and memory ({@code MEMORY USAGE}) are sampled for metrics</td></tr>
 * <tr><td>requestsTimeout</td><td>5 s</td><td>how long fetchSockets, serverSideEmitWithAck and allRooms wait
 *     for the other nodes when the call sets no timeout</td></tr>
 * <tr><td>requestQueueSize</td><td>65,536</td><td>for clients the factory creates: most commands waiting per
 *     connection</td></tr>
 * <tr><td>commandTimeout</td><td>5 s</td><td>for clients the factory creates: a command Redis does not answer
 *     within this time fails (an {@code XREAD} gets {@code blockTime} on top)</td></tr>
 * <tr><td>objectMapper</td><td>a plain Jackson {@code ObjectMapper}</td><td>turns POJOs in event arguments,
 *     socket data and handshakes into JSON/msgpack values</td></tr>
 * <tr><td>scheduler</td><td>the core's shared adapter timer</td><td>request timeouts and read retries</td></tr>
 * </table>
 */
public final class RedisStreamsAdapterOptions {

    private final String streamName;
    private final int streamCount;
    private final boolean useShardedPubSub;
    private final int maxLen;
    private final int readCount;
    private final Duration blockTime;
    private final String sessionKeyPrefix;
    private final boolean onlyPlaintext;
    private final int restorePageSize;
    private final int restoreMaxEntries;
    private final int restoreTailEntries;
    private final long restoreTailBytes;
    private final Duration streamStatsInterval;
    private final RedisAdapterOptions connection;

    private RedisStreamsAdapterOptions(Builder b) {
        this.streamName = requireText("streamName", b.streamName);
        this.streamCount = atLeastOne("streamCount", b.streamCount);
        this.useShardedPubSub = b.useShardedPubSub;
        this.maxLen = atLeastOne("maxLen", b.maxLen);
        this.readCount = atLeastOne("readCount", b.readCount);
        if (b.blockTime == null || b.blockTime.toMillis() < 1) {
            throw new IllegalArgumentException("blockTime must be at least 1 ms: " + b.blockTime);
        }
        this.blockTime = b.blockTime;
        this.sessionKeyPrefix = requireText("sessionKeyPrefix", b.sessionKeyPrefix);
        this.onlyPlaintext = b.onlyPlaintext;
        this.restorePageSize = atLeastOne("restorePageSize", b.restorePageSize);
        this.restoreMaxEntries = atLeastOne("restoreMaxEntries", b.restoreMaxEntries);
        if (b.restoreTailEntries < 0 || b.restoreTailBytes < 0) {
            throw new IllegalArgumentException("restoreTailEntries and restoreTailBytes must not be negative: "
                    + b.restoreTailEntries + ", " + b.restoreTailBytes);
        }
        this.restoreTailEntries = b.restoreTailEntries;
        this.restoreTailBytes = b.restoreTailBytes;
        if (b.streamStatsInterval == null || b.streamStatsInterval.toMillis() < 1) {
            throw new IllegalArgumentException("streamStatsInterval must be at least 1 ms: " + b.streamStatsInterval);
        }
        this.streamStatsInterval = b.streamStatsInterval;
        this.connection = b.connection.build(); // validates the shared settings
    }

    /** The defaults. */
    public static RedisStreamsAdapterOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.streamName = streamName;
        b.streamCount = streamCount;
        b.useShardedPubSub = useShardedPubSub;
        b.maxLen = maxLen;
        b.readCount = readCount;
        b.blockTime = blockTime;
        b.sessionKeyPrefix = sessionKeyPrefix;
        b.onlyPlaintext = onlyPlaintext;
        b.restorePageSize = restorePageSize;
        b.restoreMaxEntries = restoreMaxEntries;
        b.restoreTailEntries = restoreTailEntries;
        b.restoreTailBytes = restoreTailBytes;
        b.streamStatsInterval = streamStatsInterval;
        b.connection = connection.toBuilder();
        return b;
    }

    public String streamName() { return streamName; }
    public int streamCount() { return streamCount; }
    public String channelPrefix() { return connection.channelPrefix(); }
    public boolean useShardedPubSub() { return useShardedPubSub; }
    public int maxLen() { return maxLen; }
    public int readCount() { return readCount; }
    public Duration blockTime() { return blockTime; }
    public String sessionKeyPrefix() { return sessionKeyPrefix; }
    public boolean onlyPlaintext() { return onlyPlaintext; }
    public int restorePageSize() { return restorePageSize; }
    public int restoreMaxEntries() { return restoreMaxEntries; }
    public int restoreTailEntries() { return restoreTailEntries; }
    public long restoreTailBytes() { return restoreTailBytes; }
    public Duration streamStatsInterval() { return streamStatsInterval; }
    public Duration requestsTimeout() { return connection.requestsTimeout(); }
    public int requestQueueSize() { return connection.requestQueueSize(); }
    public Duration commandTimeout() { return connection.commandTimeout(); }
    public ObjectMapper objectMapper() { return connection.objectMapper(); }
    public ScheduledExecutorService scheduler() { return connection.scheduler(); }

    /** The settings the streams adapter shares with the pub/sub adapters, as their options. */
    RedisAdapterOptions connection() {
        return connection;
    }

    private static String requireText(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    private static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
        return value;
    }

    /** Builds {@link RedisStreamsAdapterOptions}; every setter is optional. */
    public static final class Builder {
        private String streamName = "socket.io";
        private int streamCount = 1;
        private boolean useShardedPubSub;
        private int maxLen = 10_000;
        private int readCount = 100;
        private Duration blockTime = Duration.ofSeconds(5);
        private String sessionKeyPrefix = "sio:session:";
        private boolean onlyPlaintext;
        private int restorePageSize = 100;
        private int restoreMaxEntries = 20_000;
        private int restoreTailEntries = 10_000;
        private long restoreTailBytes = 32L << 20;
        private Duration streamStatsInterval = Duration.ofSeconds(10);
        private RedisAdapterOptions.Builder connection = RedisAdapterOptions.builder();

        private Builder() {
        }

        public Builder streamName(String value) { this.streamName = value; return this; }
        public Builder streamCount(int value) { this.streamCount = value; return this; }
        public Builder channelPrefix(String value) { connection.channelPrefix(value); return this; }
        public Builder useShardedPubSub(boolean value) { this.useShardedPubSub = value; return this; }
        public Builder maxLen(int value) { this.maxLen = value; return this; }
        public Builder readCount(int value) { this.readCount = value; return this; }
        public Builder blockTime(Duration value) { this.blockTime = value; return this; }
        public Builder sessionKeyPrefix(String value) { this.sessionKeyPrefix = value; return this; }
        public Builder onlyPlaintext(boolean value) { this.onlyPlaintext = value; return this; }
        public Builder restorePageSize(int value) { this.restorePageSize = value; return this; }
        public Builder restoreMaxEntries(int value) { this.restoreMaxEntries = value; return this; }
        public Builder restoreTailEntries(int value) { this.restoreTailEntries = value; return this; }
        public Builder restoreTailBytes(long value) { this.restoreTailBytes = value; return this; }
        public Builder streamStatsInterval(Duration value) { this.streamStatsInterval = value; return this; }
        public Builder requestsTimeout(Duration value) { connection.requestsTimeout(value); return this; }
        public Builder requestQueueSize(int value) { connection.requestQueueSize(value); return this; }
        public Builder commandTimeout(Duration value) { connection.commandTimeout(value); return this; }
        public Builder objectMapper(ObjectMapper value) { connection.objectMapper(value); return this; }
        public Builder scheduler(ScheduledExecutorService value) { connection.scheduler(value); return this; }

        public RedisStreamsAdapterOptions build() {
            return new RedisStreamsAdapterOptions(this);
        }
    }
}
