package io.sockeye.bench.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The soak's criteria, defined once. While the clients churn, nothing may grow once warm: each judged
 * series is fitted by {@link SlopeFit} with its own tolerance. After the clients leave, the server must
 * come back to the baseline read after the warm-up round: file descriptors, Java threads, the timer
 * wheel, sessions and held sockets. And: every sample taken, no ERROR or leak report in a server's log,
 * and well-behaved clients' errors under {@value #MAX_CLIENT_ERROR_RATE} of their sessions.
 */
final class SoakJudge {

    /** Well-behaved clients' errors allowed, as a fraction of their sessions (a busy machine may time a request out). */
    static final double MAX_CLIENT_ERROR_RATE = 0.01;
    /** File descriptors a server may hold above its baseline after the clients left (a lazily opened file). */
    static final long FDS_SLACK = 2;
    /** Java threads above the baseline after the clients left (a pool that grew and has not yet shrunk). */
    static final long THREADS_SLACK = 1;

    private static final long MIB = 1 << 20;

    /**
     * A judged series: where it is in a sample, and its tolerance over the fitted window,
     * {@code max(floor, relative × mean)}. Why these: a heap after GC varies with what the connections of
     * the moment hold, a few MiB at the soak's size; pooled direct memory moves in chunks of MiBs; file
     * descriptors, threads and timeouts are counts where a leak adds one per leaked connection (hundreds
     * over a run), while a lazily opened file or a pool's extra thread adds a few.
     */
    enum Series {
        HEAP("heapAfterGcBytes", "heap after GC", "bytes", 0.05, 4 * MIB, Results.SoakSample::heapAfterGcBytes),
        NETTY_DIRECT("nettyDirectBytes", "Netty direct memory", "bytes", 0.10, 8 * MIB, Results.SoakSample::nettyDirectBytes),
        JVM_DIRECT("jvmDirectBytes", "JVM direct buffers", "bytes", 0.10, 8 * MIB, Results.SoakSample::jvmDirectBytes),
        FDS("fds", "open file descriptors", "count", 0, 8, Results.SoakSample::fds),
        THREADS("javaThreads", "Java threads", "count", 0, 2, Results.SoakSample::javaThreads),
        TIMER("timerPendingTimeouts", "timer wheel pending timeouts", "count", 0.10, 20, Results.SoakSample::timerPendingTimeouts);

        /** The sample's field (results.json). */
        final String field;
        final String label;
        final String unit;
        final double relative;
        final double floor;
        final ToLongFunction<Results.SoakSample> value;

        Series(String field, String label, String unit, double relative, double floor,
               ToLongFunction<Results.SoakSample> value) {
            this.field = field;
            this.label = label;
            this.unit = unit;
            this.relative = relative;
            this.floor = floor;
            this.value = value;
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private SoakJudge() {
    }

    /** Every judged series of one server, fitted over the churn samples from {@code fitFromS} on. */
    static List<Results.SoakSeries> series(String server, List<Results.SoakSample> samples, double fitFromS, boolean judge) {
        List<Results.SoakSeries> out = new ArrayList<>();
        for (Series s : Series.values()) {
            List<double[]> points = new ArrayList<>();
            for (Results.SoakSample x : samples) {
                long v = s.value.applyAsLong(x);
                if (x.phase().equals("churn") && x.tS() >= fitFromS && x.error() == null && v >= 0) {
                    points.add(new double[]{x.tS(), v});
                }
            }
            SlopeFit.Fit f = SlopeFit.fit(points, s.relative, s.floor);
            if (f == null) {
                out.add(new Results.SoakSeries(server, s.id(), s.unit, judge, points.size(), 0, 0, 0, 0, 0, 0,
                        "too few samples"));
                continue;
            }
            String verdict = !judge ? "not judged" : f.grows() ? "grows" : "flat";
            out.add(new Results.SoakSeries(server, s.id(), s.unit, judge, f.n(), Load.round(f.windowS()),
                    Load.round(f.mean()), Load.round(f.slopePerHour()), Load.round(f.ci95PerHour()),
                    Load.round(f.impliedGrowth()), Load.round(f.tolerance()), verdict));
        }
        return out;
    }

    /** The values compared with the baseline once the clients left. */
    static Map<String, Long> settleValues(Results.SoakSample s) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("fds", s.fds());
        m.put("javaThreads", s.javaThreads());
        m.put("timerPendingTimeouts", s.timerPendingTimeouts());
        m.put("sessions", s.sessions());
        m.put("heldSockets", (long) s.heldSockets().values().stream().mapToInt(Integer::intValue).sum());
        return m;
    }

