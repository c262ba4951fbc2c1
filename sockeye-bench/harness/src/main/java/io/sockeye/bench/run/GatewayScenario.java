package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sockeye.bench.generator.HistogramCodec;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import io.sockeye.testkit.KafkaBroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The standalone server as a gateway (docs/proxy.md), closed loops of C connections (the echo scenario's
 * count, one request in flight each):
 * <ol>
 *   <li>{@code rpc} through the rpc proxy to a backend that answers after 50 ms: rpc/s and round-trip latency;</li>
 *   <li>{@code publish} to a plain room, then again while other clients' rpc calls (C/5 of them) hang on a
 *       backend that never answers: a hanging backend must not slow anyone else's publishes;</li>
 *   <li>{@code publish} forwarded into Redis Streams, NATS JetStream and Kafka (one server per broker): the
 *       ack waits for the broker, so round trips/s is client events forwarded per second.</li>
 * </ol>
 * Everything runs on this machine's loopback; the brokers share the server's CPU.
 */
final class GatewayScenario {

    static final long BACKEND_DELAY_MS = 50;
    private static final Pattern PROXY_ERROR = Pattern.compile("^sockeye_proxy_errors_total\\{([^}]*)} ([0-9.eE+-]+)$",
            Pattern.MULTILINE);
    private static final Pattern ERROR_LABEL = Pattern.compile("error=\"([^\"]*)\"");
    static final List<String> OPEN_LIMITS = List.of("--events-per-second", "1000000", "--event-burst", "1000000",
            "--max-connections-per-ip", "1000000", "--handshakes-per-second", "1000000",
            "--handshakes-per-second-per-ip", "1000000");

    private GatewayScenario() {
    }

    /**
     * Only the rpc loop (no publishes, no brokers), for a profile or a before/after pair of the rpc path:
     * {@code BENCH_JAVA_OPTS=-Dsockeye.bench.gatewayRpcOnly=true}.
     */
    private static final boolean RPC_ONLY = Boolean.getBoolean("sockeye.bench.gatewayRpcOnly");

    /** One measured closed loop; {@code refused}: answers {@code {ok: false}} by error code. */
    private record Loop(long roundTrips, double perS, Results.Latency latency, Map<String, Long> refused) {

        long refusedCount() {
            return refused.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The rpc loop: what the clients saw, and what it cost the server. */
    private record Rpc(Loop loop, double serverCpuUsPerCall, Map<String, Long> proxyErrors) {
    }

    static String unavailableReason() {
        if (!RedisServer.available()) {
            return "redis-server is not installed (apt-get install redis-server)";
        }
        if (!Env.commandWorks("nats-server", "--version")) {
            return "nats-server is not installed (apt-get install nats-server)";
        }
        return null;
    }

    static Results.Gateway run(Env env, Load load) throws Exception {
        int c = Math.min(env.plan.echoConnections(), Plan.GENERATOR_MAX_CONNECTIONS);
        int hung = Math.max(10, c / 5);
        Results.Connect connect;
        Rpc rpc;
        Loop baseline = null;
        Loop withHung = null;
        int hungReached = 0;
        try (RpcBackend backend = RpcBackend.start(BACKEND_DELAY_MS)) {
            int metricsPort = Env.freePort();
            List<String> flags = new ArrayList<>(OPEN_LIMITS);
            flags.addAll(List.of("--proxy-rpc-url", backend.url("/rpc"), "--proxy-rpc-timeout", "300s",
                    "--proxy-rpc-max-concurrency", "1000000", "--metrics-port", String.valueOf(metricsPort)));
            PeerProcess peer = PeerProcess.startGateway(env, "sockeye-gateway", flags);
            try {
                GeneratorProcess gen = load.generatorsFor(c).get(0);
                connect = connect(load, gen, peer, c);
                loop(env, gen, "rpc", "bench", env.plan.echoWarmupMs());
                Map<String, Long> errorsBefore = proxyErrors(metricsPort);
                long cpuBefore = peer.cpuMillis();
                ProcStats.Cpu splitBefore = ProcStats.cpu(peer.pid());
                double loadBefore = ProcStats.loadAverage();
                Loop measured = loop(env, gen, "rpc", "bench", env.plan.echoMs());
                double cpuUs = (peer.cpuMillis() - cpuBefore) * 1000.0;
                ProcStats.Cpu split = ProcStats.cpu(peer.pid());
                if (split != null && splitBefore != null && measured.roundTrips() > 0) {
                    // The user/system split of the CPU per call, with the load it was taken at, on the console.
                    ProcStats.Cpu d = split.minus(splitBefore);
                    System.out.printf("gateway rpc: %d calls, %.0f rpc/s, server CPU per rpc %.0f µs user + %.0f µs system,"
                                    + " load %.1f -> %.1f%n", measured.roundTrips(), measured.perS(),
                            d.userMs() * 1000.0 / measured.roundTrips(), d.systemMs() * 1000.0 / measured.roundTrips(),
                            loadBefore, ProcStats.loadAverage());
                }
                Map<String, Long> errors = proxyErrors(metricsPort);
                errorsBefore.forEach((k, v) -> errors.merge(k, -v, Long::sum));
                errors.values().removeIf(v -> v == 0);
                rpc = new Rpc(measured, measured.roundTrips() > 0 ? Load.round(cpuUs / measured.roundTrips()) : -1, errors);
                if (RPC_ONLY) {
                    return new Results.Gateway(c, connect, BACKEND_DELAY_MS, measured.perS(), measured.latency(),
                            measured.refusedCount(), measured.refused(), rpc.proxyErrors(), rpc.serverCpuUsPerCall(),
                            0, null, 0, 0, null, 0, Map.of());
                }
                loop(env, gen, "publish", "plain", env.plan.echoWarmupMs());
                baseline = loop(env, gen, "publish", "plain", env.plan.echoMs());
                try (HangingClients hanging = HangingClients.open(peer.port, hung)) {
                    // On a busy machine a client may miss its handshake: 90% of the calls hanging will do, counted.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (backend.hung() < hung && System.nanoTime() < deadline) {
                        TimeUnit.MILLISECONDS.sleep(20);
                    }
                    hungReached = backend.hung();
                    if (hungReached < hung * 9 / 10) {
                        throw new IllegalStateException(hungReached + " of " + hung + " rpc calls reached the backend");
                    }
                    withHung = loop(env, gen, "publish", "plain", env.plan.echoMs());
                }
            } finally {
                load.closeConnections();
                peer.close();
            }
        }
        Map<String, Results.GatewayForward> forwarding = new LinkedHashMap<>();
        for (String broker : List.of("redis", "nats", "kafka")) {
            forwarding.put(broker, forward(env, load, c, broker));
        }
        Loop r = rpc.loop();
        return new Results.Gateway(c, connect, BACKEND_DELAY_MS, r.perS(), r.latency(), r.refusedCount(), r.refused(),
                rpc.proxyErrors(), rpc.serverCpuUsPerCall(), baseline.perS(), baseline.latency(), hungReached,
                withHung.perS(), withHung.latency(), withHung.refusedCount(), forwarding);
    }

