package io.sockeye.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.BoundedLabel;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * The {@code sockeye.cluster.*} meters of {@link MicrometerMetrics}: what {@code ClusterAdapter} counts
 * per message type, and what the bus itself reports once {@link #watch watched}. The bus gauges read
 * {@code NaN} until a bus reports: a single node has no bus state to show.
 */
final class ClusterMeters {

    private final MeterRegistry registry;
    private final Tags common;
    private final BoundedLabel labels;
    private final TaggedCounters published;
    private final TaggedCounters publishFailures;
    private final TaggedCounters received;
    private final TaggedCounters requestTimeouts;
    private final Timer busLatency;
    private volatile Boolean busUp; // null until a backend reports
    private volatile ClusterBusStatus bus; // null on a single node
    private volatile int nodes = -1;
    private ScheduledExecutorService nodesTimer;

    ClusterMeters(MeterRegistry registry, Tags common, BoundedLabel labels, BiFunction<String, String, Timer> latency) {
        this.registry = registry;
        this.common = common;
        this.labels = labels;
        published = tagged("sockeye.cluster.published", "Cluster messages published to the bus", "type");
        publishFailures = tagged("sockeye.cluster.publish.failures", "Cluster messages the bus refused", "type");
        received = tagged("sockeye.cluster.received", "Cluster messages received from other nodes", "type");
        requestTimeouts = tagged("sockeye.cluster.request.timeouts", "Cluster requests that timed out waiting for other nodes", "request");
        busLatency = latency.apply("sockeye.cluster.bus.latency", "Time the bus took to accept a publish");
        Gauge.builder("sockeye.cluster.bus.up", this, ClusterMeters::up).tags(common)
                .description("1 while the cluster bus is connected, 0 while it is not (NaN on a single node)").register(registry);
        busCounter("sockeye.cluster.receive.errors", "Messages from the bus dropped unread", ClusterBusStats::receiveErrors);
        busCounter("sockeye.cluster.bus.reconnects", "Times the connection to the bus came back after a loss", ClusterBusStats::reconnects);
        Gauge.builder("sockeye.cluster.room.subscriptions", this, m -> m.stat(ClusterBusStats::roomSubscriptions)).tags(common)
                .description("Room channels or subjects this node subscribes to on the bus").register(registry);
    }

    /** From now on the bus meters report {@code status}, read when collected. */
    void watch(ClusterBusStatus status) {
        this.bus = status;
    }

    /**
     * Also reports {@code sockeye.cluster.nodes}. Asking the adapter may take a bus round trip, which
     * reading a gauge must not wait for, so a daemon thread asks every two seconds and the gauge shows
     * the last answer (NaN while the adapter cannot say).
     */
    synchronized void watchNodes(Supplier<CompletableFuture<Integer>> serverCount) {
        if (nodesTimer != null) {
            throw new IllegalStateException("cluster nodes already watched");
        }
        Gauge.builder("sockeye.cluster.nodes", this, m -> m.nodes > 0 ? m.nodes : Double.NaN).tags(common)
                .description("Servers in the cluster as this node's adapter counts them, itself included").register(registry);
        nodesTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockeye-cluster-nodes");
            t.setDaemon(true);
            return t;
        });
        nodesTimer.scheduleWithFixedDelay(() -> {
            try {
                nodes = serverCount.get().get(2, TimeUnit.SECONDS);
            } catch (Exception e) { // the bus is down or slow: no number rather than a stale one
                nodes = -1;
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }, 0, 2, TimeUnit.SECONDS);
    }

    synchronized void close() {
        if (nodesTimer != null) {
            nodesTimer.shutdownNow();
        }
    }

    void published(String type) {
        published.get(label(type)).increment();
    }

    void publishFailed(String type) {
        publishFailures.get(label(type)).increment();
    }

    void received(String type) {
        received.get(label(type)).increment();
    }

    void requestTimedOut(String request) {
        requestTimeouts.get(label(request)).increment();
    }

    void busLatency(long elapsedNanos) {
        busLatency.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    void busStatus(boolean up) {
        busUp = up;
    }

    private double up() {
        ClusterBusStatus watched = bus;
        Boolean up = watched != null ? Boolean.valueOf(watched.isConnected()) : busUp;
        return up == null ? Double.NaN : up ? 1 : 0;
    }

    private double stat(ToLongFunction<ClusterBusStats> value) {
        ClusterBusStatus watched = bus;
        return watched == null ? Double.NaN : value.applyAsLong(watched.stats());
    }

    private void busCounter(String name, String description, ToLongFunction<ClusterBusStats> value) {
        FunctionCounter.builder(name, this, m -> {
            double v = m.stat(value);
            return Double.isNaN(v) ? 0 : v;
        }).tags(common).description(description).register(registry);
    }

    private TaggedCounters tagged(String name, String description, String tag) {
        return new TaggedCounters(value -> io.micrometer.core.instrument.Counter.builder(name)
                .description(description).tags(common.and(tag, value)).register(registry));
    }

    // Message types and request names arrive as enum names (BROADCAST); tags are snake_case.
    private String label(String type) {
        return labels.of(type == null ? null : type.toLowerCase(Locale.ROOT));
    }
}
