package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark runner behind {@code bench/run}: starts each peer server in turn (a fresh process per
 * scenario, pinned to one CPU), drives it with generator processes pinned to the other, and writes
 * results.json, results.md and PNG plots to the output directory after every run (a crash keeps what
 * was measured).
 *
 * <pre>
 * bench/run [--quick] [--peers sockeye,node,...] [--scenarios idle,fanout,acked,echo,storm,cluster,gateway,soak,retained,recovery,coldstorm,scale,sse]
 *           [--repeat N] [--out DIR] [--fanout-sizes N,...] [--fanout-burst K] [--check]
 * </pre>
 * The soak runs in quick mode by default; a full run leaves it out unless {@code --scenarios} names it,
 * and {@code --scenarios soak} alone writes to {@code bench/results/soak}. It runs once, whatever
 * {@code --repeat} says. The scale scenario (100,000 connections over a cluster, a 5-minute hold) is left
 * out of a full run in the same way, and runs small in quick mode.
 * {@code --check} validates the written results (every scenario ran or says why not; well-formed numbers;
 * plots decode) and exits 1 if not: the CI smoke test. It never judges speed.
 */
public final class BenchMain {

    static final List<String> SCENARIOS = List.of("idle", "fanout", "acked", "echo", "storm", "cluster", "gateway", "soak",
            "retained", "recovery", "coldstorm", "scale", "sse");
    /**
     * The long soak takes over an hour and the scale scenario about ten minutes with every CPU busy: a full
     * run leaves them out unless asked for ({@code --scenarios soak}, {@code --scenarios scale}).
     */
    static final List<String> FULL_DEFAULT = List.of("idle", "fanout", "acked", "echo", "storm", "cluster", "gateway",
            "retained", "recovery", "coldstorm", "sse");
    /** Scenarios of one configuration of Sockeye's own, run once per repeat rather than once per peer. */
    static final List<String> SOCKEYE_ONLY = List.of("cluster", "gateway", "soak", "retained", "recovery",
            "coldstorm", "scale", "sse");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Env env;
    private final List<PeerKind> peers;
    private final List<String> scenarios;
    private final Map<PeerKind, String> unavailable = new EnumMap<>(PeerKind.class);
    private final List<Results.Run> runs = new ArrayList<>();
    private final Instant started = Instant.now();
    private final Map<String, Object> machine;

