package io.sockeye.bench.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/** What the scenarios measure, as records serialized to results.json. Times in ms unless named otherwise. */
final class Results {

    private Results() {
    }

    /** Percentiles of an HdrHistogram recorded in microseconds, in milliseconds. */
    record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {
        static Latency of(Histogram us) {
            return new Latency(us.getTotalCount(), ms(us.getValueAtPercentile(50)), ms(us.getValueAtPercentile(90)),
                    ms(us.getValueAtPercentile(99)), ms(us.getValueAtPercentile(99.9)), ms(us.getMaxValue()));
        }

        private static double ms(long us) {
            return Math.round(us / 10.0) / 100.0;
        }
    }

    /** How a batch of connections went: asked for, ready, failed by reason, wall time, time to ready. */
    record Connect(int requested, int ready, int failed, Map<String, Integer> failures, double elapsedMs,
                   double lastReadyMs, Latency timeToReady) {
    }

    /**
     * Idle hold. Per-connection figures are marginal (between N/2 and N connections) except
     * {@code heapPerConnectionFromEmptyBytes} (from the empty server, start-up allocations included) and
     * the kernel slab (from before the first connection).
     */
    record Idle(int connections, Connect connect, int serverReportedConnections,
                long heapEmptyBytes, long heapHalfBytes, long heapBytes, double heapPerConnectionBytes,
                double heapPerConnectionFromEmptyBytes,
                long rssEmptyBytes, long rssHalfBytes, long rssBytes, double rssPerConnectionBytes,
                double kernelSlabPerConnectionBytes,
                double cpuWindowS, double serverCpuMs, double serverCpuUsPerConnectionPerS, double generatorCpuMs) {
    }

    /**
     * One step of a fan-out. {@code firstRecipient}/{@code lastRecipient}: per message, the latency of the
     * first and of the last subscriber it reached (within one generator process); a burst to N sockets
     * spreads between the two, so {@code lastRecipient} is what a big room's p99 is made of. {@code wireBytes}: what
     * the subscribers' sockets read in the step (the generator's count: WebSocket frames as the server wrote them,
     * compressed or not, without TCP/IP headers); {@code wireBytesPerDelivery}: that over the deliveries, null when
     * none arrived.
     */
    record FanoutStep(double targetDeliveredPerS, double publishRate, long published, long expected, long delivered,
                      double windowS, double deliveredPerS, Latency latency, Latency firstRecipient,
                      Latency lastRecipient, double serverCpuMs,
                      double generatorCpuMs, double deliveredPerServerCpuS, boolean generatorBound,
                      boolean sustained, String verdict, long wireBytes, Double wireBytesPerDelivery) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Fanout(int subscribers, int nodes, Connect connect, List<FanoutStep> steps,
                  double maxSustainableDeliveredPerS, Double p99AtHalfMaxMs, Double halfMaxStepDeliveredPerS,
                  double deliveredPerServerCpuSAtMax, boolean generatorBoundAtMax, List<Rung> ladder) {

        /** The same result with the rungs of the equal-load ladder (see FanoutScenario#ladderRates). */
        Fanout withLadder(List<Rung> rungs) {
            return new Fanout(subscribers, nodes, connect, steps, maxSustainableDeliveredPerS, p99AtHalfMaxMs,
                    halfMaxStepDeliveredPerS, deliveredPerServerCpuSAtMax, generatorBoundAtMax, List.copyOf(rungs));
        }
    }

    /**
     * The wait before a ladder rung ({@link BacklogDrain}): deliveries outstanding from the steps before,
     * those received meanwhile, how long it took and how it ended.
     */
    record Drain(long outstanding, long received, double waitedS, String end) {
        static final String NOTHING = "nothing outstanding";
        static final String DRAINED = "drained";
        static final String IDLE = "idle";
        static final String DEADLINE = "deadline";

        /** Deliveries still on their way when the rung started: only when the deadline cut the wait short. */
        long backlogAtStart() {
            return end.equals(DEADLINE) ? Math.max(0, outstanding - received) : 0;
        }
    }

    /** A rung of the equal-load ladder: the wait for the earlier steps' backlog, then the step. */
    record Rung(Drain drain, FanoutStep step) {
    }

    /**
     * The machine's floor for a fan-out (see LoopbackFloor): per recipient and per burst's last recipient,
     * the time from a burst's start until the kernel handed a reader the frame; no server involved.
     */
    record Floor(int sockets, int frameBytes, double burstsPerS, int bursts, Latency recipient,
                 Latency lastRecipient) {
    }

