package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.netty.ConnectionStats;
import io.sockeye.netty.ConnectionStats.Deadline;
import io.sockeye.netty.ConnectionStats.Refusal;
import io.sockeye.netty.ConnectionStats.Reset;

import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The front's TCP connections ({@link ConnectionStats}), read when scraped: how many are open against
 * the cap, which were refused at accept or cut by a deadline or a reset, and whether direct memory runs
 * short (slow consumers are then cut off first).
 */
final class ConnectionMetrics {

    private ConnectionMetrics() {
    }

    static void register(PrometheusRegistry registry, ConnectionStats stats) {
        GaugeWithCallback.builder()
                .name("sockeye_tcp_connections")
                .help("TCP connections accepted on the main port and not closed yet")
                .callback(cb -> cb.call(stats.open()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_tcp_connections_max")
                .help("The cap on open TCP connections (connections.max), past which only health checks are served")
                .callback(cb -> {
                    if (stats.maxConnections() != Long.MAX_VALUE) {
                        cb.call(stats.maxConnections());
                    }
                })
                .register(registry);
        byLabel(registry, "sockeye_tcp_connections_refused", "TCP connections refused, by reason: per_address and"
                + " max_connections at accept, not_a_health_check from the health-check reserve", "reason",
                Refusal.values(), Refusal::label, stats::refused);
        byLabel(registry, "sockeye_connection_timeouts", "Connections closed by a deadline while speaking HTTP:"
                + " idle, request_head, request_body", "deadline", Deadline.values(), Deadline::label, stats::timedOut);
        byLabel(registry, "sockeye_tcp_resets", "Connections cut off with a TCP reset: slow_consumer (data still"
                + " queued), close_timeout", "reason", Reset.values(), Reset::label, stats::reset);
        CounterWithCallback.builder()
                .name("sockeye_websocket_messages_compressed")
                .help("WebSocket messages compressed with permessage-deflate (per_message_deflate): a broadcast"
                        + " counts once per event loop, whatever its number of recipients")
                .callback(cb -> cb.call(stats.messagesCompressed()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_direct_memory_pressure")
                .help("1 while direct memory is past three quarters of its limit (connections over their write"
                        + " high-water mark are then closed as slow consumers), else 0")
                .callback(cb -> cb.call(stats.directMemoryPressure() ? 1 : 0))
                .register(registry);
    }

    /** A counter with one series per value of an enum, labelled {@code label(value)}, read when scraped. */
    private static <E> void byLabel(PrometheusRegistry registry, String name, String help, String labelName,
                                    E[] values, Function<E, String> label, ToLongFunction<E> count) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames(labelName)
                .callback(cb -> {
                    for (E value : values) {
                        cb.call(count.applyAsLong(value), label.apply(value));
                    }
                })
                .register(registry);
    }
}
