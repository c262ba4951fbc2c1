package io.sockeye.core.adapter;


import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Settings of a {@link ClusterAdapter}. Start from {@link #defaults()} and change with the
 * {@code with…} methods.
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>requestsTimeout</td><td>5 s</td><td>how long fetchSockets / serverSideEmitWithAck wait for other
 *     nodes when the call sets no timeout (socket.io {@code requestsTimeout})</td></tr>
 * <tr><td>heartbeatInterval</td><td>5 s</td><td>how often a node says it is alive; {@code null} turns
 *     heartbeats off (for backends whose bus counts subscribers: they must override
 *     {@link ClusterAdapter#serverCount()})</td></tr>
 * <tr><td>heartbeatTimeout</td><td>10 s</td><td>a node not heard from for this long is considered gone</td></tr>
 * <tr><td>scheduler</td><td>one shared daemon thread</td><td>runs timeouts and heartbeats; tasks are tiny and never block</td></tr>
 * </table>
 */
public record ClusterAdapterOptions(Duration requestsTimeout, Duration heartbeatInterval,
                                    Duration heartbeatTimeout, ScheduledExecutorService scheduler) {

    public ClusterAdapterOptions {
        requireSet("requestsTimeout", requestsTimeout);
        if (heartbeatInterval != null) {
            requireSet("heartbeatInterval", heartbeatInterval);
            requireSet("heartbeatTimeout", heartbeatTimeout);
            if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException("heartbeatTimeout must be longer than heartbeatInterval");
            }
        }
        Objects.requireNonNull(scheduler, "scheduler");
    }

    public static ClusterAdapterOptions defaults() {
        return new ClusterAdapterOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10),
                AdapterTimers.shared());
    }

    public boolean heartbeatsEnabled() {
        return heartbeatInterval != null;
    }

    public ClusterAdapterOptions withRequestsTimeout(Duration value) {
        return new ClusterAdapterOptions(value, heartbeatInterval, heartbeatTimeout, scheduler);
    }

    /** Sets both heartbeat durations; {@code interval == null} disables heartbeats. */
    public ClusterAdapterOptions withHeartbeat(Duration interval, Duration timeout) {
        return new ClusterAdapterOptions(requestsTimeout, interval, timeout, scheduler);
    }

    public ClusterAdapterOptions withScheduler(ScheduledExecutorService value) {
        return new ClusterAdapterOptions(requestsTimeout, heartbeatInterval, heartbeatTimeout, value);
    }

    private static void requireSet(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
