package io.sockeye.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.netty.ConnectionStats;
import io.sockeye.netty.PerMessageDeflate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * How the front treats every connection: its deadlines (milliseconds, 0 for none), the paths a connection
 * from the health-check reserve may ask for, and how a connection ends when the peer does not cooperate.
 * Timeouts ride {@code timer}, the engine's shared wheel, never a scheduled task per connection.
 *
 * @param idleMillis   a connection with no request in progress may stay silent this long
 * @param headMillis   a request's head must be complete this long after its first byte
 * @param bodyMillis   a request's body must be complete this long after its head
 * @param closeMillis  a WebSocket close not taken by the peer this long is cut off with a reset
 * @param healthChecks request paths served to connections accepted past {@code maxConnections}
 * @param deflate      permessage-deflate for WebSocket connections ({@link PerMessageDeflate#DISABLED}: off)
 */
public record ConnectionPolicy(EngineTimer timer, long idleMillis, long headMillis, long bodyMillis,
                               long closeMillis, Set<String> healthChecks, ConnectionCounters counters,
                               PerMessageDeflate deflate) {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPolicy.class);

    /** The front's defaults, for handlers built without a front (tests, a pipeline of one's own). */
    static final ConnectionPolicy DEFAULTS = new ConnectionPolicy(EngineTimer.shared(), 30_000, 10_000, 30_000,
            5_000, Set.of(), new ConnectionCounters());

    public ConnectionPolicy {
        healthChecks = Set.copyOf(healthChecks);
        Objects.requireNonNull(deflate, "deflate");
    }

    /** A policy without permessage-deflate. */
    public ConnectionPolicy(EngineTimer timer, long idleMillis, long headMillis, long bodyMillis, long closeMillis,
                            Set<String> healthChecks, ConnectionCounters counters) {
        this(timer, idleMillis, headMillis, bodyMillis, closeMillis, healthChecks, counters, PerMessageDeflate.DISABLED);
    }

    /**
     * Closes {@code channel} abortively (SO_LINGER 0: a TCP reset), which also drops what the kernel still
     * holds for the peer: the socket and its buffers are released now, whatever the peer does.
     */
    void reset(Channel channel, ConnectionStats.Reset why) {
        if (!channel.isOpen()) {
            return;
        }
        counters.countReset(why);
        log.debug("resetting connection from {}: {}", channel.remoteAddress(), why.label());
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            log.debug("SO_LINGER 0 refused; closing normally", e);
        }
        channel.close();
    }

    /** Resets {@code channel} unless it has closed within {@link #closeMillis} (its close is under way). */
    void closeWithin(Channel channel) {
        if (closeMillis <= 0 || !channel.isOpen()) {
            return;
        }
        EngineTimer.Cancellable deadline = timer.schedule(() -> {
            try {
                channel.eventLoop().execute(() -> reset(channel, ConnectionStats.Reset.CLOSE_TIMEOUT));
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and closes every channel itself.
            }
        }, closeMillis);
        channel.closeFuture().addListener(f -> deadline.cancel());
    }
}
