package io.sockeye.bench.peer;

import io.sockeye.core.metrics.SockeyeMetrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer's connection state recovery outcomes (what {@code sockeye_recoveries_failed_total{reason}} counts
 * in the standalone server), for the recovery storm's report: a client answered {@code recovered: false}
 * cannot tell why, the server's reason can.
 */
final class RecoveryCounts implements SockeyeMetrics {

    private final LongAdder attempted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder tookOver = new LongAdder();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();

    @Override
    public void recoveryAttempted(String namespace) {
        attempted.increment();
    }

    @Override
    public void recoverySucceeded(String namespace, int replayed) {
        succeeded.increment();
    }

    @Override
    public void recoveryFailed(String namespace, String reason) {
        failed.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public void recoveryTookOver(String namespace) {
        tookOver.increment();
    }

    /** {@code RECOVERY attempted=N succeeded=N tookOver=N failed=reason:N,reason:N} ({@code failed=} when none). */
    String line() {
        Map<String, Long> byReason = new TreeMap<>();
        failed.forEach((reason, n) -> byReason.put(reason, n.sum()));
        StringBuilder reasons = new StringBuilder();
        byReason.forEach((reason, n) -> reasons.append(reasons.isEmpty() ? "" : ",").append(reason).append(':').append(n));
        return "RECOVERY attempted=" + attempted.sum() + " succeeded=" + succeeded.sum() + " tookOver=" + tookOver.sum()
                + " failed=" + reasons;
    }
}
