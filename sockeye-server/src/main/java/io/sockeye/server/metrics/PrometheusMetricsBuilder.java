package io.sockeye.server.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/** Options of {@link PrometheusMetrics}; every one has a default. */
public final class PrometheusMetricsBuilder {
    PrometheusRegistry registry = new PrometheusRegistry();
    Set<String> eventAllowlist;
    int maxEventNames = 32;
    int maxNamespaces = 64;
    int maxReasons = 128;
    boolean jvm = true;
    boolean nettyMemory = true;
    Duration eventLoopProbeInterval = Duration.ofMillis(100);
    Readiness readiness;
    String version;

    PrometheusMetricsBuilder() {
    }

    /** Registry to register in; default a new one (not the global default registry). */
    public PrometheusMetricsBuilder registry(PrometheusRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * The event names counted by name in {@code sockeye_events_received_total}; others count as
     * {@code other}. Default: no list, the first {@link #maxEventNames} distinct names seen.
     */
    public PrometheusMetricsBuilder eventAllowlist(Set<String> names) {
        this.eventAllowlist = Set.copyOf(names);
        return this;
    }

    /** Without an allowlist, how many distinct event names get their own series (default 32). */
    public PrometheusMetricsBuilder maxEventNames(int max) {
        this.maxEventNames = max;
        return this;
    }

    /** How many namespaces get their own series (default 64); more count as {@code other}. */
    public PrometheusMetricsBuilder maxNamespaces(int max) {
        this.maxNamespaces = max;
        return this;
    }

    /** How many distinct reasons or message types the reason-like labels keep together (default 128). */
    public PrometheusMetricsBuilder maxReasons(int max) {
        this.maxReasons = max;
        return this;
    }

    /** JVM memory, GC, threads, classes... ({@code jvm_*}); default on. */
    public PrometheusMetricsBuilder jvmMetrics(boolean on) {
        this.jvm = on;
        return this;
    }

    /** Netty allocator and direct memory gauges; default on. */
    public PrometheusMetricsBuilder nettyMemoryMetrics(boolean on) {
        this.nettyMemory = on;
        return this;
    }

    /** How often each event loop is probed for scheduling delay (default 100 ms). */
    public PrometheusMetricsBuilder eventLoopProbeInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("eventLoopProbeInterval must be positive");
        }
        this.eventLoopProbeInterval = interval;
        return this;
    }

    /** Readiness to export as {@code sockeye_ready} and to flip when the cluster bus goes up or down. */
    public PrometheusMetricsBuilder readiness(Readiness readiness) {
        this.readiness = readiness;
        return this;
    }

    /** Exports {@code sockeye_info{version="..."} 1}. */
    public PrometheusMetricsBuilder version(String version) {
        this.version = version;
        return this;
    }

    public PrometheusMetrics build() {
        return new PrometheusMetrics(this);
    }
}
