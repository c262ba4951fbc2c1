package io.sockeye.core.adapter;

import java.time.Duration;

/**
 * Modifiers of one broadcast, as set on socket.io's broadcast operator.
 *
 * @param isVolatile the packet may be dropped for a recipient whose connection is not writable
 *                   ({@code io.volatile.emit})
 * @param local      deliver on this node only; the broadcast never crosses the cluster bus
 *                   ({@code io.local.emit})
 * @param compress   ask for per-message compression where the transport supports it (carried for
 *                   wire compatibility; transports may ignore it)
 * @param timeout    how long acknowledgements are awaited ({@code io.timeout(ms)}); {@code null} when
 *                   not set. Required by {@link Adapter#broadcastWithAck}; also bounds cluster requests
 *                   such as {@link Adapter#fetchSockets} when set.
 */
public record BroadcastFlags(boolean isVolatile, boolean local, boolean compress, Duration timeout) {

    /** No flags: reliable, cluster-wide, uncompressed, no timeout. */
    public static final BroadcastFlags NONE = new BroadcastFlags(false, false, false, null);

    public BroadcastFlags {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public BroadcastFlags withVolatile(boolean value) {
        return new BroadcastFlags(value, local, compress, timeout);
    }

    public BroadcastFlags withLocal(boolean value) {
        return new BroadcastFlags(isVolatile, value, compress, timeout);
    }

    public BroadcastFlags withCompress(boolean value) {
        return new BroadcastFlags(isVolatile, local, value, timeout);
    }

    public BroadcastFlags withTimeout(Duration value) {
        return new BroadcastFlags(isVolatile, local, compress, value);
    }
}
