package io.sockeye.core.recovery;

import io.sockeye.core.metrics.SockeyeMetrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the Socket.IO layer tells an adapter when it asks for recovery support
 * ({@link io.sockeye.core.adapter.Adapter#recovery}).
 *
 * @param namespace the namespace name
 * @param options   the server's recovery settings
 * @param budget    the node's history memory budget, shared by every namespace of the server
 * @param metrics   where stores report history entries and evictions
 * @param heartbeat the longest a dead connection can look alive ({@code pingInterval + pingTimeout}):
 *                  how much longer than the window a node-local store keeps prune watermarks
 * @param scheduler a shared timer thread for a store's periodic work (sweeping, refreshing): tasks must
 *                  be short and never block
 */
public record RecoveryContext(String namespace, ConnectionStateRecovery options, HistoryBudget budget,
                              SockeyeMetrics metrics, Duration heartbeat, ScheduledExecutorService scheduler) {

    public RecoveryContext {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
