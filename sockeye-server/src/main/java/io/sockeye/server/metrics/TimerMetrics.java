package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.core.metrics.ServerGauges;

import java.util.List;

/**
 * The timer wheel's pending timeouts (heartbeats, deadlines), read when scraped: it follows the open
 * sessions, so once they are gone it must return to its idle size; a wheel that keeps growing leaks.
 */
final class TimerMetrics {

    private TimerMetrics() {
    }

    static void register(PrometheusRegistry registry, List<ServerGauges> gauges) {
        GaugeWithCallback.builder().name("sockeye_timer_pending_timeouts")
                .help("Timeouts pending on the timer wheel behind heartbeats and deadlines")
                .callback(cb -> {
                    // Servers of one process share the default wheel and report the same number: count it once.
                    long pending = -1;
                    for (ServerGauges g : gauges) {
                        pending = Math.max(pending, g.timerPendingTimeouts());
                    }
                    if (pending >= 0) {
                        cb.call(pending);
                    }
                }).register(registry);
    }
}
