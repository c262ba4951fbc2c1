package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sockeye.bench.generator.Generator;
import io.sockeye.bench.generator.HistogramCodec;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out: N subscribers in one room; a publisher connection (not in the room) publishes at a rate
 * stepped up geometrically, and the server sends each message to the whole room. Each step records the
 * messages delivered per second and the delivery latency (receive time minus the send time carried in
 * the payload, epoch-anchored so generator processes agree), and stops after the first step that is not
 * sustained: p99 over the limit, or more than 1% of the messages missing when the step's drain ends.
 * It stops after two unsustained steps in a row (one may be a hiccup of a shared machine). The maximum
 * sustainable rate is the best delivered rate of a sustained step.
 */
final class FanoutScenario {

    static final String ROOM = "room";

    private FanoutScenario() {
    }

    /** A single server process. */
    static Results.Fanout single(Env env, Load load, Peers peers, PeerKind kind, int n) throws Exception {
        PeerProcess peer = peers.acquire(kind, kind.id + "-fanout-" + n);
        try {
            return measure(env, load, kind, List.of(peer.port), List.of(peer.pid()), n);
        } finally {
            peers.release(peer);
        }
    }

    /**
     * Subscribers spread round-robin over {@code ports} (one per node), the publisher on the first;
     * {@code serverPids}: every process whose CPU counts as the server's (nodes, and Redis in a cluster).
     */
    static Results.Fanout measure(Env env, Load load, PeerKind kind, List<Integer> ports, List<Long> serverPids,
                                  int n) throws Exception {
        Plan plan = env.plan;
        List<GeneratorProcess> gens = load.generatorsFor(n + 1);
        try {
            Results.Connect connect = load.connect(gens, n, Plan.CONNECT_CONCURRENCY,
                    Load.spec(kind, ports, "SUBSCRIBER", ROOM, 30_000 + n * 10L));
            if (connect.ready() < n) {
                throw new IllegalStateException(connect.ready() + " of " + n + " subscribers ready: " + connect.failures());
            }
            Map<String, Object> publisher = new LinkedHashMap<>(Load.spec(kind, List.of(ports.get(0)), "PUBLISHER", ROOM, 30_000));
            publisher.put("op", "connect");
            publisher.put("count", 1);
            publisher.put("concurrency", 1);
            if (gens.get(0).call(publisher, 90_000).get("ready").asInt() != 1) {
                throw new IllegalStateException("publisher connection failed");
            }
            Stepper stepper = new Stepper(plan, load, gens, serverPids, n, env.generatorCores());
            stepper.step(plan.fanoutStartDelivered(), plan.fanoutWarmupMs()); // warm-up, not recorded
            List<Results.FanoutStep> steps = new ArrayList<>();
            double target = plan.fanoutStartDelivered();
            int unsustainedInARow = 0;
            // Three failed steps in a row end the run: on a shared 2-CPU machine one latency spike (a GC
            // pause, a stolen time slice) can fail a step that the next one sustains again.
            for (int i = 0; i < plan.fanoutMaxSteps() && unsustainedInARow < UNSUSTAINED_STEPS_TO_STOP; i++) {
                Results.FanoutStep s = stepper.step(target, plan.fanoutStepMs());
                steps.add(s);
                unsustainedInARow = s.sustained() ? 0 : unsustainedInARow + 1;
                target *= plan.fanoutFactor();
            }
            Results.Fanout result = summarize(n, ports.size(), connect, steps);
            List<Results.Rung> rungs = new ArrayList<>();
            for (double rate : ladderRates(result.maxSustainableDeliveredPerS())) {
                // The stepping ends overloaded and a rung may overload: each rung waits for what came before.
                Results.Drain drain = stepper.drain();
                rungs.add(new Results.Rung(drain, stepper.step(rate, plan.fanoutStepMs())));
            }
            return result.withLadder(rungs);
        } finally {
            load.closeConnections();
        }
    }

    static final int UNSUSTAINED_STEPS_TO_STOP = 3;

    /**
     * The equal-load ladder: with {@code -Dsockeye.bench.fanoutLadder=10000,30000,60000,100000} every server
     * is measured again at those delivered rates (the ones up to 1.5× its own maximum: far past it a step
     * only builds a backlog) and at half its own maximum, so that servers are compared at the same load —
     * "p99 at half of each server's maximum" compares different loads. Empty without the property.
     */
    static List<Double> ladderRates(double maxSustainable) {
        String spec = System.getProperty("sockeye.bench.fanoutLadder", "").trim();
        List<Double> rates = new ArrayList<>();
        if (spec.isEmpty()) {
            return rates;
        }
        for (String part : spec.split(",")) {
            double rate = Double.parseDouble(part.trim());
            if (rate > 0 && rate <= 1.5 * maxSustainable) {
                rates.add(rate);
            }
        }
        if (maxSustainable > 0) {
            rates.add(maxSustainable / 2);
        }
        rates.sort(Double::compare);
        return rates;
    }

