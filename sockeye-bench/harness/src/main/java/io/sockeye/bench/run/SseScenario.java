package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-Sent Events against WebSocket (docs/sse.md): one standalone server with its limits opened; N
 * subscribers of one room over SSE ({@code GET /sse?rooms=room}), then the same N over WebSocket speaking
 * the standalone protocol ({@code subscribe}); in each case one WebSocket publisher sends
 * {@code publish({room, event, data})} at a few fixed rates (a warm-up step first, not recorded). Per transport
 * and step: deliveries per second, delivery latency, the server's CPU (user + system) per delivery, and
 * whether every message reached every subscriber; and the bytes the subscribers read per delivery (HTTP chunks
 * or WebSocket frames, each with its {@code meta}).
 */
final class SseScenario {

    static final String PEER = "sockeye-sse";
    static final List<String> TRANSPORTS = List.of("sse", "websocket");

    /**
     * One transport's subscribers and its fixed steps; {@code protocolErrors}: what the generators could not
     * read meanwhile (a data line without a send time, a refused publish, an unexpected packet).
     */
    record Transport(String transport, Results.Connect connect, List<Results.FanoutStep> steps, long protocolErrors) {
    }

    record Result(int subscribers, List<Transport> transports) {
    }

    private SseScenario() {
    }

    static int subscribers(Plan plan) {
        return plan.name().equals("quick") ? 50 : 1_000;
    }

    /** Messages published per second, step by step: the deliveries per second are N times these. */
    static List<Double> publishRates(Plan plan) {
        return plan.name().equals("quick") ? List.of(20.0, 40.0) : List.of(10.0, 20.0, 40.0);
    }

    static Result run(Env env, Load load) throws Exception {
        int n = subscribers(env.plan);
        PeerProcess peer = PeerProcess.startGateway(env, PEER, GatewayScenario.OPEN_LIMITS);
        try {
            List<Transport> transports = new ArrayList<>();
            for (String transport : TRANSPORTS) {
                transports.add(measure(env, load, peer, transport, n));
            }
            return new Result(n, transports);
        } finally {
            peer.close();
        }
    }

    private static Transport measure(Env env, Load load, PeerProcess peer, String transport, int n) throws Exception {
        Plan plan = env.plan;
        List<GeneratorProcess> gens = load.generatorsFor(n + 1);
        try {
            long errorsBefore = protocolErrors(load, gens);
            Results.Connect connect = load.connect(gens, n, Plan.CONNECT_CONCURRENCY,
                    spec(peer, transport.equals("sse") ? "SSE" : "STANDALONE", "SUBSCRIBER", 30_000 + n * 10L));
            if (connect.ready() < n) {
                throw new IllegalStateException(transport + ": " + connect.ready() + " of " + n + " subscribers ready: "
                        + connect.failures());
            }
            Map<String, Object> publisher = spec(peer, "STANDALONE", "PUBLISHER", 30_000);
            publisher.put("op", "connect");
            publisher.put("count", 1);
            publisher.put("concurrency", 1);
            if (gens.get(0).call(publisher, 90_000).get("ready").asInt() != 1) {
                throw new IllegalStateException("publisher connection failed");
            }
            FanoutScenario.Stepper stepper = new FanoutScenario.Stepper(plan, load, gens, List.of(peer.pid()), n,
                    env.generatorCores());
            List<Double> rates = publishRates(plan);
            stepper.step(rates.get(0) * n, plan.fanoutWarmupMs());
            List<Results.FanoutStep> steps = new ArrayList<>();
            for (double rate : rates) {
                steps.add(stepper.step(rate * n, plan.fanoutStepMs()));
            }
            return new Transport(transport, connect, steps, protocolErrors(load, gens) - errorsBefore);
        } finally {
            load.closeConnections();
        }
    }

    /** The generators' protocol errors so far (they count from their start, over every scenario). */
    private static long protocolErrors(Load load, List<GeneratorProcess> gens) throws Exception {
        long sum = 0;
        for (JsonNode s : load.callAll(gens, Map.of("op", "stats"), 30_000)) {
            sum += s.path("protocolErrors").asLong();
        }
        return sum;
    }