    /** What is not back to the baseline yet (empty: settled). */
    static List<String> notBack(Results.SoakSample baseline, Results.SoakSample now) {
        List<String> out = new ArrayList<>();
        if (now.error() != null) {
            out.add("sample failed: " + now.error());
            return out;
        }
        if (now.fds() > baseline.fds() + FDS_SLACK) {
            out.add("fds " + now.fds() + " > baseline " + baseline.fds() + " + " + FDS_SLACK);
        }
        if (now.javaThreads() > baseline.javaThreads() + THREADS_SLACK) {
            out.add("Java threads " + now.javaThreads() + " > baseline " + baseline.javaThreads() + " + " + THREADS_SLACK);
        }
        if (now.timerPendingTimeouts() > baseline.timerPendingTimeouts()) {
            out.add("timer wheel " + now.timerPendingTimeouts() + " pending > idle " + baseline.timerPendingTimeouts());
        }
        if (now.sessions() != 0) {
            out.add(now.sessions() + " sessions still open");
        }
        long held = settleValues(now).get("heldSockets");
        if (held != 0) {
            out.add(held + " client sockets still held " + now.heldSockets());
        }
        return out;
    }

    /** A value of a series in its unit: MiB for bytes, else the count. */
    static String amount(double v, String unit) {
        return unit.equals("bytes") ? String.format(java.util.Locale.ROOT, "%.1f MiB", v / MIB)
                : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /** Why a soak run fails (empty when it passes). */
    static List<String> problems(List<Results.SoakServer> servers, List<Results.SoakSeries> series,
                                 List<Results.SoakSettle> settle, long clientErrors, long wellBehavedSessions) {
        List<String> p = new ArrayList<>();
        for (Results.SoakServer s : servers) {
            if (s.samplesTaken() < s.expectedSamples() || s.samplesFailed() > 0) {
                p.add(s.name() + ": " + s.samplesTaken() + " of " + s.expectedSamples() + " samples taken, "
                        + s.samplesFailed() + " failed");
            }
            if (s.log().leaks() > 0) {
                p.add(s.name() + ": " + s.log().leaks() + " Netty leak report(s) in the log");
            }
            if (s.log().errors() > 0) {
                p.add(s.name() + ": " + s.log().errors() + " ERROR line(s) in the log, first: " + s.log().firstErrors().get(0));
            }
        }
        for (Results.SoakSeries s : series) {
            if (s.verdict().equals("grows")) {
                p.add(s.server() + ": " + s.series() + " grows: " + amount(s.slopePerHour(), s.unit()) + " per hour, "
                        + amount(s.impliedGrowth(), s.unit()) + " over the fitted " + Math.round(s.windowS() / 60)
                        + " minutes (tolerance " + amount(s.tolerance(), s.unit()) + ")");
            } else if (s.judged() && s.verdict().equals("too few samples")) {
                p.add(s.server() + ": " + s.series() + ": too few samples to judge");
            }
        }
        for (Results.SoakSettle s : settle) {
            if (!s.notBack().isEmpty()) {
                p.add(s.server() + ": not back to baseline " + s.seconds() + " s after the clients left: "
                        + String.join("; ", s.notBack()));
            }
        }
        if (wellBehavedSessions <= 0) {
            p.add("no well-behaved client session started");
        } else if (clientErrors > MAX_CLIENT_ERROR_RATE * wellBehavedSessions) {
            p.add("well-behaved clients: " + clientErrors + " errors in " + wellBehavedSessions + " sessions (more than "
                    + (int) (MAX_CLIENT_ERROR_RATE * 100) + " %)");
        }
        return p;
    }
}
