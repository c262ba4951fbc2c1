package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sockeye.bench.generator.HistogramCodec;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The generator processes of a run (started on demand, reused across scenarios) and the operations the
 * scenarios do with them: connect N spread over processes, call them all at once, sum their CPU time.
 */
final class Load implements AutoCloseable {

    private final Env env;
    private final List<GeneratorProcess> generators = new ArrayList<>();
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "generator-call");
        t.setDaemon(true);
        return t;
    });

    Load(Env env) {
        this.env = env;
    }

    /** Enough generator processes for {@code connections} sockets (at least one). */
    List<GeneratorProcess> generatorsFor(int connections) throws Exception {
        int n = Math.max(1, (connections + Plan.GENERATOR_MAX_CONNECTIONS - 1) / Plan.GENERATOR_MAX_CONNECTIONS);
        while (generators.size() < n) {
            generators.add(GeneratorProcess.start(env, generators.size()));
        }
        return List.copyOf(generators.subList(0, n));
    }

    List<Long> pids(List<GeneratorProcess> gens) {
        return gens.stream().map(GeneratorProcess::pid).toList();
    }

    /** Calls every generator at once with its own command; results in the generators' order. */
    List<JsonNode> callAll(List<GeneratorProcess> gens, Function<GeneratorProcess, Map<String, Object>> command,
                           long timeoutMs) throws Exception {
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (GeneratorProcess g : gens) {
            Map<String, Object> cmd = command.apply(g);
            futures.add(calls.submit(() -> g.call(cmd, timeoutMs)));
        }
        List<JsonNode> results = new ArrayList<>();
        for (Future<JsonNode> f : futures) {
            try {
                results.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        return results;
    }

    List<JsonNode> callAll(List<GeneratorProcess> gens, Map<String, Object> command, long timeoutMs) throws Exception {
        return callAll(gens, g -> command, timeoutMs);
    }

    /**
     * Opens {@code total} connections split evenly over {@code gens}, with {@code concurrency} handshakes
     * in flight per generator; {@code spec} holds host/ports/path/mode/role/room/timeoutMs.
     */
    Results.Connect connect(List<GeneratorProcess> gens, int total, int concurrency, Map<String, Object> spec)
            throws Exception {
        long timeout = ((Number) spec.get("timeoutMs")).longValue();
        List<JsonNode> results = callAll(gens, g -> {
            int count = total / gens.size() + (g.index < total % gens.size() ? 1 : 0);
            Map<String, Object> cmd = new LinkedHashMap<>(spec);
            cmd.put("op", "connect");
            cmd.put("count", count);
            cmd.put("concurrency", Math.max(1, Math.min(concurrency, count)));
            return cmd;
        }, timeout + 60_000);
        int ready = 0;
        int failed = 0;
        double elapsed = 0;
        double lastReady = 0;
        Map<String, Integer> failures = new TreeMap<>();
        Histogram times = new Histogram(io.sockeye.bench.generator.Generator.HIGHEST_US, 3);
        for (JsonNode r : results) {
            ready += r.get("ready").asInt();
            failed += r.get("failed").asInt();
            elapsed = Math.max(elapsed, r.get("elapsedNanos").asLong() / 1e6);
            lastReady = Math.max(lastReady, r.get("lastReadyNanos").asLong() / 1e6);
            r.get("failures").properties().forEach(e -> failures.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
            times.add(HistogramCodec.decode(r.get("readyTimesUs").asText()));
        }
        return new Results.Connect(total, ready, failed, failures, round(elapsed), round(lastReady),
                Results.Latency.of(times));
    }

    /** Closes every connection of every generator (between scenarios). */
    void closeConnections() throws Exception {
        if (!generators.isEmpty()) {
            callAll(generators, Map.of("op", "close"), 120_000);
        }
    }

    static Map<String, Object> spec(PeerKind kind, List<Integer> ports, String role, String room, long timeoutMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", "127.0.0.1");
        m.put("ports", ports);
        m.put("path", kind.path());
        m.put("mode", kind.mode.name());
        m.put("role", role);
        if (room != null) {
            m.put("room", room);
        }
        m.put("timeoutMs", timeoutMs);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public void close() {
        for (GeneratorProcess g : generators) {
            g.close();
        }
        generators.clear();
        calls.shutdownNow();
    }
}
