package io.sockeye.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sockeye.core.metrics.BoundedLabel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection state recovery and history meters of {@link MicrometerMetrics}: recoveries attempted,
 * succeeded and failed by reason, messages replayed, ghosts taken over, and the node-local history's
 * entries, bytes and evictions. Meters are created once per namespace (and reason) and cached.
 */
final class RecoveryMeters {

    /** Per namespace: its counters, and the history's entries and bytes kept from the append/evict hooks. */
    private record Namespace(Counter attempted, Counter succeeded, Counter replayed, Counter tookOver,
                             TaggedCounters failed, TaggedCounters evicted, AtomicLong entries, AtomicLong bytes) {
    }

    private final MeterRegistry registry;
    private final Tags common;
    private final BoundedLabel namespaces;
    private final BoundedLabel reasons;
    private final Map<String, Namespace> byNamespace = new ConcurrentHashMap<>();

    RecoveryMeters(MeterRegistry registry, Tags common, BoundedLabel namespaces, BoundedLabel reasons) {
        this.registry = registry;
        this.common = common;
        this.namespaces = namespaces;
        this.reasons = reasons;
    }

    void attempted(String namespace) {
        of(namespace).attempted().increment();
    }

    void succeeded(String namespace, int replayed) {
        Namespace n = of(namespace);
        n.succeeded().increment();
        n.replayed().increment(replayed);
    }

    void failed(String namespace, String reason) {
        of(namespace).failed().get(reasons.of(reason)).increment();
    }

    void tookOver(String namespace) {
        of(namespace).tookOver().increment();
    }

    void appended(String namespace, long bytes) {
        Namespace n = of(namespace);
        n.entries().incrementAndGet();
        n.bytes().addAndGet(bytes);
    }

    void evicted(String namespace, long bytes, String reason) {
        Namespace n = of(namespace);
        n.evicted().get(reasons.of(reason)).increment();
        n.entries().decrementAndGet();
        n.bytes().addAndGet(-bytes);
    }

    private Namespace of(String namespace) {
        String nsp = namespaces.of(namespace);
        Namespace n = byNamespace.get(nsp);
        return n != null ? n : byNamespace.computeIfAbsent(nsp, this::register);
    }

    private Namespace register(String nsp) {
        Tags tags = common.and("namespace", nsp);
        AtomicLong entries = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Gauge.builder("sockeye.history.entries", entries, AtomicLong::get).tags(tags)
                .description("Messages kept for replay in this node's history, by namespace").register(registry);
        Gauge.builder("sockeye.history", bytes, AtomicLong::get).tags(tags).baseUnit("bytes")
                .description("Estimated memory of this node's history, by namespace").register(registry);
        return new Namespace(
                counter("sockeye.recoveries.attempted",
                        "Reconnections that presented a session to recover (connection state recovery), by namespace", tags),
                counter("sockeye.recoveries.succeeded", "Sessions recovered, by namespace", tags),
                counter("sockeye.recovery.replayed.messages", "Missed messages replayed to recovered sockets, by namespace", tags),
                counter("sockeye.recovery.takeovers",
                        "Half-open connections closed because their session was recovered elsewhere, by namespace", tags),
                new TaggedCounters(reason -> counter("sockeye.recoveries.failed",
                        "Recoveries that gave a fresh socket instead, by namespace and reason", tags.and("reason", reason))),
                new TaggedCounters(reason -> counter("sockeye.history.evictions",
                        "History entries evicted, by namespace and reason (size, age, memory, closed)", tags.and("reason", reason))),
                entries, bytes);
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