    private static Results.Connect connect(Load load, GeneratorProcess gen, PeerProcess peer, int c) throws Exception {
        Results.Connect connect = load.connect(List.of(gen), c, Plan.CONNECT_CONCURRENCY,
                Load.spec(PeerKind.SOCKEYE, List.of(peer.port), "ECHO", null, 30_000 + c * 10L));
        if (connect.ready() == 0) {
            throw new IllegalStateException("no connection became ready: " + connect.failures());
        }
        return connect;
    }

    private static Loop loop(Env env, GeneratorProcess gen, String event, String room, long ms) throws Exception {
        JsonNode r = gen.call(Map.of("op", "echo", "event", event, "room", room, "durationMs", ms,
                "payloadBytes", env.plan.payloadBytes()), ms + 60_000);
        long n = r.get("roundTrips").asLong();
        double seconds = r.get("elapsedNanos").asLong() / 1e9;
        Map<String, Long> refused = new TreeMap<>();
        r.path("refusedByCode").fields().forEachRemaining(e -> refused.put(e.getKey(), e.getValue().asLong()));
        return new Loop(n, Load.round(n / seconds), Results.Latency.of(HistogramCodec.decode(r.get("latencyUs").asText())),
                refused);
    }

    /** The server's {@code sockeye_proxy_errors_total{kind="rpc"}} by {@code error}: why calls were unavailable. */
    private static Map<String, Long> proxyErrors(int metricsPort) throws IOException {
        Map<String, Long> errors = new TreeMap<>();
        String text = StandaloneServer.get(metricsPort, "/metrics");
        Matcher m = PROXY_ERROR.matcher(text);
        while (m.find()) {
            if (m.group(1).contains("kind=\"rpc\"")) {
                Matcher error = ERROR_LABEL.matcher(m.group(1));
                errors.merge(error.find() ? error.group(1) : "?", (long) Double.parseDouble(m.group(2)), Long::sum);
            }
        }
        return errors;
    }

    /** Publishes forwarded into one broker, on a server of their own. */
    private static Results.GatewayForward forward(Env env, Load load, int c, String broker) throws Exception {
        Path dir = Files.createTempDirectory(env.logs, "gateway-" + broker);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            List<String> flags = new ArrayList<>(OPEN_LIMITS);
            switch (broker) {
                case "redis" -> {
                    RedisServer redis = RedisServer.start(env);
                    started.add(redis);
                    flags.addAll(List.of("--forward-redis-url", redis.uri(), "--forward-redis-streams", "bench=bench-events",
                            "--forward-redis-max-len", "100000"));
                }
                case "nats" -> {
                    int port = FreePorts.next();
                    ChildProcess nats = ChildProcess.command("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port),
                            "-js", "-sd", dir.toString()).name("gateway-nats").start();
                    started.add(nats);
                    nats.awaitLine("Server is ready", Duration.ofSeconds(20));
                    flags.addAll(List.of("--forward-nats-url", "nats://127.0.0.1:" + port, "--forward-nats-rooms", "bench"));
                }
                default -> {
                    KafkaBroker kafka = KafkaBroker.start(env.root, dir);
                    started.add(kafka);
                    flags.addAll(List.of("--forward-kafka-brokers", kafka.bootstrap(), "--forward-kafka-topics", "bench=bench-events"));
                }
            }
            PeerProcess peer = PeerProcess.startGateway(env, "sockeye-gateway-" + broker, flags);
            started.add(peer);
            try {
                GeneratorProcess gen = load.generatorsFor(c).get(0);
                connect(load, gen, peer, c);
                loop(env, gen, "publish", "bench", env.plan.echoWarmupMs());
                Loop l = loop(env, gen, "publish", "bench", env.plan.echoMs());
                return new Results.GatewayForward(l.roundTrips(), l.perS(), l.latency(), l.refusedCount());
            } finally {
                load.closeConnections();
            }
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            deleteTree(dir); // the broker's data: the next run cleans the logs directory, files only
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
