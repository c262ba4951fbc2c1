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
 * Fan-out where nothing batches: N subscribers in one room, and a publisher that asks for an ack of each
 * publish and keeps at most W unacknowledged — W = 1 waits for each ack (one message per server flush,
 * one socket write per recipient), W = 20 lets broadcasts queue together. Reports the server's CPU time
 * per delivery split into user space and kernel (from /proc/PID/stat: utime, stime), after an unrecorded
 * round of the same size.
 */
final class AckedFanoutScenario {

    /** The windows measured, in this order, on the same connections. */
    static final List<Integer> WINDOWS = List.of(1, 20);

    private AckedFanoutScenario() {
    }

    /** Subscribers: 50 in a quick run, 2,000 in a full one. */
    static int subscribers(Plan plan) {
        return "quick".equals(plan.name()) ? 50 : 2_000;
    }

    /** Messages per window: 20 in a quick run, 200 in a full one. */
    static int messages(Plan plan) {
        return "quick".equals(plan.name()) ? 20 : 200;
    }

    static Results.AckedFanout run(Env env, Load load, Peers peers, PeerKind kind) throws Exception {
        Plan plan = env.plan;
        int n = subscribers(plan);
        PeerProcess peer = peers.acquire(kind, kind.id + "-acked-" + n);
        List<GeneratorProcess> gens = load.generatorsFor(n + 1);
        try {
            Results.Connect connect = load.connect(gens, n, Plan.CONNECT_CONCURRENCY,
                    Load.spec(kind, List.of(peer.port), "SUBSCRIBER", FanoutScenario.ROOM, 30_000 + n * 10L));
            if (connect.ready() < n) {
                throw new IllegalStateException(connect.ready() + " of " + n + " subscribers ready: " + connect.failures());
            }
            Map<String, Object> publisher = new LinkedHashMap<>(Load.spec(kind, List.of(peer.port), "PUBLISHER",
                    FanoutScenario.ROOM, 30_000));
            publisher.put("op", "connect");
            publisher.put("count", 1);
            publisher.put("concurrency", 1);
            if (gens.get(0).call(publisher, 90_000).get("ready").asInt() != 1) {
                throw new IllegalStateException("publisher connection failed");
            }
            List<Results.AckedWindow> windows = new ArrayList<>();
            for (int window : WINDOWS) {
                measure(plan, load, gens, List.of(peer.pid()), n, window); // warm-up, not recorded
                windows.add(measure(plan, load, gens, List.of(peer.pid()), n, window));
            }
            return new Results.AckedFanout(n, messages(plan), connect, windows);
        } finally {
            load.closeConnections();
            peers.release(peer);
        }
    }

    private static Results.AckedWindow measure(Plan plan, Load load, List<GeneratorProcess> gens, List<Long> serverPids,
                                               int n, int window) throws Exception {
        int messages = messages(plan);
        load.callAll(gens, Map.of("op", "reset"), 30_000);
        ProcStats.Cpu cpu0 = ProcStats.cpu(serverPids);
        long t0 = System.nanoTime();
        JsonNode pub = gens.get(0).call(Map.of("op", "publishAcked", "count", messages, "window", window,
                "payloadBytes", plan.payloadBytes(), "room", FanoutScenario.ROOM, "timeoutMs", 120_000), 180_000);
        long acked = pub.get("acked").asLong();
        long expected = acked * n;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < drainDeadline) {
            long count = load.callAll(gens, Map.of("op", "count"), 30_000).stream().mapToLong(r -> r.get("count").asLong()).sum();
            if (count >= expected) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ProcStats.Cpu cpu1 = ProcStats.cpu(serverPids);
        ProcStats.Cpu used = cpu0 == null || cpu1 == null ? new ProcStats.Cpu(-1, -1) : cpu1.minus(cpu0);
        Histogram latency = new Histogram(Generator.HIGHEST_US, 3);
        long delivered = 0;
        for (JsonNode r : load.callAll(gens, Map.of("op", "snapshot"), 30_000)) {
            delivered += r.get("count").asLong();
            latency.add(HistogramCodec.decode(r.get("latencyUs").asText()));
        }
        return new Results.AckedWindow(window, acked, expected, delivered, Load.round(seconds),
                Load.round(delivered / seconds), Results.Latency.of(latency), used.userMs(), used.systemMs(),
                perDelivery(used.userMs(), delivered), perDelivery(used.systemMs(), delivered),
                perDelivery(used.userMs() + used.systemMs(), delivered));
    }

    /** Microseconds of CPU per delivery; null when unknown. */
    private static Double perDelivery(long cpuMs, long delivered) {
        return cpuMs < 0 || delivered <= 0 ? null : Load.round(cpuMs * 1000.0 / delivered);
    }
}
