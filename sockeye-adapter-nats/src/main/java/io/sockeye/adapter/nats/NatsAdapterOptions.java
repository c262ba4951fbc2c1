package io.sockeye.adapter.nats;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.adapter.ClusterAdapterOptions;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the NATS adapter; immutable. Start from {@link #builder()} or {@link #defaults()}.
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>subjectPrefix</td><td>{@code sockeye}</td><td>first token(s) of every subject; nodes of one
 *     cluster share it, separate clusters on one NATS use different prefixes</td></tr>
 * <tr><td>subscriptionMode</td><td>{@link SubscriptionMode#STATIC}</td><td>per-namespace subjects only,
 *     or also per-room subjects ({@link SubscriptionMode#DYNAMIC})</td></tr>
 * <tr><td>cluster</td><td>{@link ClusterAdapterOptions#defaults()}</td><td>request timeout (5 s) and
 *     heartbeats (every 5 s, node gone after 10 s silent); NATS has no subscriber count, so heartbeats
 *     must stay on</td></tr>
 * <tr><td>maxPendingBytes</td><td>8 MiB</td><td>when the connection's outgoing buffer holds more,
 *     publishing fails fast with {@link NatsUnavailableException}; also the reconnect buffer size of
 *     connections the factory opens</td></tr>
 * <tr><td>reconnectWait</td><td>100 ms … 5 s</td><td>connections the factory opens reconnect forever,
 *     waiting from the first to the second value, doubling, with jitter</td></tr>
 * <tr><td>pingInterval</td><td>5 s</td><td>connections the factory opens ping the server this often and
 *     give up on it after two missed pongs (a dead server that sent no FIN is noticed in ~10–15 s)</td></tr>
 * <tr><td>objectMapper</td><td>a default {@link ObjectMapper}</td><td>serialises the POJOs found in
 *     broadcast packets, handshakes and {@code socket.data}</td></tr>
 * </table>
 */
public final class NatsAdapterOptions {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final String subjectPrefix;
    private final SubscriptionMode subscriptionMode;
    private final ClusterAdapterOptions cluster;
    private final long maxPendingBytes;
    private final Duration reconnectWaitMin;
    private final Duration reconnectWaitMax;
    private final Duration pingInterval;
    private final ObjectMapper objectMapper;

    private NatsAdapterOptions(Builder b) {
        this.subjectPrefix = b.subjectPrefix;
        this.subscriptionMode = b.subscriptionMode;
        this.cluster = b.cluster;
        this.maxPendingBytes = b.maxPendingBytes;
        this.reconnectWaitMin = b.reconnectWaitMin;
        this.reconnectWaitMax = b.reconnectWaitMax;
        this.pingInterval = b.pingInterval;
        this.objectMapper = b.objectMapper;
    }

    public static NatsAdapterOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.subjectPrefix = subjectPrefix;
        b.subscriptionMode = subscriptionMode;
        b.cluster = cluster;
        b.maxPendingBytes = maxPendingBytes;
        b.reconnectWaitMin = reconnectWaitMin;
        b.reconnectWaitMax = reconnectWaitMax;
        b.pingInterval = pingInterval;
        b.objectMapper = objectMapper;
        return b;
    }

    public String subjectPrefix() {
        return subjectPrefix;
    }

    public SubscriptionMode subscriptionMode() {
        return subscriptionMode;
    }

    public ClusterAdapterOptions cluster() {
        return cluster;
    }

    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    public Duration reconnectWaitMin() {
        return reconnectWaitMin;
    }

    public Duration reconnectWaitMax() {
        return reconnectWaitMax;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    /** Builds {@link NatsAdapterOptions}; every setter checks its value at once and names it when wrong. */
    public static final class Builder {
        private String subjectPrefix = "sockeye";
        private SubscriptionMode subscriptionMode = SubscriptionMode.STATIC;
        private ClusterAdapterOptions cluster = ClusterAdapterOptions.defaults();
        private long maxPendingBytes = 8L * 1024 * 1024;
        private Duration reconnectWaitMin = Duration.ofMillis(100);
        private Duration reconnectWaitMax = Duration.ofSeconds(5);
        private Duration pingInterval = Duration.ofSeconds(5);
        private ObjectMapper objectMapper = new ObjectMapper();

        private Builder() {
        }

        /** Dot-separated tokens of letters, digits, {@code _} and {@code -}; no wildcards. */
        public Builder subjectPrefix(String value) {
            if (value == null || !PREFIX.matcher(value).matches()) {
                throw new IllegalArgumentException("subjectPrefix must be dot-separated tokens of [A-Za-z0-9_-]: " + value);
            }
            this.subjectPrefix = value;
            return this;
        }

        public Builder subscriptionMode(SubscriptionMode value) {
            this.subscriptionMode = Objects.requireNonNull(value, "subscriptionMode");
            return this;
        }

        /** Request timeout and heartbeats; heartbeats are required (NATS cannot count subscribers). */
        public Builder cluster(ClusterAdapterOptions value) {
            Objects.requireNonNull(value, "cluster");
            if (!value.heartbeatsEnabled()) {
                throw new IllegalArgumentException("cluster: NATS adapters count nodes by heartbeats; heartbeatInterval must be set");
            }
            this.cluster = value;
            return this;
        }

        public Builder maxPendingBytes(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxPendingBytes must be positive: " + value);
            }
            this.maxPendingBytes = value;
            return this;
        }

        /** Reconnect waits of connections the factory opens: {@code min}, doubling up to {@code max}. */
        public Builder reconnectWait(Duration min, Duration max) {
            requirePositive("reconnectWait min", min);
            requirePositive("reconnectWait max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnectWait max " + max + " is below min " + min);
            }
            this.reconnectWaitMin = min;
            this.reconnectWaitMax = max;
            return this;
        }

        public Builder pingInterval(Duration value) {
            requirePositive("pingInterval", value);
            this.pingInterval = value;
            return this;
        }

        public Builder objectMapper(ObjectMapper value) {
            this.objectMapper = Objects.requireNonNull(value, "objectMapper");
            return this;
        }

        public NatsAdapterOptions build() {
            return new NatsAdapterOptions(this);
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
        }
    }
}