    /**
     * Fan-out with acknowledged publishes (AckedFanoutScenario): one row per window of publishes in flight.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AckedFanout(int subscribers, int messagesPerWindow, Connect connect, List<AckedWindow> windows) {
    }

    /**
     * One window size: {@code *UsPerDelivery} is the server's CPU time (user space, kernel, both) over the
     * messages delivered, in microseconds; null when the CPU time could not be read. The CPU clock ticks in
     * 10 ms steps, so small runs (quick mode) give coarse figures.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AckedWindow(int window, long published, long expected, long delivered, double seconds, double deliveredPerS,
                       Latency latency, long serverUserMs, long serverSystemMs, Double userUsPerDelivery,
                       Double systemUsPerDelivery, Double totalUsPerDelivery) {
    }

    record Echo(int connections, Connect connect, long roundTrips, double seconds, double roundTripsPerS,
                Latency latency, double serverCpuMs, double generatorCpuMs, double roundTripsPerServerCpuS) {
    }

    /**
     * The standalone server as a gateway (GatewayScenario): rpc through a proxy whose backend answers after
     * {@code backendDelayMs}; publishes without and with {@code hungCalls} rpc calls hanging on the backend;
     * publishes forwarded into each broker. {@code *Refused}: round trips answered {@code {ok: false}};
     * {@code rpcRefusedByCode}: the rpc ones by the error code the client saw; {@code rpcProxyErrors}: the
     * server's {@code sockeye_proxy_errors_total{kind="rpc"}} by {@code error} over the measured loop (why the
     * calls were unavailable); {@code rpcServerCpuUsPerCall}: the server process's user + system CPU per rpc.
     */
    record Gateway(int connections, Connect connect, long backendDelayMs, double rpcPerS, Latency rpcLatency,
                   long rpcRefused, Map<String, Long> rpcRefusedByCode, Map<String, Long> rpcProxyErrors,
                   double rpcServerCpuUsPerCall, double publishPerS, Latency publishLatency, int hungCalls,
                   double publishWithHungPerS, Latency publishWithHungLatency, long publishWithHungRefused,
                   Map<String, GatewayForward> forwarding) {
    }

    /** Publishes forwarded into one broker: the ack waits for the broker's. */
    record GatewayForward(long events, double eventsPerS, Latency latency, long refused) {
    }

    /**
     * Connection storm. The top-level figures are the first storm, on a server that has seen only the
     * gentle warm-up round (what a freshly restarted process meets); {@code again} is the same storm
     * repeated after those clients closed, on a server whose JIT compiler has seen the whole path.
     */
    record Storm(int clients, Connect connect, double handshakesPerS, double timeToAllMs, double serverCpuMs,
                 double generatorCpuMs, StormRound again) {
    }

    record StormRound(Connect connect, double handshakesPerS, double timeToAllMs, double serverCpuMs,
                      double generatorCpuMs) {
    }

    /**
     * One sample of one soak server (see ServerProbe); -1 where a value could not be read, and every value
     * -1 with {@code error} set when the sample failed.
     *
     * @param tS          seconds since the judged churn started (negative before it)
     * @param phase       "warmup", "warmup-settle" (its clients left), "baseline", "churn" (judged) or "settle"
     *                    (the clients left)
     * @param cpuMs       CPU time the server process has used since it started (user + system)
     * @param clientsCpuMs the same for the soak's client process (is it the bottleneck?)
     * @param heldSockets TCP sockets the server process holds, by client class (SourceClass), "other" for the rest
     */
    record SoakSample(double tS, String phase, long heapAfterGcBytes, long nettyDirectBytes,
                      long nettyAllocatorDirectBytes, long jvmDirectBytes, long fds, long javaThreads, long osThreads,
                      long timerPendingTimeouts, long rssBytes, long cpuMs, long clientsCpuMs, long sessions,
                      long slowConsumerDisconnects, Map<String, Integer> heldSockets, String error) {
        static SoakSample failed(double tS, String phase, String error) {
            return new SoakSample(tS, phase, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, Map.of(), error);
        }
    }

    /**
     * The growth test of one series of one server (SlopeFit over the churn after its warm-up).
     *
     * @param verdict "flat", "grows", "not judged" (a quick run: too short to tell) or "too few samples"
     */
    record SoakSeries(String server, String series, String unit, boolean judged, int n, double windowS, double mean,
                      double slopePerHour, double ci95PerHour, double impliedGrowth, double tolerance, String verdict) {
    }

    /**
     * After the clients left: the baseline (read after the warm-up round's clients had left), the last
     * settle sample, how long it took to come back, and what did not.
     */
    record SoakSettle(String server, Map<String, Long> baseline, Map<String, Long> end, double seconds,
                      List<String> notBack) {
    }

    /** One soak server: its samples, whether all were taken, and what its log says. */
    record SoakServer(String name, long pid, int expectedSamples, int samplesTaken, int samplesFailed,
                      ServerLogScan.Scan log, List<SoakSample> samples) {
    }

    /**
     * A soak run on one topology (1 node, or 2 nodes over Redis).
     *
     * @param clients         what the clients counted in the judged churn ({@code error.*}: well-behaved clients' failures)
     * @param warmupClients   the same for the warm-up round
     * @param clientErrors    sum of the {@code error.*} counters of the judged churn
     * @param wellBehavedSessions well-behaved sessions started in the judged churn
     * @param problems        why the run fails the soak's criteria, empty when it passes
     */
    record Soak(int nodes, double warmupS, double churnS, double sampleEveryS, double fitFromS, boolean slopesJudged,
                List<SoakServer> servers, List<SoakSeries> series, List<SoakSettle> settle,
                Map<String, Long> clients, Map<String, Long> warmupClients, long clientErrors,
                long wellBehavedSessions, List<String> problems) {
    }

    /**
     * One scenario run on one peer.
     *
     * @param status "ok", "failed" (with reason: a bug or a broken run) or "skipped" (with reason: not
     *               applicable or a tool is missing, e.g. "not yet" for a missing module)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Run(String scenario, String peer, int size, int repeat, String status, String reason,
               double seconds, Object result) {
    }
}