    private static Map<String, Object> spec(PeerProcess peer, String mode, String role, long timeoutMs) {
        Map<String, Object> spec = new LinkedHashMap<>(Load.spec(PeerKind.SOCKEYE, List.of(peer.port), role,
                FanoutScenario.ROOM, timeoutMs));
        spec.put("mode", mode);
        if (mode.equals("SSE")) {
            spec.put("path", "/sse");
        }
        return spec;
    }

    // ---- report and check ----

    static double cpuUsPerDelivery(JsonNode step) {
        long delivered = step.path("delivered").asLong();
        return delivered > 0 ? Load.round(step.path("serverCpuMs").asDouble() * 1000 / delivered) : -1;
    }

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        for (JsonNode r : doc.path("runs")) {
            if (!r.path("scenario").asText().equals("sse") || !r.path("result").isObject()) {
                continue;
            }
            JsonNode x = r.path("result");
            md.append(String.format("## SSE against WebSocket: one room, %,d subscribers (run %d)%n%n",
                    x.path("subscribers").asInt(), r.path("repeat").asInt() + 1))
                    .append("| transport | published/s | delivered/s | p50 | p99 | server CPU µs / delivery "
                            + "| bytes read / delivery | delivered / expected |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
            for (JsonNode t : x.path("transports")) {
                for (JsonNode s : t.path("steps")) {
                    md.append(String.format("| %s | %s | %s | %s | %s | %.2f | %.0f | %,d / %,d |%n", t.path("transport").asText(),
                            Report.rate(s.path("publishRate").asDouble()), Report.rate(s.path("deliveredPerS").asDouble()),
                            Report.ms(s.path("latency").path("p50Ms").asDouble()),
                            Report.ms(s.path("latency").path("p99Ms").asDouble()), cpuUsPerDelivery(s),
                            s.path("wireBytesPerDelivery").asDouble(),
                            s.path("delivered").asLong(), s.path("expected").asLong()));
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    static String oneLine(Object r) {
        if (!(r instanceof Result x)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Transport t : x.transports()) {
            Results.FanoutStep last = t.steps().get(t.steps().size() - 1);
            parts.add(String.format("%s %,.0f deliveries/s, p99 %s, %d of %d delivered", t.transport(),
                    last.deliveredPerS(), Report.ms(last.latency().p99Ms()), last.delivered(), last.expected()));
        }
        return x.subscribers() + " subscribers, last step: " + String.join("; ", parts);
    }

    /** Both transports ran with every subscriber connected and no protocol error, and every message reached every subscriber. */
    static void check(JsonNode res, String where, List<String> problems) {
        List<String> seen = new ArrayList<>();
        for (JsonNode t : res.path("transports")) {
            String name = t.path("transport").asText();
            seen.add(name);
            if (t.path("connect").path("ready").asInt() != res.path("subscribers").asInt(-1)) {
                problems.add(where + ": " + name + ": " + t.path("connect").path("ready") + " of " + res.path("subscribers")
                        + " subscribers connected");
            }
            if (t.path("protocolErrors").asLong(-1) != 0) {
                problems.add(where + ": " + name + ": " + t.path("protocolErrors") + " protocol errors");
            }
            if (t.path("steps").isEmpty()) {
                problems.add(where + ": " + name + ": no step");
            }
            for (JsonNode s : t.path("steps")) {
                long expected = s.path("expected").asLong();
                if (expected <= 0 || s.path("delivered").asLong() != expected) {
                    problems.add(where + ": " + name + " at " + s.path("publishRate") + "/s: " + s.path("delivered")
                            + " of " + expected + " delivered");
                }
                if (!Double.isFinite(s.path("latency").path("p99Ms").asDouble(Double.NaN)) || cpuUsPerDelivery(s) <= 0) {
                    problems.add(where + ": " + name + " at " + s.path("publishRate") + "/s: p99 or CPU missing");
                }
            }
        }
        if (!seen.equals(TRANSPORTS)) {
            problems.add(where + ": transports " + seen + ", expected " + TRANSPORTS);
        }
    }
}
