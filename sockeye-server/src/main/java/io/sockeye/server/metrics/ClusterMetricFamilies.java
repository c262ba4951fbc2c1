package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Locale;
import java.util.function.BiFunction;

/** The cluster adapter's metric families ({@code sockeye_cluster_*}), part of {@link PrometheusMetrics}. */
final class ClusterMetricFamilies {

    /** Registers a counter: name, help, label names. */
    interface CounterFactory {
        Counter create(String name, String help, String... labels);
    }

    private final Counter published;
    private final Counter publishFailures;
    private final Counter received;
    private final Counter requestTimeouts;
    private final Histogram busLatency;
    private final BoundedLabel labels;
    private final Readiness readiness;
    private volatile Boolean busUp; // null until a backend reports

    ClusterMetricFamilies(CounterFactory counter, BiFunction<String, String, Histogram> latencyHistogram,
                          PrometheusRegistry registry, BoundedLabel labels, Readiness readiness) {
        this.labels = labels;
        this.readiness = readiness;
        published = counter.create("sockeye_cluster_published", "Cluster messages published to the bus, by type", "type");
        publishFailures = counter.create("sockeye_cluster_publish_failures", "Cluster messages the bus refused, by type", "type");
        received = counter.create("sockeye_cluster_received", "Cluster messages received from other nodes, by type", "type");
        requestTimeouts = counter.create("sockeye_cluster_request_timeouts",
                "Cluster requests that timed out waiting for other nodes, by request", "request");
        busLatency = latencyHistogram.apply("sockeye_cluster_bus_latency_seconds", "Time the bus took to accept a publish");
        GaugeWithCallback.builder().name("sockeye_cluster_bus_up")
                .help("1 while the cluster bus is connected, 0 while it is not (absent on a single node)")
                .callback(cb -> {
                    Boolean up = busUp;
                    if (up != null) {
                        cb.call(up ? 1 : 0);
                    }
                }).register(registry);
    }

    void published(String type) {
        published.labelValues(label(type)).inc();
    }

    void publishFailed(String type) {
        publishFailures.labelValues(label(type)).inc();
    }

    void received(String type) {
        received.labelValues(label(type)).inc();
    }

    void requestTimedOut(String request) {
        requestTimeouts.labelValues(label(request)).inc();
    }

    void busLatency(long elapsedNanos) {
        busLatency.observe(elapsedNanos / 1e9);
    }

    void busStatus(boolean up, String detail) {
        busUp = up;
        if (readiness != null) {
            readiness.setClusterBus(up, detail);
        }
    }

    // Message types and request names arrive as enum names (BROADCAST); labels are snake_case.
    private String label(String type) {
        return labels.of(type == null ? null : type.toLowerCase(Locale.ROOT));
    }
}
