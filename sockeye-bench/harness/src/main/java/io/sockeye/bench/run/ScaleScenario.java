package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Scale: a cluster of Sockeye nodes over Redis holding many WebSocket connections on this one machine, as
 * many node processes as the per-process file limit needs ({@link Plan#SERVER_MAX_CONNECTIONS} each). Every
 * connection joins one room and then only answers heartbeats for the hold; then a fan-out to all of them.
 *
 * <p>Reported: heap and RSS per connection (marginal: the second half of the connections, summed over the
 * nodes, as {@link IdleScenario} measures one node), the heartbeats' CPU per connection per second over the
 * hold (nodes and Redis), the fan-out's delivery time to every connection, and every connection lost — by
 * the clients' count (closed without being asked to) and by the nodes' own count after the fan-out.
 */
final class ScaleScenario {

    /**
     * The sizes: {@code connections} over {@code nodes}, held {@code holdMs}, then {@code fanoutMs} of one publish
     * every {@link #PUBLISH_INTERVAL_S} seconds (each broadcast reaches every connection before the next).
     */
    record Sizes(int connections, int nodes, long holdMs, long fanoutMs) {
    }

    record Result(int connections, int nodes, Results.Connect connect, List<Integer> perNode,
                  double heapPerConnectionBytes, double heapPerConnectionFromEmptyBytes, double rssPerConnectionBytes,
                  double holdS, double heartbeatCpuUsPerConnectionPerS, double heartbeatUserMs, double heartbeatSystemMs,
                  Results.FanoutStep fanout, double fanoutCpuUsPerDelivery, int heldAtEnd, Map<String, Long> lost) {
    }

    private ScaleScenario() {
    }

    static Sizes sizes(Plan plan) {
        int n = Integer.getInteger("sockeye.bench.scaleConnections", "quick".equals(plan.name()) ? 600 : 100_000);
        int nodes = Math.max(2, (n + Plan.SERVER_MAX_CONNECTIONS - 1) / Plan.SERVER_MAX_CONNECTIONS);
        long hold = Long.getLong("sockeye.bench.scaleHoldMs", "quick".equals(plan.name()) ? 3_000 : 300_000);
        return new Sizes(n, nodes, hold, "quick".equals(plan.name()) ? 4_000 : 20_000);
    }

    /** Seconds between two publishes of the measured fan-out. */
    static final double PUBLISH_INTERVAL_S = 4;

    static String unavailableReason() {
        return ClusterScenario.unavailableReason();
    }

    static Result run(Env env, Load load) throws Exception {
        Sizes size = sizes(env.plan);
        int n = size.connections();
        List<PeerProcess> nodes = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(env)) {
            try {
                // Six JVMs starting at once on the one server CPU: they get three minutes, not one.
                nodes.addAll(StartAll.start(size.nodes(), i -> () -> PeerProcess.start(env, PeerKind.SOCKEYE,
                        "sockeye-scale-node-" + i, List.of("--redis", redis.uri()), 180_000)));
                List<Integer> ports = nodes.stream().map(p -> p.port).toList();
                List<Long> serverPids = new ArrayList<>(nodes.stream().map(PeerProcess::pid).toList());
                serverPids.add(redis.pid());
                return measure(env, load, size, nodes, ports, serverPids);
            } finally {
                nodes.forEach(PeerProcess::close);
            }
        }
    }

    private static Result measure(Env env, Load load, Sizes size, List<PeerProcess> nodes, List<Integer> ports,
                                  List<Long> serverPids) throws Exception {
        int n = size.connections();
        List<GeneratorProcess> gens = load.generatorsFor(n + 1);
        try {
            long empty = heap(nodes);
            int half = n / 2;
            long timeout = 30_000 + n * 10L;
            Results.Connect first = load.connect(gens, half, Plan.CONNECT_CONCURRENCY,
                    Load.spec(PeerKind.SOCKEYE, ports, "SUBSCRIBER", FanoutScenario.ROOM, timeout));
            long heapHalf = heap(nodes);
            long rssHalf = rss(nodes);
            Results.Connect second = load.connect(gens, n - half, Plan.CONNECT_CONCURRENCY,
                    Load.spec(PeerKind.SOCKEYE, ports, "SUBSCRIBER", FanoutScenario.ROOM, timeout));
            Results.Connect connect = IdleScenario.merge(first, second);
            if (connect.ready() < n) {
                throw new IllegalStateException(connect.ready() + " of " + n + " connections ready: " + connect.failures());
            }
            List<PeerProcess.Memory> full = new ArrayList<>();
            for (PeerProcess p : nodes) {
                full.add(p.memory());
            }
            long heapFull = full.stream().mapToLong(PeerProcess.Memory::heapBytes).sum();
            long rssFull = rss(nodes);
            Map<String, Long> lostBefore = lost(load, gens); // the generators' counts run over the whole run

            // The hold: the connections only answer heartbeats. Its length is the measurement window.
            ProcStats.Cpu cpu0 = ProcStats.cpu(serverPids);
            long t0 = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(size.holdMs());
            double holdS = (System.nanoTime() - t0) / 1e9;
            ProcStats.Cpu cpu1 = ProcStats.cpu(serverPids);
            double userMs = cpu1.userMs() - cpu0.userMs();
            double systemMs = cpu1.systemMs() - cpu0.systemMs();

            Map<String, Object> publisher = new LinkedHashMap<>(Load.spec(PeerKind.SOCKEYE, List.of(ports.get(0)),
                    "PUBLISHER", FanoutScenario.ROOM, 30_000));
            publisher.put("op", "connect");
            publisher.put("count", 1);
            publisher.put("concurrency", 1);
            if (gens.get(0).call(publisher, 90_000).get("ready").asInt() != 1) {
                throw new IllegalStateException("publisher connection failed");
            }
            FanoutScenario.Stepper stepper = new FanoutScenario.Stepper(env.plan, load, gens, serverPids, n,
                    env.generatorCores());
            // Not recorded: the nodes have only answered heartbeats so far, and the first broadcasts to thousands
            // of sockets run while every node's JIT compiles the broadcast path (on one shared CPU here).
            stepper.step(n / PUBLISH_INTERVAL_S, (long) (3 * PUBLISH_INTERVAL_S * 1000));
            Results.FanoutStep fanout = stepper.step(n / PUBLISH_INTERVAL_S, size.fanoutMs());

            int held = 0;
            for (PeerProcess p : nodes) {
                held += p.memory().connections();
            }
            Map<String, Long> lost = lost(load, gens);
            lostBefore.forEach((reason, count) -> lost.merge(reason, -count, Long::sum));
            lost.values().removeIf(count -> count == 0);
            int added = second.ready();
            return new Result(n, nodes.size(), connect, full.stream().map(PeerProcess.Memory::connections).toList(),
                    perConnection(heapFull - heapHalf, added), perConnection(heapFull - empty, connect.ready()),
                    perConnection(rssFull - rssHalf, added), Load.round(holdS),
                    Load.round((userMs + systemMs) * 1000.0 / connect.ready() / holdS), userMs, systemMs, fanout,
                    fanout.delivered() > 0 ? Load.round(fanout.serverCpuMs() * 1000.0 / fanout.delivered()) : -1,
                    held, lost);
        } finally {
            load.closeConnections();
        }
    }

    /** Connections the clients saw closed without asking, by reason, summed over the generators. */
    private static Map<String, Long> lost(Load load, List<GeneratorProcess> gens) throws Exception {
        Map<String, Long> lost = new TreeMap<>();
        for (JsonNode s : load.callAll(gens, Map.of("op", "stats"), 30_000)) {
            s.path("lost").properties().forEach(e -> lost.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        return lost;
    }

    /** Heap after a full GC, summed over the nodes. */
    private static long heap(List<PeerProcess> nodes) throws Exception {
        long sum = 0;
        for (PeerProcess p : nodes) {
            sum += p.memory().heapBytes();
        }
        return sum;
    }

    private static long rss(List<PeerProcess> nodes) {
        return nodes.stream().mapToLong(p -> ProcStats.rssBytes(p.pid())).sum();
    }

    private static double perConnection(long bytes, int connections) {
        return connections <= 0 ? -1 : Load.round((double) bytes / connections);
    }

    // ---- report and check ----

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        for (JsonNode r : doc.path("runs")) {
            if (!r.path("scenario").asText().equals("scale")) {
                continue;
            }
            JsonNode x = r.path("result");
            JsonNode f = x.path("fanout");
            if (md.isEmpty()) {
                md.append("## Scale: a cluster over Redis holding every connection, then a fan-out to all\n\n")
                        .append("| connections | nodes | held at end | lost | heap / conn | RSS / conn | heartbeat CPU µs / conn / s "
                                + "| fan-out delivered | delivery p50 / p99 | last recipient p99 | CPU µs / delivery | status |\n")
                        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n");
            }
            long lost = 0;
            for (JsonNode v : x.path("lost")) {
                lost += v.asLong();
            }
            md.append(String.format("| %,d | %d | %,d | %d | %s | %s | %.2f | %,d of %,d | %s / %s | %s | %.2f | %s |%n",
                    x.path("connections").asInt(), x.path("nodes").asInt(), x.path("heldAtEnd").asInt(), lost,
                    Report.bytes(x.path("heapPerConnectionBytes").asDouble()),
                    Report.bytes(x.path("rssPerConnectionBytes").asDouble()),
                    x.path("heartbeatCpuUsPerConnectionPerS").asDouble(), f.path("delivered").asLong(),
                    f.path("expected").asLong(), Report.ms(f.path("latency").path("p50Ms").asDouble()),
                    Report.ms(f.path("latency").path("p99Ms").asDouble()),
                    Report.ms(f.path("lastRecipient").path("p99Ms").asDouble()),
                    x.path("fanoutCpuUsPerDelivery").asDouble(), RecoveryReport.status(r)));
        }
        return md.isEmpty() ? "" : md.append('\n').toString();
    }

    static String oneLine(Object r) {
        if (!(r instanceof Result x)) {
            return null;
        }
        return String.format("%,d connections on %d nodes, %,d held at end, lost %s; heap %.0f B / conn, RSS %.0f B / conn, "
                        + "heartbeats %.2f µs / conn / s; fan-out %,d of %,d delivered, p99 %s",
                x.connections(), x.nodes(), x.heldAtEnd(), x.lost(), x.heapPerConnectionBytes(), x.rssPerConnectionBytes(),
                x.heartbeatCpuUsPerConnectionPerS(), x.fanout().delivered(), x.fanout().expected(),
                Report.ms(x.fanout().latency().p99Ms()));
    }

    /** Every connection held through the hold and the fan-out, every message delivered to every one. */
    static void check(JsonNode res, String where, List<String> problems) {
        for (String f : List.of("heapPerConnectionBytes", "rssPerConnectionBytes", "heartbeatCpuUsPerConnectionPerS",
                "fanoutCpuUsPerDelivery")) {
            if (!res.path(f).isNumber() || !Double.isFinite(res.path(f).asDouble())) {
                problems.add(where + ": /" + f + " missing or not a finite number (" + res.path(f) + ")");
            }
        }
        int n = res.path("connections").asInt();
        if (n <= 0 || res.path("connect").path("ready").asInt() != n) {
            problems.add(where + ": " + res.path("connect").path("ready") + " of " + n + " connected");
        }
        // Each node counts its sockets; the fan-out's publisher is one more on the first node.
        if (res.path("heldAtEnd").asInt() != n + 1 || !res.path("lost").isEmpty()) {
            problems.add(where + ": " + res.path("heldAtEnd") + " sockets held at the end of " + (n + 1)
                    + ", lost by the clients " + res.path("lost"));
        }
        JsonNode f = res.path("fanout");
        if (f.path("published").asLong() <= 0 || f.path("delivered").asLong() != f.path("expected").asLong()) {
            problems.add(where + ": fan-out delivered " + f.path("delivered") + " of " + f.path("expected"));
        }
    }
}
