package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.sockeye.protocol.socket.SocketPacketType;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The current values a live dashboard plots, read from {@link PrometheusMetrics} without a scrape:
 * cumulative counters (take {@link #rate} between two samples) and latency histograms (take
 * {@link LatencyHistogram#since} between two samples, then a quantile). Sampling once a second costs
 * a few microseconds.
 *
 * @param nanoTime             {@link System#nanoTime()} when read
 * @param connections          open Engine.IO sessions
 * @param pollingConnections   of which on long-polling
 * @param socketsByNamespace   connected sockets by namespace
 * @param eventsReceived       EVENT and BINARY_EVENT packets received since start
 * @param eventsSent           EVENT and BINARY_EVENT packets sent since start (each broadcast recipient counts)
 * @param broadcasts           broadcasts started on this node since start
 * @param handshakesRejected   handshakes and CONNECTs refused since start, the server's limits and auth included
 * @param publishes            rooms-service publishes accepted since start (0 without {@link PrometheusMetrics#exportStats})
 * @param delivery             broadcast start → last local write
 * @param ackRoundTrip         ack request → ack received
 */
public record MetricsSample(long nanoTime, long connections, long pollingConnections,
                            Map<String, Long> socketsByNamespace, long eventsReceived, long eventsSent,
                            long broadcasts, long handshakesRejected, long publishes,
                            LatencyHistogram delivery, LatencyHistogram ackRoundTrip, long recoveriesAttempted) {

    /** Server refusals that happen at connection time, counted into {@link #handshakesRejected}. */
    private static final RejectionReason[] HANDSHAKE_REASONS = {RejectionReason.HANDSHAKE_UNAUTHORIZED,
            RejectionReason.CONNECTIONS_PER_IP, RejectionReason.CONNECTIONS_PER_USER,
            RejectionReason.HANDSHAKE_RATE_GLOBAL, RejectionReason.HANDSHAKE_RATE_IP};

    static MetricsSample read(PrometheusMetrics m) {
        long polling = m.sessions(0);
        long ws = m.sessions(1);
        Stats stats = m.stats();
        long rejected = m.handshakesRejectedTotal();
        long publishes = 0;
        if (stats != null) {
            publishes = stats.messagesIn();
            for (RejectionReason r : HANDSHAKE_REASONS) {
                rejected += stats.rejections(r);
            }
        }
        return new MetricsSample(System.nanoTime(), polling + ws, polling, Map.copyOf(m.socketsByNamespace()),
                m.packetsReceived(SocketPacketType.EVENT) + m.packetsReceived(SocketPacketType.BINARY_EVENT),
                m.packetsSent(SocketPacketType.EVENT) + m.packetsSent(SocketPacketType.BINARY_EVENT),
                m.broadcastsTotal(), rejected, publishes,
                LatencyHistogram.of(m.deliveryHistogram()), LatencyHistogram.of(m.ackHistogram()),
                m.recoveriesAttempted());
    }

    /** Per-second rate of a cumulative counter between {@code earlier} and this sample. */
    public double rate(MetricsSample earlier, ToLongFunction<MetricsSample> counter) {
        double seconds = (nanoTime - earlier.nanoTime) / 1e9;
        return seconds <= 0 ? 0 : Math.max(0, counter.applyAsLong(this) - counter.applyAsLong(earlier)) / seconds;
    }

    /**
     * A classic histogram's buckets.
     *
     * @param upperBounds bucket upper bounds in seconds, the last {@code +Inf}
     * @param counts      observations in each bucket (not cumulative)
     */
    public record LatencyHistogram(double[] upperBounds, long[] counts) {

        static LatencyHistogram of(Histogram histogram) {
            HistogramSnapshot snapshot = histogram.collect();
            if (snapshot.getDataPoints().isEmpty()) {
                return new LatencyHistogram(new double[]{Double.POSITIVE_INFINITY}, new long[1]);
            }
            ClassicHistogramBuckets buckets = snapshot.getDataPoints().get(0).getClassicBuckets();
            double[] bounds = new double[buckets.size()];
            long[] counts = new long[buckets.size()];
            for (int i = 0; i < bounds.length; i++) {
                bounds[i] = buckets.getUpperBound(i);
                counts[i] = buckets.getCount(i);
            }
            return new LatencyHistogram(bounds, counts);
        }

        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** What was observed after {@code earlier} (a sample of the same histogram). */
        public LatencyHistogram since(LatencyHistogram earlier) {
            long[] diff = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                diff[i] = Math.max(0, counts[i] - (i < earlier.counts.length ? earlier.counts[i] : 0));
            }
            return new LatencyHistogram(upperBounds, diff);
        }

        /**
         * The {@code q} quantile (0..1) in seconds, interpolated linearly inside its bucket as PromQL's
         * {@code histogram_quantile} does; {@code NaN} when nothing was observed. A quantile in the
         * {@code +Inf} bucket returns the last finite bound.
         */
        public double quantile(double q) {
            long total = count();
            if (total == 0) {
                return Double.NaN;
            }
            double rank = q * total;
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                if (seen + counts[i] >= rank && counts[i] > 0) {
                    double upper = upperBounds[i];
                    double lower = i == 0 ? 0 : upperBounds[i - 1];
                    if (Double.isInfinite(upper)) {
                        return lower;
                    }
                    return lower + (upper - lower) * (rank - seen) / counts[i];
                }
                seen += counts[i];
            }
            return upperBounds.length > 1 ? upperBounds[upperBounds.length - 2] : Double.NaN;
        }
    }
}