    private BenchMain(Env env, List<PeerKind> peers, List<String> scenarios) {
        this.env = env;
        this.peers = peers;
        this.scenarios = scenarios;
        this.machine = env.machine();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if (opts.containsKey("report")) {
            System.exit(rebuild(Path.of(opts.get("report")), opts.containsKey("check")));
        }
        Plan plan = opts.containsKey("quick") ? Plan.quick() : Plan.full();
        if (opts.containsKey("repeat")) {
            plan = plan.withRepeats(Integer.parseInt(opts.get("repeat")));
        }
        if (opts.containsKey("fanout-sizes")) { // e.g. a profiling run of one size only
            plan = plan.withFanoutSizes(Arrays.stream(opts.get("fanout-sizes").split(","))
                    .map(String::trim).map(Integer::valueOf).toList());
        }
        if (opts.containsKey("fanout-burst")) { // pipelined publisher: broadcasts queue in one server flush
            plan = plan.withFanoutBurst(Integer.parseInt(opts.get("fanout-burst")));
        }
        Path root = Path.of(opts.getOrDefault("root", ".")).toAbsolutePath().normalize();
        List<PeerKind> peers = Arrays.stream(opts.getOrDefault("peers",
                        "sockeye,node,node-native,netty-socketio,raw-netty").split(","))
                .map(String::trim).map(PeerKind::byId).toList();
        List<String> scenarios = Arrays.stream(opts.getOrDefault("scenarios",
                        String.join(",", opts.containsKey("quick") ? SCENARIOS : FULL_DEFAULT)).split(","))
                .map(String::trim).toList();
        String defaultOut = scenarios.equals(List.of("soak")) && !opts.containsKey("quick") ? "soak" : plan.name();
        Path out = Path.of(opts.getOrDefault("out", root.resolve("bench/results/" + defaultOut).toString()))
                .toAbsolutePath().normalize();
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario '" + s + "'; known: " + SCENARIOS);
            }
        }
        if (Files.exists(out)) {
            clean(out);
        }
        Files.createDirectories(out);
        Env env = new Env(root, out, plan);
        BenchMain bench = new BenchMain(env, peers, scenarios);
        int status = 0;
        try {
            bench.run();
        } finally {
            env.closeChildren();
        }
        if (opts.containsKey("check")) {
            ResultsCheck.Outcome outcome = ResultsCheck.checkAll(out, peers.stream().map(p -> p.id).toList(), scenarios);
            outcome.problems().forEach(p -> System.out.println("bench check: " + p));
            // The plain closing line CI reads: runs whose results are complete and well-formed, and the rest.
            System.out.println("smoke: " + outcome.passed() + " passed, " + outcome.failed() + " failed");
            status = outcome.failed() == 0 && outcome.problems().isEmpty() ? 0 : 1;
        }
        System.exit(status);
    }

    private void run() throws Exception {
        Plan plan = env.plan;
        detectPeers();
        say("Sockeye benchmark, " + plan.name() + " mode, " + plan.repeats() + " repeat(s); results in " + env.out);
        say("machine: " + machine.get("cpus") + " CPUs, load " + machine.get("loadAverageAtStart") + ", " + machine.get("pinning"));
        unavailable.forEach((k, why) -> say("  " + k.id + ": skipped (" + why + ")"));
        if (scenarios.contains("fanout")) {
            measureFloor();
        }
        try (Load load = new Load(env); Peers processes = new Peers(env, plan.reusePeers())) {
            for (int repeat = 0; repeat < plan.repeats(); repeat++) {
                // Rotate the order each repeat so no server always runs first (or on a warmer machine).
                List<PeerKind> order = new ArrayList<>(peers);
                java.util.Collections.rotate(order, -repeat);
                if (plan.reusePeers()) {
                    // Peer by peer, one server process for all of its scenarios (see Peers).
                    for (PeerKind p : order) {
                        for (String scenario : scenarios) {
                            if (!SOCKEYE_ONLY.contains(scenario)) {
                                runScenario(load, processes, scenario, List.of(p), repeat);
                            }
                        }
                        processes.close();
                    }
                    for (String scenario : SOCKEYE_ONLY) {
                        if (scenarios.contains(scenario)) {
                            runScenario(load, processes, scenario, order, repeat);
                        }
                    }
                } else {
                    for (String scenario : scenarios) {
                        runScenario(load, processes, scenario, order, repeat);
                    }
                }
            }
        }
        write();
        System.out.println();
        System.out.print(Report.summary(JSON.readTree(env.out.resolve("results.json").toFile())));
    }

    /** The kernel's own time to put a message into a fan-out's sockets (LoopbackFloor), in the machine record. */
    private void measureFloor() {
        Plan plan = env.plan;
        int n = plan.fanoutSizes().stream().min(Integer::compare).orElse(1_000);
        Object floor;
        try {
            Results.Floor f = LoopbackFloor.measure(n, plan.fanoutStartDelivered() / n,
                    LoopbackFloor.fanoutFrameBytes(plan.payloadBytes()), plan.fanoutWarmupMs(), plan.fanoutStepMs());
            say(String.format("loopback floor, %,d sockets at %.0f bursts/s: recipient p50 %s, p99 %s; last recipient p99 %s",
                    n, f.burstsPerS(), Report.ms(f.recipient().p50Ms()), Report.ms(f.recipient().p99Ms()),
                    Report.ms(f.lastRecipient().p99Ms())));
            floor = f;
        } catch (Exception e) {
            say("loopback floor: failed (" + e + ")");
            floor = Map.of("error", String.valueOf(e));
        }
        machine.put("loopbackFloor", floor);
    }

    private void runScenario(Load load, Peers processes, String scenario, List<PeerKind> order, int repeat) throws Exception {
        Plan plan = env.plan;
        switch (scenario) {
            case "idle" -> {
                for (int n : plan.idleSizes()) {
                    for (PeerKind p : order) {
                        runOne(scenario, p, n, repeat, () -> IdleScenario.run(env, load, processes, p, n));
                    }
                }
            }
            case "fanout" -> {
                for (int n : plan.fanoutSizes()) {
                    for (PeerKind p : order) {
                        runOne(scenario, p, n, repeat, () -> FanoutScenario.single(env, load, processes, p, n));
                    }
                }
            }
            case "acked" -> {
                for (PeerKind p : order) {
                    runOne(scenario, p, AckedFanoutScenario.subscribers(plan), repeat,
                            () -> AckedFanoutScenario.run(env, load, processes, p));
                }
            }
            case "echo" -> {
                for (PeerKind p : order) {
                    runOne(scenario, p, plan.echoConnections(), repeat, () -> EchoScenario.run(env, load, processes, p));
                }
            }
            case "storm" -> {
                for (PeerKind p : order) {
                    runOne(scenario, p, plan.stormClients(), repeat, () -> StormScenario.run(env, load, processes, p));
                }
            }
            case "cluster" -> {
                String why = ClusterScenario.unavailableReason();
                String id = "sockeye-cluster-" + plan.clusterNodes();
                if (why != null) {
                    record(new Results.Run(scenario, id, plan.clusterSubscribers(), repeat, "skipped", why, 0, null));
                } else {
                    runMeasured(scenario, id, plan.clusterSubscribers(), repeat, () -> ClusterScenario.run(env, load));
                }
            }
            case "soak" -> {
                if (repeat > 0) {
                    return; // judged by its own criteria, not compared across repeats: once is enough
                }
                for (int nodes : List.of(1, 2)) {
                    String id = nodes == 1 ? "sockeye-server" : "sockeye-server-cluster-" + nodes;
                    String why = SoakScenario.unavailableReason(env, nodes);
                    if (why != null) {
                        record(new Results.Run(scenario, id, nodes, repeat, "skipped", why, 0, null));
                    } else {
                        runMeasured(scenario, id, nodes, repeat, () -> SoakScenario.run(env, nodes));
                    }
                }
            }
            case "gateway" -> {
                String why = GatewayScenario.unavailableReason();
                if (why != null) {
                    record(new Results.Run(scenario, "sockeye-gateway", plan.echoConnections(), repeat, "skipped", why, 0, null));
                } else {
                    runMeasured(scenario, "sockeye-gateway", plan.echoConnections(), repeat, () -> GatewayScenario.run(env, load));
                }
            }
            case "retained" -> {
                for (int bytes : RetainedScenario.PAYLOADS) {
                    runMeasured(scenario, RecoveryReport.ONE_NODE, bytes, repeat, () -> RetainedScenario.run(env, bytes));
                }
            }
            case "recovery" -> {
                int n = RecoveryStormScenario.clients(plan);
                // -Dsockeye.bench.recoveryNodes=2 (or 1): one of the two storms alone. Both run in one runner:
                // each storm's clients close every socket they opened before the next starts.
                String nodes = System.getProperty("sockeye.bench.recoveryNodes", "1,2");
                if (nodes.contains("1")) {
                    say("[recovery] the runner holds " + RecoveryStormScenario.openFiles() + " open files before the 1-node storm");
                    runMeasured(scenario, RecoveryReport.ONE_NODE, n, repeat, () -> RecoveryStormScenario.run(env, 1));
                }
                String why = RecoveryStormScenario.clusterUnavailableReason();
                if (!nodes.contains("2")) {
                    return;
                } else if (why != null) {
                    record(new Results.Run(scenario, RecoveryReport.TWO_NODES, n, repeat, "skipped", why, 0, null));
                } else {
                    say("[recovery] the runner holds " + RecoveryStormScenario.openFiles() + " open files before the 2-node storm");
                    runMeasured(scenario, RecoveryReport.TWO_NODES, n, repeat, () -> RecoveryStormScenario.run(env, 2));
                }
            }
            case "coldstorm" -> {
                int n = Math.min(plan.stormClients(), Plan.GENERATOR_MAX_CONNECTIONS);
                for (String variant : ColdStormScenario.VARIANTS) {
                    String why = variant.equals(ColdStormScenario.NODE) ? nodeProblem() : null;
                    if (why != null) {
                        record(new Results.Run(scenario, variant, n, repeat, "skipped", why, 0, null));
                    } else {
                        runMeasured(scenario, variant, n, repeat, () -> ColdStormScenario.run(env, load, variant));
                    }
                }
            }
            case "scale" -> {
                String why = ScaleScenario.unavailableReason();
                ScaleScenario.Sizes size = ScaleScenario.sizes(plan);
                String id = "sockeye-scale-" + size.nodes();
                if (why != null) {
                    record(new Results.Run(scenario, id, size.connections(), repeat, "skipped", why, 0, null));
                } else {
                    runMeasured(scenario, id, size.connections(), repeat, () -> ScaleScenario.run(env, load));
                }
            }
            case "sse" -> runMeasured(scenario, SseScenario.PEER, SseScenario.subscribers(plan), repeat,
                    () -> SseScenario.run(env, load));
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    interface Measurement {
        Object run() throws Exception;
    }

    private void runOne(String scenario, PeerKind peer, int size, int repeat, Measurement m) throws Exception {
        if (unavailable.containsKey(peer)) {
            record(new Results.Run(scenario, peer.id, size, repeat, "skipped", unavailable.get(peer), 0, null));
            return;
        }
        if (size > Plan.SERVER_MAX_CONNECTIONS) {
            record(new Results.Run(scenario, peer.id, size, repeat, "skipped",
                    "more connections than one server process can hold (20,000 open files)", 0, null));
            return;
        }
        runMeasured(scenario, peer.id, size, repeat, m);
    }

    private void runMeasured(String scenario, String peer, int size, int repeat, Measurement m) throws Exception {
        long t0 = System.nanoTime();
        Results.Run run;
        try {
            Object result = m.run();
            run = new Results.Run(scenario, peer, size, repeat, "ok", null, seconds(t0), result);
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            run = new Results.Run(scenario, peer, size, repeat, "failed", reason, seconds(t0), null);
        }
        record(run);
    }

    private void record(Results.Run run) throws Exception {
        runs.add(run);
        say(String.format("[%s %d%s] %-16s %s", run.scenario(), run.size(),
                env.plan.repeats() > 1 ? " #" + (run.repeat() + 1) : "", run.peer(), Report.oneLine(run)));
        write();
    }

    private void detectPeers() {
        for (PeerKind p : peers) {
            String why = switch (p) {
                case SOCKEYE, SOCKEYE_CSR, SOCKEYE_DEFLATE, SOCKEYE_MSGPACK, RAW_NETTY -> null;
                case SOCKEYE_IO_URING -> ioUringProblem();
                case NETTY_SOCKETIO -> env.nettySocketIoClasspath == null
                        ? "sockeye-bench/netty-socketio-peer is not built" : null;
                case NODE, NODE_DEFLATE -> nodeProblem();
                case NODE_MSGPACK -> {
                    String node = nodeProblem();
                    yield node != null || Files.isDirectory(env.nodeDir.resolve("node_modules/socket.io-msgpack-parser"))
                            ? node : "socket.io-msgpack-parser is not installed in bench/peers/node (bench/run runs npm ci there)";
                }
                case NODE_NATIVE -> {
                    String node = nodeProblem();
                    if (node != null) {
                        yield node;
                    }
                    yield Env.commandOutput(env.nodeDir, "node", "-e", "require('bufferutil');require('utf-8-validate')") == null
                            ? "bufferutil / utf-8-validate did not build or load" : null;
                }
            };
            if (why != null) {
                unavailable.put(p, why);
            }
        }
    }

    /** Why io_uring cannot run here (the kernel or a sandbox refuses it), or null. */
    private static String ioUringProblem() {
        try {
            return io.netty.channel.uring.IoUring.isAvailable() ? null
                    : "io_uring is not available here: " + io.netty.channel.uring.IoUring.unavailabilityCause();
        } catch (LinkageError e) {
            return "the io_uring transport is not on the class path: " + e;
        }
    }

    private String nodeProblem() {
        if (Env.commandOutput(null, "node", "--version") == null) {
            return "node is not installed";
        }
        if (!Files.isDirectory(env.nodeDir.resolve("node_modules/socket.io"))) {
            return "socket.io is not installed in bench/peers/node (bench/run runs npm ci there)";
        }
        return null;
    }

    /** Writes results.json, then the markdown and plots made from it. */
    private synchronized void write() throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("mode", env.plan.name());
        doc.put("startedAt", started.toString());
        doc.put("writtenAt", Instant.now().toString());
        doc.put("durationS", seconds(started));
        doc.put("machine", machine);
        doc.put("plan", env.plan);
        List<Map<String, Object>> peerList = new ArrayList<>();
        for (PeerKind p : peers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id);
            m.put("label", p.label);
            m.put("available", !unavailable.containsKey(p));
            m.put("reason", unavailable.get(p));
            peerList.add(m);
        }
        doc.put("peers", peerList);
        doc.put("scenarios", scenarios);
        doc.put("runs", runs);
        Path json = env.out.resolve("results.json");
        Path tmp = env.out.resolve("results.json.tmp");
        JSON.writeValue(tmp.toFile(), doc);
        Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        var tree = JSON.readTree(json.toFile());
        Files.writeString(env.out.resolve("results.md"), Report.markdown(tree));
        ReportPlots.plots(tree, env.out);
    }

    private static double seconds(long t0) {
        return Load.round((System.nanoTime() - t0) / 1e9);
    }

    private static double seconds(Instant t0) {
        return Load.round((Instant.now().toEpochMilli() - t0.toEpochMilli()) / 1000.0);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Removes what a previous run left in the output directory (only files this runner writes). */
    private static void clean(Path out) throws Exception {
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("results.") || name.endsWith(".png")) {
                    Files.delete(f);
                }
            }
        }
        Path logs = out.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * {@code --report DIR}: rebuilds results.md and the plots from DIR/results.json, judging the soak runs
     * again from their samples with the current criteria (the samples are what was measured; the verdict is
     * SoakJudge's); with {@code --check}, checks the result as after a run.
     */
    private static int rebuild(Path dir, boolean check) throws Exception {
        Path json = dir.resolve("results.json");
        com.fasterxml.jackson.databind.node.ObjectNode doc =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json.toFile());
        for (com.fasterxml.jackson.databind.JsonNode run : doc.path("runs")) {
            if (run.path("scenario").asText().equals("soak") && run.path("status").asText().equals("ok")) {
                Results.Soak s = JSON.treeToValue(run.get("result"), Results.Soak.class);
                List<String> problems = SoakJudge.problems(s.servers(), s.series(), s.settle(), s.clientErrors(),
                        s.wellBehavedSessions());
                ((com.fasterxml.jackson.databind.node.ObjectNode) run.get("result")).set("problems", JSON.valueToTree(problems));
            }
        }
        JSON.writeValue(json.toFile(), doc);
        Files.writeString(dir.resolve("results.md"), Report.markdown(doc));
        ReportPlots.plots(doc, dir);
        if (!check) {
            return 0;
        }
        List<String> peers = new ArrayList<>();
        doc.path("peers").forEach(p -> peers.add(p.path("id").asText()));
        List<String> scenarios = new ArrayList<>();
        doc.path("scenarios").forEach(x -> scenarios.add(x.asText()));
        ResultsCheck.Outcome outcome = ResultsCheck.checkAll(dir, peers, scenarios);
        outcome.problems().forEach(p -> System.out.println("bench check: " + p));
        System.out.println("smoke: " + outcome.passed() + " passed, " + outcome.failed() + " failed");
        return outcome.failed() == 0 && outcome.problems().isEmpty() ? 0 : 1;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> m.put("quick", "");
                case "--full" -> m.remove("quick");
                case "--check" -> m.put("check", "");
                case "--peers", "--scenarios", "--repeat", "--out", "--root", "--fanout-sizes",
                     "--fanout-burst", "--report" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    m.put(args[i].substring(2), args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return m;
    }
}