    /** Maximum sustainable rate, and the p99 of the sustained step nearest half of it. */
    static Results.Fanout summarize(int n, int nodes, Results.Connect connect, List<Results.FanoutStep> steps) {
        Results.FanoutStep best = null;
        for (Results.FanoutStep s : steps) {
            if (s.sustained() && (best == null || s.deliveredPerS() > best.deliveredPerS())) {
                best = s;
            }
        }
        double max = best == null ? 0 : best.deliveredPerS();
        Results.FanoutStep half = null;
        for (Results.FanoutStep s : steps) {
            if (s.sustained() && (half == null
                    || Math.abs(s.deliveredPerS() - max / 2) < Math.abs(half.deliveredPerS() - max / 2))) {
                half = s;
            }
        }
        return new Results.Fanout(n, nodes, connect, steps, max,
                half == null ? null : half.latency().p99Ms(), half == null ? null : half.deliveredPerS(),
                best == null ? 0 : best.deliveredPerServerCpuS(), best != null && best.generatorBound(), List.of());
    }

    /** Runs one step at a time against connected subscribers and a connected publisher. */
    static final class Stepper {
        private final Plan plan;
        private final Load load;
        private final List<GeneratorProcess> gens;
        private final List<Long> serverPids;
        private final List<Long> genPids;
        private final int n;
        private final double generatorCores;
        /** Deliveries the steps so far expected and did not receive (late ones count in the next step). */
        private long outstanding;

        Stepper(Plan plan, Load load, List<GeneratorProcess> gens, List<Long> serverPids, int n, double generatorCores) {
            this.plan = plan;
            this.load = load;
            this.gens = gens;
            this.serverPids = serverPids;
            this.genPids = load.pids(gens);
            this.n = n;
            this.generatorCores = generatorCores;
        }

        /** Waits for the deliveries earlier steps left outstanding ({@link BacklogDrain}). */
        Results.Drain drain() throws Exception {
            Results.Drain d = BacklogDrain.await(outstanding, () -> load.callAll(gens, Map.of("op", "count"), 30_000)
                    .stream().mapToLong(r -> r.get("count").asLong()).sum(), BacklogDrain.SYSTEM,
                    BacklogDrain.IDLE_MS, BacklogDrain.DEADLINE_MS);
            outstanding = d.backlogAtStart();
            return d;
        }

        Results.FanoutStep step(double targetDelivered, long durationMs) throws Exception {
            double rate = targetDelivered / n;
            load.callAll(gens, Map.of("op", "reset"), 30_000);
            long serverCpu0 = ProcStats.cpuMillis(serverPids);
            long genCpu0 = ProcStats.cpuMillis(genPids);
            long t0 = System.nanoTime();
            JsonNode pub = gens.get(0).call(Map.of("op", "publish", "rate", rate, "durationMs", durationMs,
                    "payloadBytes", plan.payloadBytes(), "room", ROOM, "burst", plan.fanoutBurst()), durationMs + 90_000);
            long published = pub.get("sent").asLong();
            long expected = published * n;
            long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, durationMs / 2));
            long lastCount = 0;
            while (System.nanoTime() < drainDeadline) {
                lastCount = load.callAll(gens, Map.of("op", "count"), 30_000).stream()
                        .mapToLong(r -> r.get("count").asLong()).sum();
                if (lastCount >= expected) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            double windowS = (System.nanoTime() - t0) / 1e9;
            long serverCpu = ProcStats.cpuMillis(serverPids) - serverCpu0;
            long genCpu = ProcStats.cpuMillis(genPids) - genCpu0;
            Histogram latency = new Histogram(Generator.HIGHEST_US, 3);
            Histogram first = new Histogram(Generator.HIGHEST_US, 3);
            Histogram last = new Histogram(Generator.HIGHEST_US, 3);
            long delivered = 0;
            long wireBytes = 0;
            for (JsonNode r : load.callAll(gens, Map.of("op", "snapshot"), 30_000)) {
                delivered += r.get("count").asLong();
                wireBytes += r.get("wireBytes").asLong();
                latency.add(HistogramCodec.decode(r.get("latencyUs").asText()));
                first.add(HistogramCodec.decode(r.get("firstUs").asText()));
                last.add(HistogramCodec.decode(r.get("lastUs").asText()));
            }
            Results.Latency lat = Results.Latency.of(latency);
            boolean complete = delivered >= 0.99 * expected;
            double limit = plan.p99LimitFor(n);
            boolean fast = lat.p99Ms() <= limit;
            String verdict = complete && fast ? "sustained"
                    : !complete ? "only " + delivered + " of " + expected + " delivered within the drain time"
                    : "p99 " + lat.p99Ms() + " ms > " + limit + " ms";
            boolean generatorBound = genCpu >= 0.9 * generatorCores * windowS * 1000;
            outstanding = Math.max(0, outstanding + expected - delivered);
            return new Results.FanoutStep(Load.round(targetDelivered), Load.round(rate), published, expected, delivered,
                    Load.round(windowS), Load.round(delivered / windowS), lat, Results.Latency.of(first),
                    Results.Latency.of(last), serverCpu, genCpu,
                    serverCpu > 0 ? Load.round(delivered / (serverCpu / 1000.0)) : -1, generatorBound,
                    complete && fast, verdict, wireBytes, delivered > 0 ? Load.round((double) wireBytes / delivered) : null);
        }
    }
}
