package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code sockeye_cluster_nodes}: the servers the cluster adapter counts, this one included. Asking
 * the adapter may take a bus round trip, which a scrape (possibly on an event loop) must not wait for,
 * so a daemon thread asks every {@link #EVERY} and the gauge reports the last answer; absent while the
 * adapter cannot say (bus down: {@code sockeye_cluster_bus_up} says why).
 */
final class ClusterNodesGauge implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(2);

    private final ScheduledExecutorService timer;
    private volatile int nodes = -1;

    ClusterNodesGauge(PrometheusRegistry registry, Supplier<CompletableFuture<Integer>> serverCount) {
        GaugeWithCallback.builder().name("sockeye_cluster_nodes")
                .help("Servers in the cluster as this node's adapter counts them, itself included")
                .callback(cb -> {
                    int n = nodes;
                    if (n > 0) {
                        cb.call(n);
                    }
                }).register(registry);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockeye-cluster-nodes");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> refresh(serverCount), 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh(Supplier<CompletableFuture<Integer>> serverCount) {
        try {
            nodes = serverCount.get().get(EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) { // the bus is down or slow: no number rather than a stale one
            nodes = -1;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
