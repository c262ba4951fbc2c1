package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The soak: the standalone server (bin/sockeye, one node, or two over a real redis-server) under churn —
 * clients connecting and leaving on every transport, changing rooms, publishing, some reading slowly,
 * some vanishing, some cut off with a RST — sampled every few seconds from outside (ServerProbe), judged
 * by SoakJudge. The run:
 * <ol>
 *   <li>warm-up round of churn, then every client leaves and the servers settle: the <em>baseline</em> sample;</li>
 *   <li>the judged churn, sampled every {@code sampleEveryMs};</li>
 *   <li>every client leaves; samples until the servers are back to the baseline or {@code settleMs} passed.</li>
 * </ol>
 */
final class SoakScenario {

    /** The clients' roles whose failures are errors (io.sockeye.bench.soak.Role#wellBehaved), as counted. */
    private static final List<String> WELL_BEHAVED = List.of("normal", "resident", "bulk_reader");

    private SoakScenario() {
    }

    /** Why the scenario cannot run here, or null. */
    static String unavailableReason(Env env, int nodes) {
        if (!Files.exists(env.root.resolve("sockeye-server/target/sockeye-runtime.classpath"))) {
            return "the standalone server is not built (bench/run builds it)";
        }
        if (nodes > 1 && !RedisServer.available()) {
            return "redis-server is not installed (apt-get install redis-server)";
        }
        return null;
    }

    static Results.Soak run(Env env, int nodes) throws Exception {
        SoakPlan plan = env.plan.soak();
        String tag = nodes == 1 ? "soak-node" : "soak-cluster-node-";
        try (RedisServer redis = nodes > 1 ? RedisServer.start(env) : null) {
            List<StandaloneServer> servers = startServers(env, plan, nodes, tag, redis);
            GeneratorProcess clients = null;
            List<ServerProbe> probes = List.of();
            try {
                clients = GeneratorProcess.startSoakClients(env, nodes == 1 ? "soak-clients" : "soak-cluster-clients");
                long clientsPid = clients.pid();
                probes = servers.stream().map(s -> new ServerProbe(s, clientsPid)).toList();
                return drive(env, plan, servers, probes, clients);
            } finally {
                probes.forEach(ServerProbe::close);
                if (clients != null) {
                    clients.close();
                }
                servers.forEach(StandaloneServer::close);
            }
        }
    }

    private static List<StandaloneServer> startServers(Env env, SoakPlan plan, int nodes, String tag, RedisServer redis)
            throws Exception {
        String javaOptions = "-Xms64m -Xmx" + plan.serverHeap() + " -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"
                + " -Dio.netty.leakDetection.level=paranoid";
        List<String> args = new ArrayList<>(List.of("--ping-interval", plan.pingInterval(), "--ping-timeout", plan.pingTimeout()));
        if (redis != null) {
            args.addAll(List.of("--redis-url", redis.uri()));
        }
        return StartAll.start(nodes, i -> () -> StandaloneServer.start(env, nodes == 1 ? tag : tag + i, javaOptions, args));
    }

