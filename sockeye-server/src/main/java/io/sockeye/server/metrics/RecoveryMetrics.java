package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.core.metrics.BoundedLabel;
import io.sockeye.server.limits.Stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection state recovery and room history: recoveries attempted, succeeded and failed by reason,
 * messages replayed, ghosts taken over, the node-local history's entries, bytes and evictions, and the
 * standalone server's {@code subscribe {since}} catch-ups. Counters are cheap enough for the hooks;
 * history gauges are kept from the append/evict hooks.
 */
final class RecoveryMetrics {

    private final BoundedLabel namespaces;
    private final BoundedLabel reasons;
    private final Counter attempted;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter replayed;
    private final Counter tookOver;
    private final Counter evicted;
    private final LongAdder attemptedTotal = new LongAdder(); // for the dashboard's rate, read without a scrape
    private final Map<String, AtomicLong[]> history = new ConcurrentHashMap<>(); // entries, bytes by namespace

    RecoveryMetrics(PrometheusRegistry registry, BoundedLabel namespaces, BoundedLabel reasons) {
        this.namespaces = namespaces;
        this.reasons = reasons;
        attempted = counter(registry, "sockeye_recoveries_attempted",
                "Reconnections that presented a session to recover (connection state recovery), by namespace", "namespace");
        succeeded = counter(registry, "sockeye_recoveries_succeeded", "Sessions recovered, by namespace", "namespace");
        failed = counter(registry, "sockeye_recoveries_failed",
                "Recoveries that gave a fresh socket instead, by namespace and reason", "namespace", "reason");
        replayed = counter(registry, "sockeye_recovery_replayed_messages",
                "Missed messages replayed to recovered sockets, by namespace", "namespace");
        tookOver = counter(registry, "sockeye_recovery_takeovers",
                "Half-open connections closed because their session was recovered elsewhere, by namespace", "namespace");
        evicted = counter(registry, "sockeye_history_evictions",
                "History entries evicted, by namespace and reason (size, age, memory, closed)", "namespace", "reason");
        GaugeWithCallback.builder().name("sockeye_history_entries")
                .help("Messages kept for replay in this node's history, by namespace").labelNames("namespace")
                .callback(cb -> history.forEach((nsp, v) -> cb.call(v[0].get(), nsp))).register(registry);
        GaugeWithCallback.builder().name("sockeye_history_bytes")
                .help("Estimated memory of this node's history, by namespace").labelNames("namespace")
                .callback(cb -> history.forEach((nsp, v) -> cb.call(v[1].get(), nsp))).register(registry);
    }

    private static Counter counter(PrometheusRegistry registry, String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    /** The standalone server's catch-ups ({@code subscribe {since}}), read when scraped. */
    static void registerCatchUps(PrometheusRegistry registry, Stats stats) {
        CounterWithCallback.builder().name("sockeye_catch_ups")
                .help("subscribe {since} requests, by whether the history covered them (recovered)")
                .labelNames("recovered")
                .callback(cb -> {
                    cb.call(stats.catchUps(true), "true");
                    cb.call(stats.catchUps(false), "false");
                }).register(registry);
        CounterWithCallback.builder().name("sockeye_catch_up_replayed_messages")
                .help("Messages replayed to subscribe {since} requests")
                .callback(cb -> cb.call(stats.catchUpReplayed())).register(registry);
    }

    long attemptedTotal() {
        return attemptedTotal.sum();
    }

    void attempted(String namespace) {
        attempted.labelValues(namespaces.of(namespace)).inc();
        attemptedTotal.increment();
    }

    void succeeded(String namespace, int messages) {
        String nsp = namespaces.of(namespace);
        succeeded.labelValues(nsp).inc();
        replayed.labelValues(nsp).inc(messages);
    }

    void failed(String namespace, String reason) {
        failed.labelValues(namespaces.of(namespace), reasons.of(reason)).inc();
    }

    void tookOver(String namespace) {
        tookOver.labelValues(namespaces.of(namespace)).inc();
    }

    void appended(String namespace, long bytes) {
        AtomicLong[] v = history.computeIfAbsent(namespaces.of(namespace), k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        v[0].incrementAndGet();
        v[1].addAndGet(bytes);
    }

    void evicted(String namespace, long bytes, String reason) {
        String nsp = namespaces.of(namespace);
        evicted.labelValues(nsp, reasons.of(reason)).inc();
        AtomicLong[] v = history.computeIfAbsent(nsp, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        v[0].decrementAndGet();
        v[1].addAndGet(-bytes);
    }
}
