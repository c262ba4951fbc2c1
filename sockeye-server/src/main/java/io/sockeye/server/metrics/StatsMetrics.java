package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;

/**
 * The standalone server's own counters ({@link Stats}: rooms service and HTTP API), read when
 * scraped: every rejection by {@link RejectionReason#key()}, publishes and what they delivered.
 */
final class StatsMetrics {

    private StatsMetrics() {
    }

    static void register(PrometheusRegistry registry, Stats stats) {
        CounterWithCallback.builder()
                .name("sockeye_rejections")
                .help("Requests and connections the server refused, by reason (rate and size limits, permissions, auth)")
                .labelNames("reason")
                .callback(cb -> {
                    for (RejectionReason reason : RejectionReason.values()) {
                        cb.call(stats.rejections(reason), reason.key());
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("sockeye_publishes")
                .help("Publishes accepted on this node (clients and HTTP API)")
                .callback(cb -> cb.call(stats.messagesIn()))
                .register(registry);
        CounterWithCallback.builder()
                .name("sockeye_publish_deliveries")
                .help("Events those publishes delivered to this node's connections")
                .callback(cb -> cb.call(stats.messagesOut()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_rooms_service_connections")
                .help("Connections of the rooms service (namespace /) open now")
                .callback(cb -> cb.call(stats.connections()))
                .register(registry);
    }
}
