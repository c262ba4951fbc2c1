package io.sockeye.adapter.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.adapter.ClusterAdapterOptions;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Immutable options of the Redis adapters. Build with {@link #builder()}; the defaults are those of
 * {@code @socket.io/redis-adapter} 8.3 where it has the option.
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>key</td><td>{@code socket.io}</td><td>classic mode: channel prefix ({@code <key>#<nsp>#},
 *     {@code <key>-request#<nsp>#}, {@code <key>-response#<nsp>#}); redis-adapter's {@code key}</td></tr>
 * <tr><td>channelPrefix</td><td>{@code socket.io}</td><td>sharded mode: channel prefix; redis-adapter's
 *     {@code channelPrefix}</td></tr>
 * <tr><td>requestsTimeout</td><td>5 s</td><td>how long fetchSockets, serverSideEmitWithAck and allRooms wait
 *     for the other nodes when the call sets no timeout</td></tr>
 * <tr><td>publishOnSpecificResponseChannel</td><td>false</td><td>classic mode: answer requests on
 *     {@code <key>-response#<nsp>#<uid>#} so only the requester receives them</td></tr>
 * <tr><td>subscriptionMode</td><td>{@link SubscriptionMode#DYNAMIC}</td><td>sharded mode: per-room channels
 *     or not</td></tr>
 * <tr><td>requestQueueSize</td><td>65,536</td><td>for clients the factory creates: most commands waiting for
 *     Redis per connection; beyond it cluster operations fail at once with {@link RedisUnavailableException}</td></tr>
 * <tr><td>commandTimeout</td><td>5 s</td><td>for clients the factory creates: a command Redis does not answer
 *     within this time fails</td></tr>
 * <tr><td>objectMapper</td><td>a plain Jackson {@code ObjectMapper}</td><td>turns POJOs/records in event
 *     arguments, socket data and handshakes into JSON/msgpack values; use the server's
 *     {@code ServerOptions.objectMapper} if you customised it</td></tr>
 * <tr><td>scheduler</td><td>the core's shared adapter timer</td><td>runs request timeouts and resubscription
 *     retries; tasks are tiny and never block</td></tr>
 * </table>
 */
public final class RedisAdapterOptions {

    private final String key;
    private final String channelPrefix;
    private final Duration requestsTimeout;
    private final boolean publishOnSpecificResponseChannel;
    private final SubscriptionMode subscriptionMode;
    private final int requestQueueSize;
    private final Duration commandTimeout;
    private final ObjectMapper objectMapper;
    private final ScheduledExecutorService scheduler;

    private RedisAdapterOptions(Builder b) {
        this.key = requireText("key", b.key);
        this.channelPrefix = requireText("channelPrefix", b.channelPrefix);
        this.requestsTimeout = positive("requestsTimeout", b.requestsTimeout);
        this.publishOnSpecificResponseChannel = b.publishOnSpecificResponseChannel;
        this.subscriptionMode = Objects.requireNonNull(b.subscriptionMode, "subscriptionMode");
        if (b.requestQueueSize < 1) {
            throw new IllegalArgumentException("requestQueueSize must be positive: " + b.requestQueueSize);
        }
        this.requestQueueSize = b.requestQueueSize;
        this.commandTimeout = positive("commandTimeout", b.commandTimeout);
        this.objectMapper = Objects.requireNonNull(b.objectMapper, "objectMapper");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    }

    /** The defaults. */
    public static RedisAdapterOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.key = key;
        b.channelPrefix = channelPrefix;
        b.requestsTimeout = requestsTimeout;
        b.publishOnSpecificResponseChannel = publishOnSpecificResponseChannel;
        b.subscriptionMode = subscriptionMode;
        b.requestQueueSize = requestQueueSize;
        b.commandTimeout = commandTimeout;
        b.objectMapper = objectMapper;
        b.scheduler = scheduler;
        return b;
    }

    public String key() { return key; }
    public String channelPrefix() { return channelPrefix; }
    public Duration requestsTimeout() { return requestsTimeout; }
    public boolean publishOnSpecificResponseChannel() { return publishOnSpecificResponseChannel; }
    public SubscriptionMode subscriptionMode() { return subscriptionMode; }
    public int requestQueueSize() { return requestQueueSize; }
    public Duration commandTimeout() { return commandTimeout; }
    public ObjectMapper objectMapper() { return objectMapper; }
    public ScheduledExecutorService scheduler() { return scheduler; }

    /**
     * The core options the adapters run with: no heartbeats, because Redis counts the nodes itself
     * ({@code PUBSUB NUMSUB}/{@code SHARDNUMSUB}), as in socket.io.
     */
    ClusterAdapterOptions clusterOptions() {
        return ClusterAdapterOptions.defaults()
                .withRequestsTimeout(requestsTimeout)
                .withHeartbeat(null, null)
                .withScheduler(scheduler);
    }

    private static String requireText(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    /** Builds {@link RedisAdapterOptions}; every setter is optional. */
    public static final class Builder {
        private String key = "socket.io";
        private String channelPrefix = "socket.io";
        private Duration requestsTimeout = Duration.ofSeconds(5);
        private boolean publishOnSpecificResponseChannel;
        private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;
        private int requestQueueSize = 65_536;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private ObjectMapper objectMapper = new ObjectMapper();
        private ScheduledExecutorService scheduler = ClusterAdapterOptions.defaults().scheduler();

        private Builder() {
        }

        public Builder key(String value) { this.key = value; return this; }
        public Builder channelPrefix(String value) { this.channelPrefix = value; return this; }
        public Builder requestsTimeout(Duration value) { this.requestsTimeout = value; return this; }
        public Builder publishOnSpecificResponseChannel(boolean value) { this.publishOnSpecificResponseChannel = value; return this; }
        public Builder subscriptionMode(SubscriptionMode value) { this.subscriptionMode = value; return this; }
        public Builder requestQueueSize(int value) { this.requestQueueSize = value; return this; }
        public Builder commandTimeout(Duration value) { this.commandTimeout = value; return this; }
        public Builder objectMapper(ObjectMapper value) { this.objectMapper = value; return this; }
        public Builder scheduler(ScheduledExecutorService value) { this.scheduler = value; return this; }

        public RedisAdapterOptions build() {
            return new RedisAdapterOptions(this);
        }
    }
}
