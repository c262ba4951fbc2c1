package io.sockeye.server.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.prometheus.metrics.core.metrics.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Measures how late each event loop runs a task scheduled for a known time: a loop busy with long
 * handlers, big broadcasts or GC pauses runs it late, and every connection on that loop waits as long.
 * One small task per loop, rescheduled after each run; loops are watched from the first time a
 * session is seen on them. The delay is observed into a histogram in seconds.
 */
final class EventLoopDelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoopDelay.class);

    private final Histogram histogram;
    private final long intervalNanos;
    private final Map<EventExecutor, Probe> probes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    EventLoopDelay(Histogram histogram, Duration interval) {
        this.histogram = histogram;
        this.intervalNanos = interval.toNanos();
    }

    /** Starts probing {@code loop} unless it already is. Cheap when it is: one map lookup. */
    void watch(EventExecutor loop) {
        if (closed || probes.containsKey(loop)) {
            return;
        }
        Probe probe = new Probe(loop);
        if (probes.putIfAbsent(loop, probe) == null) {
            probe.schedule();
        }
    }

    /** Number of loops watched (tests). */
    int watched() {
        return probes.size();
    }

    @Override
    public void close() {
        closed = true;
        probes.values().forEach(Probe::cancel);
        probes.clear();
    }

    private final class Probe implements Runnable {
        private final EventExecutor loop;
        private volatile Future<?> next;
        private long due;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        void schedule() {
            if (closed || loop.isShuttingDown()) {
                probes.remove(loop, this);
                return;
            }
            due = System.nanoTime() + intervalNanos;
            try {
                next = loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                // A loop that is shutting down, or an executor that cannot schedule: stop watching it.
                log.debug("cannot probe event loop {}: {}", loop, e.toString());
                probes.remove(loop, this);
            }
        }

        @Override
        public void run() {
            long late = System.nanoTime() - due;
            histogram.observe(Math.max(0, late) / 1e9);
            schedule();
        }

        void cancel() {
            Future<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