    private static Results.Soak drive(Env env, SoakPlan plan, List<StandaloneServer> servers, List<ServerProbe> probes,
                                      GeneratorProcess clients) throws Exception {
        int n = servers.size();
        List<List<Results.SoakSample>> samples = new ArrayList<>();
        servers.forEach(s -> samples.add(new ArrayList<>()));
        List<Integer> ports = servers.stream().map(s -> s.port).toList();

        // 1. Warm-up round, then its clients leave and the servers settle: the baseline.
        say("soak, " + n + " node(s): warm-up " + plan.warmupMs() / 1000 + " s");
        clients.call(Map.of("op", "start", "plan", plan.clientPlan("127.0.0.1", ports, StandaloneServer.API_KEY, 1)), 30_000);
        long warmStart = System.nanoTime();
        sampleUntil(probes, samples, warmStart, -plan.warmupMs() / 1000.0, plan.warmupMs(), plan.sampleEveryMs(), "warmup");
        Map<String, Long> warmupClients = counters(clients.call(Map.of("op", "leave"), 120_000));
        List<Results.SoakSample> idle = settle(probes, samples, plan, "warmup-settle", null);

        // 2. The judged churn.
        say("soak, " + n + " node(s): churn " + plan.churnMs() / 1000 + " s, a sample every " + plan.sampleEveryMs() / 1000 + " s");
        clients.call(Map.of("op", "start", "plan", plan.clientPlan("127.0.0.1", ports, StandaloneServer.API_KEY, 2)), 30_000);
        long churnStart = System.nanoTime();
        sampleUntil(probes, samples, churnStart, 0, plan.churnMs(), plan.sampleEveryMs(), "churn");
        JsonNode left = clients.call(Map.of("op", "leave"), 120_000);
        Map<String, Long> clientCounters = counters(left);

        // 3. The clients left: back to the baseline?
        long leftAt = System.nanoTime();
        List<Results.SoakSample> end = settle(probes, samples, plan, "settle", idle);
        double settleS = Load.round((System.nanoTime() - leftAt) / 1e9);

        int expected = (int) (plan.churnMs() / plan.sampleEveryMs()) + 1;
        double fitFromS = plan.fitFrom() * plan.churnMs() / 1000.0;
        List<Results.SoakServer> soakServers = new ArrayList<>();
        List<Results.SoakSeries> series = new ArrayList<>();
        List<Results.SoakSettle> settle = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StandaloneServer s = servers.get(i);
            List<Results.SoakSample> mine = samples.get(i);
            int taken = (int) mine.stream().filter(x -> x.phase().equals("churn")).count();
            int failed = (int) mine.stream().filter(x -> x.phase().equals("churn") && x.error() != null).count();
            soakServers.add(new Results.SoakServer(s.name, s.pid(), expected, taken, failed, ServerLogScan.scan(s.log), mine));
            series.addAll(SoakJudge.series(s.name, mine, fitFromS, plan.judgeSlopes()));
            settle.add(new Results.SoakSettle(s.name, SoakJudge.settleValues(idle.get(i)), SoakJudge.settleValues(end.get(i)),
                    settleS, SoakJudge.notBack(idle.get(i), end.get(i))));
        }
        long errors = clientCounters.entrySet().stream().filter(e -> e.getKey().startsWith("error."))
                .mapToLong(Map.Entry::getValue).sum();
        long wellBehaved = clientCounters.entrySet().stream()
                .filter(e -> WELL_BEHAVED.stream().anyMatch(r -> e.getKey().startsWith("sessions.started." + r + ".")))
                .mapToLong(Map.Entry::getValue).sum();
        List<String> problems = SoakJudge.problems(soakServers, series, settle, errors, wellBehaved);
        problems.forEach(p -> say("  soak problem: " + p));
        return new Results.Soak(n, plan.warmupMs() / 1000.0, plan.churnMs() / 1000.0, plan.sampleEveryMs() / 1000.0,
                fitFromS, plan.judgeSlopes(), soakServers, series, settle, clientCounters, warmupClients, errors,
                wellBehaved, problems);
    }

    /**
     * Samples every server at {@code start + k × every} for {@code durationMs}; a sample that comes late
     * (the previous one took longer than the interval on a busy machine) is taken at once, never skipped.
     */
    private static void sampleUntil(List<ServerProbe> probes, List<List<Results.SoakSample>> samples, long start,
                                    double t0S, long durationMs, long everyMs, String phase)
            throws InterruptedException {
        for (long k = 0; k <= durationMs / everyMs; k++) {
            long wait = start + TimeUnit.MILLISECONDS.toNanos(k * everyMs) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            double tS = t0S + (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < probes.size(); i++) {
                samples.get(i).add(probes.get(i).sample(tS, phase));
            }
        }
    }

    /**
     * Samples until every server is back to {@code baseline} (or, with no baseline yet, has no session and
     * holds no client socket), at most {@code settleMs}; returns each server's last sample.
     */
    private static List<Results.SoakSample> settle(List<ServerProbe> probes, List<List<Results.SoakSample>> samples,
                                                   SoakPlan plan, String phase, List<Results.SoakSample> baseline)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(plan.settleMs());
        while (true) {
            List<Results.SoakSample> last = new ArrayList<>();
            boolean settled = true;
            for (int i = 0; i < probes.size(); i++) {
                Results.SoakSample s = probes.get(i).sample((System.nanoTime() - start) / 1e9, phase);
                samples.get(i).add(s);
                last.add(s);
                settled &= baseline != null ? SoakJudge.notBack(baseline.get(i), s).isEmpty()
                        : s.error() == null && s.sessions() == 0 && SoakJudge.settleValues(s).get("heldSockets") == 0;
            }
            if (settled || System.nanoTime() > deadline) {
                if (baseline == null) {
                    // The baseline is read once more after a pause: what lingers a moment after the last session went.
                    TimeUnit.MILLISECONDS.sleep(plan.sampleEveryMs());
                    last.clear();
                    for (int i = 0; i < probes.size(); i++) {
                        Results.SoakSample s = probes.get(i).sample(0, "baseline");
                        samples.get(i).add(s);
                        last.add(s);
                    }
                }
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(plan.sampleEveryMs());
        }
    }

    private static Map<String, Long> counters(JsonNode result) {
        Map<String, Long> m = new TreeMap<>();
        result.path("counters").properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
