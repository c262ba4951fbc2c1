package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.BoundedLabel;

import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * The cluster metric families ({@code sockeye_cluster_*}), part of {@link PrometheusMetrics}: what
 * {@code ClusterAdapter} counts per message type, and what the bus itself reports once
 * {@link #watch watched} (its state and the {@link ClusterBusStats} the adapters cannot see). The bus
 * families are absent on a single node.
 */
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
    private volatile ClusterBusStatus bus; // null on a single node

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
                    ClusterBusStatus watched = bus;
                    Boolean up = watched != null ? Boolean.valueOf(watched.isConnected()) : busUp;
                    if (up != null) {
                        cb.call(up ? 1 : 0);
                    }
                }).register(registry);
        busCounter(registry, "sockeye_cluster_receive_errors", "Messages from the cluster bus dropped unread: "
                + "undecodable, or discarded by the bus client because this node did not keep up", ClusterBusStats::receiveErrors);
        busCounter(registry, "sockeye_cluster_bus_reconnects", "Times the connection to the cluster bus came back after a loss",
                ClusterBusStats::reconnects);
        GaugeWithCallback.builder().name("sockeye_cluster_room_subscriptions")
                .help("Room channels or subjects this node subscribes to on the bus (dynamic subscription modes)")
                .callback(cb -> {
                    ClusterBusStatus watched = bus;
                    if (watched != null) {
                        cb.call(watched.stats().roomSubscriptions());
                    }
                }).register(registry);
    }

    private void busCounter(PrometheusRegistry registry, String name, String help, ToLongFunction<ClusterBusStats> value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> {
                    ClusterBusStatus watched = bus;
                    if (watched != null) {
                        cb.call(value.applyAsLong(watched.stats()));
                    }
                }).register(registry);
    }

    /** From now on the bus families report {@code status}, read when scraped. */
    void watch(ClusterBusStatus status) {
        this.bus = status;
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
