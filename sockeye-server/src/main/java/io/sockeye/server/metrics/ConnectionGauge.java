package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Connections open now and the most ever open at once. Updated once per connect and disconnect (not
 * per packet), so two atomics are cheap enough; the peak never misses a value between scrapes.
 */
final class ConnectionGauge {

    private final AtomicLong current = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    void increment() {
        long now = current.incrementAndGet();
        if (now > peak.get()) {
            peak.accumulateAndGet(now, Math::max);
        }
    }

    void decrement() {
        current.decrementAndGet();
    }

    long current() {
        return current.get();
    }

    long peak() {
        return peak.get();
    }

    /** Registers {@code name} (open now) and {@code name_peak} over the gauges {@code source} gives, by {@code label}. */
    static void register(PrometheusRegistry registry, String name, String help, String label,
                         Supplier<Map<String, ConnectionGauge>> source) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(cb -> source.get().forEach((value, g) -> cb.call(g.current(), value)))
                .register(registry);
        GaugeWithCallback.builder().name(name + "_peak").help(help + ": the most open at once since start")
                .labelNames(label)
                .callback(cb -> source.get().forEach((value, g) -> cb.call(g.peak(), value)))
                .register(registry);
    }
}
