package io.sockeye.server.admin;

import io.sockeye.core.SocketIoServer;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import io.sockeye.server.metrics.MetricsSample;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The numbers the dashboard plots, computed at most once per {@link #MIN_INTERVAL_NANOS} however many
 * dashboards poll (each would otherwise steal the others' latency observations): connections now,
 * messages in/out per second, publish→delivery latency p50/p99 over the last interval, rejected
 * handshakes per second, connection state recoveries attempted per second.
 *
 * <p>Source: the Prometheus metrics' {@link MetricsSample} when the server has them; otherwise the
 * engine's session counts and the rooms service's {@link Stats} (no latency then). Thread-safe.
 */
final class DashboardStats {

    static final long MIN_INTERVAL_NANOS = 900_000_000L;

    /** What the fallback counts as a rejected handshake. */
    private static final RejectionReason[] HANDSHAKE_REASONS = {RejectionReason.HANDSHAKE_UNAUTHORIZED,
            RejectionReason.CONNECTIONS_PER_IP, RejectionReason.CONNECTIONS_PER_USER,
            RejectionReason.HANDSHAKE_RATE_GLOBAL, RejectionReason.HANDSHAKE_RATE_IP};

    private final SocketIoServer io;
    private final Supplier<MetricsSample> samples;
    private final Stats stats;
    private final Supplier<String> serverId;

    private Point previous;
    private Map<String, Object> latest;

    /** One reading of the cumulative values. */
    private record Point(long nanoTime, long connections, long in, long out, long rejected, long recoveries,
                         MetricsSample sample) {
    }

    DashboardStats(SocketIoServer io, Supplier<MetricsSample> samples, Stats stats, Supplier<String> serverId) {
        this.io = io;
        this.samples = samples;
        this.stats = stats;
        this.serverId = serverId;
    }

    synchronized Map<String, Object> current() {
        long now = System.nanoTime();
        if (latest != null && now - previous.nanoTime() < MIN_INTERVAL_NANOS) {
            return latest;
        }
        Point point = read(now);
        Point before = previous == null ? point : previous;
        double seconds = Math.max(1e-3, (point.nanoTime() - before.nanoTime()) / 1e9);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", System.currentTimeMillis());
        out.put("node", serverId.get());
        out.put("connections", point.connections());
        out.put("messagesInPerSecond", rate(point.in() - before.in(), seconds, point == before));
        out.put("messagesOutPerSecond", rate(point.out() - before.out(), seconds, point == before));
        out.put("rejectedHandshakesPerSecond", rate(point.rejected() - before.rejected(), seconds, point == before));
        out.put("rejectedHandshakesTotal", point.rejected());
        out.put("recoveriesPerSecond", rate(point.recoveries() - before.recoveries(), seconds, point == before));
        Double p50 = null;
        Double p99 = null;
        if (point.sample() != null && before.sample() != null && point != before) {
            MetricsSample.LatencyHistogram recent = point.sample().delivery().since(before.sample().delivery());
            p50 = millis(recent.quantile(0.5));
            p99 = millis(recent.quantile(0.99));
        }
        out.put("latencyP50Millis", p50);
        out.put("latencyP99Millis", p99);
        out.put("latencyAvailable", samples != null);
        Map<String, Object> namespaces = new LinkedHashMap<>();
        namespaces.put("/", io.sockets().sockets().size());
        out.put("sockets", namespaces);
        previous = point;
        latest = out;
        return out;
    }

    private Point read(long now) {
        if (samples != null) {
            MetricsSample s = samples.get();
            return new Point(now, s.connections(), s.eventsReceived(), s.eventsSent(), s.handshakesRejected(),
                    s.recoveriesAttempted(), s);
        }
        long in = stats == null ? 0 : stats.messagesIn();
        long out = stats == null ? 0 : stats.messagesOut();
        long rejected = 0;
        if (stats != null) {
            for (RejectionReason r : HANDSHAKE_REASONS) {
                rejected += stats.rejections(r);
            }
        }
        return new Point(now, io.engine().clientsCount(), in, out, rejected, 0, null); // recoveries: metrics only
    }

    private static double rate(long delta, double seconds, boolean first) {
        return first ? 0 : Math.round(Math.max(0, delta) / seconds * 10) / 10.0;
    }

    private static Double millis(double seconds) {
        return Double.isNaN(seconds) ? null : Math.round(seconds * 1e6) / 1e3;
    }
}
