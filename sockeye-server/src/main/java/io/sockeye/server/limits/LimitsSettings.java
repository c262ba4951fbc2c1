package io.sockeye.server.limits;

/**
 * The abuse limits of the standalone server (docs/configuration.md, "Limits"). Every limit is per node. Immutable;
 * {@link #defaults()} holds the documented defaults, {@link #builder()} changes some of them.
 *
 * @param eventsPerSecond          client requests per second a connection may sustain (token bucket refill
 *                                 rate); over the limit a request is answered {@code rate_limited}. Default 50.
 * @param eventBurst               the bucket's capacity: requests a connection may send at once. Default 100.
 * @param abuseDisconnectAfter     rate-limited requests in a row after which the connection is disconnected
 *                                 (sustained abuse); any accepted request resets the run. Default 200.
 * @param maxPayloadBytes          largest {@code data} of a client {@code publish}, counted as its JSON size
 *                                 with binary parts at their byte length; larger is answered
 *                                 {@code too_large}. Default 65,536.
 * @param maxRoomsPerConnection    rooms one connection may subscribe to (its personal room not counted);
 *                                 one more is answered {@code forbidden}. Default 256.
 * @param maxConnectionsPerIp      connections from one IP address; one more is refused with a
 *                                 {@code connect_error} "rate_limited". Default 1,000 (NATs share addresses).
 * @param maxConnectionsPerUser    connections of one authenticated user ({@code sub}); one more is refused with
 *                                 a {@code connect_error} "rate_limited". Default 100.
 * @param handshakesPerSecond      new Engine.IO sessions per second for the whole node; past it the
 *                                 handshake gets HTTP 503 with {@code Retry-After}. Default 1,000.
 * @param handshakesPerSecondPerIp new sessions per second from one IP address (bursts of the same size are
 *                                 allowed); past it HTTP 503. Default 20.
 * @param apiMaxBodyBytes          largest HTTP API request body; larger gets HTTP 413. Default 1,048,576. The
 *                                 transport's own cap ({@code maxHttpBufferSize}) applies first when smaller.
 */
public record LimitsSettings(double eventsPerSecond, int eventBurst, int abuseDisconnectAfter, int maxPayloadBytes,
                             int maxRoomsPerConnection, int maxConnectionsPerIp, int maxConnectionsPerUser,
                             double handshakesPerSecond, double handshakesPerSecondPerIp, int apiMaxBodyBytes) {

    private static final LimitsSettings DEFAULTS =
            new LimitsSettings(50, 100, 200, 65_536, 256, 1_000, 100, 1_000, 20, 1_048_576);

    public LimitsSettings {
        positive("eventsPerSecond", eventsPerSecond);
        positive("eventBurst", eventBurst);
        positive("abuseDisconnectAfter", abuseDisconnectAfter);
        positive("maxPayloadBytes", maxPayloadBytes);
        positive("maxRoomsPerConnection", maxRoomsPerConnection);
        positive("maxConnectionsPerIp", maxConnectionsPerIp);
        positive("maxConnectionsPerUser", maxConnectionsPerUser);
        positive("handshakesPerSecond", handshakesPerSecond);
        positive("handshakesPerSecondPerIp", handshakesPerSecondPerIp);
        positive("apiMaxBodyBytes", apiMaxBodyBytes);
    }

    private static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a positive number, got " + value);
        }
    }

    /** The documented defaults. */
    public static LimitsSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder; {@link #build()} validates (every value must be positive). */
    public static final class Builder {
        private double eventsPerSecond;
        private int eventBurst;
        private int abuseDisconnectAfter;
        private int maxPayloadBytes;
        private int maxRoomsPerConnection;
        private int maxConnectionsPerIp;
        private int maxConnectionsPerUser;
        private double handshakesPerSecond;
        private double handshakesPerSecondPerIp;
        private int apiMaxBodyBytes;

        private Builder(LimitsSettings s) {
            eventsPerSecond = s.eventsPerSecond;
            eventBurst = s.eventBurst;
            abuseDisconnectAfter = s.abuseDisconnectAfter;
            maxPayloadBytes = s.maxPayloadBytes;
            maxRoomsPerConnection = s.maxRoomsPerConnection;
            maxConnectionsPerIp = s.maxConnectionsPerIp;
            maxConnectionsPerUser = s.maxConnectionsPerUser;
            handshakesPerSecond = s.handshakesPerSecond;
            handshakesPerSecondPerIp = s.handshakesPerSecondPerIp;
            apiMaxBodyBytes = s.apiMaxBodyBytes;
        }

        public Builder eventsPerSecond(double v) { eventsPerSecond = v; return this; }
        public Builder eventBurst(int v) { eventBurst = v; return this; }
        public Builder abuseDisconnectAfter(int v) { abuseDisconnectAfter = v; return this; }
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
        public Builder maxRoomsPerConnection(int v) { maxRoomsPerConnection = v; return this; }
        public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = v; return this; }
        public Builder maxConnectionsPerUser(int v) { maxConnectionsPerUser = v; return this; }
        public Builder handshakesPerSecond(double v) { handshakesPerSecond = v; return this; }
        public Builder handshakesPerSecondPerIp(double v) { handshakesPerSecondPerIp = v; return this; }
        public Builder apiMaxBodyBytes(int v) { apiMaxBodyBytes = v; return this; }

        public LimitsSettings build() {
            return new LimitsSettings(eventsPerSecond, eventBurst, abuseDisconnectAfter, maxPayloadBytes,
                    maxRoomsPerConnection, maxConnectionsPerIp, maxConnectionsPerUser, handshakesPerSecond,
                    handshakesPerSecondPerIp, apiMaxBodyBytes);
        }
    }
}
