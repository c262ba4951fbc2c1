package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold storm: the moment of a deploy or a crash, when every client of the lost node reconnects to a node
 * that has just started. A fresh server process is started, and the instant it says it is ready the storm
 * hits it, with no warm-up round by the harness (unlike {@link StormScenario}); then the same storm again
 * once those clients have closed (the warm rate of the same process).
 *
 * <p>The variants: the standalone server as {@code bin/sockeye} starts it (class archive, warm-up before
 * {@code /readyz}), the same without either ({@code --warmup=false}, {@code SOCKEYE_AOT=off}), the embedded
 * server of the other scenarios ({@code SockeyePeer}: the library in a bare JVM, neither archive nor warm-up)
 * and a fresh Node socket.io process (each ready when it listens). The standalone server runs with its limits opened (a
 * storm from one address is what its handshake limits exist to refuse).
 */
final class ColdStormScenario {

    static final String WARM = "sockeye-server";
    static final String UNWARMED = "sockeye-server-unwarmed";
    static final String EMBEDDED = "sockeye-embedded-fresh";
    static final String NODE = "node-fresh";
    static final List<String> VARIANTS = List.of(WARM, UNWARMED, EMBEDDED, NODE);

    record Result(String variant, int clients, double startToReadyMs, Results.StormRound cold,
                  Results.StormRound warm, double coldOverWarm) {
    }

    private ColdStormScenario() {
    }

    static Result run(Env env, Load load, String variant) throws Exception {
        Plan plan = env.plan;
        int n = Math.min(plan.stormClients(), Plan.GENERATOR_MAX_CONNECTIONS);
        GeneratorProcess gen = load.generatorsFor(n).get(0);
        long t0 = System.nanoTime();
        AutoCloseable server = null;
        try {
            int port;
            long pid;
            if (variant.equals(NODE) || variant.equals(EMBEDDED)) {
                PeerKind kind = variant.equals(NODE) ? PeerKind.NODE : PeerKind.SOCKEYE;
                PeerProcess p = PeerProcess.start(env, kind, variant + "-coldstorm", List.of());
                server = p;
                port = p.port;
                pid = p.pid();
            } else {
                List<String> flags = new ArrayList<>(GatewayScenario.OPEN_LIMITS);
                Map<String, String> vars = Map.of();
                if (variant.equals(UNWARMED)) {
                    flags.add("--warmup=false");
                    vars = Map.of("SOCKEYE_AOT", "off");
                }
                StandaloneServer s = StandaloneServer.start(env, variant + "-coldstorm",
                        "-Xms256m -Xmx" + plan.peerHeap() + " -XX:+UseG1GC", flags, vars);
                server = s;
                port = s.port;
                pid = s.pid();
            }
            double startToReadyMs = Load.round((System.nanoTime() - t0) / 1e6);
            Results.StormRound cold = StormScenario.storm(load, gen, port, pid, PeerKind.SOCKEYE, n, plan);
            load.closeConnections();
            Results.StormRound warm = StormScenario.storm(load, gen, port, pid, PeerKind.SOCKEYE, n, plan);
            return new Result(variant, n, startToReadyMs, cold, warm,
                    warm.handshakesPerS() > 0 ? Load.round(cold.handshakesPerS() / warm.handshakesPerS()) : 0);
        } finally {
            load.closeConnections();
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- report and check ----

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        for (JsonNode r : doc.path("runs")) {
            if (!r.path("scenario").asText().equals("coldstorm")) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("## Cold storm: a storm the moment a fresh process is ready\n\n")
                        .append("| server | clients | start to ready | handshakes/s, cold | handshakes/s, warm | cold / warm "
                                + "| cold: connect p99 | failed | status |\n")
                        .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            }
            JsonNode x = r.path("result");
            JsonNode cold = x.path("cold");
            md.append(String.format("| %s | %,d | %s | %s | %s | %.2f | %s | %d | %s |%n", r.path("peer").asText(),
                    x.path("clients").asInt(), Report.ms(x.path("startToReadyMs").asDouble()),
                    Report.rate(cold.path("handshakesPerS").asDouble()),
                    Report.rate(x.path("warm").path("handshakesPerS").asDouble()), x.path("coldOverWarm").asDouble(),
                    Report.ms(cold.path("connect").path("timeToReady").path("p99Ms").asDouble()),
                    cold.path("connect").path("failed").asInt() + x.path("warm").path("connect").path("failed").asInt(),
                    RecoveryReport.status(r)));
        }
        return md.isEmpty() ? "" : md.append('\n').toString();
    }

    static String oneLine(Object r) {
        if (!(r instanceof Result x)) {
            return null;
        }
        return String.format("ready after %s; cold %,.0f handshakes/s, warm %,.0f handshakes/s (%.2f), %d failed",
                Report.ms(x.startToReadyMs()), x.cold().handshakesPerS(), x.warm().handshakesPerS(), x.coldOverWarm(),
                x.cold().connect().failed() + x.warm().connect().failed());
    }

    /** Every client of both storms connected; the rates are numbers. */
    static void check(JsonNode res, String where, List<String> problems) {
        for (String round : List.of("cold", "warm")) {
            JsonNode c = res.path(round);
            if (!c.path("handshakesPerS").isNumber() || c.path("handshakesPerS").asDouble() <= 0) {
                problems.add(where + ": /" + round + "/handshakesPerS missing or zero (" + c.path("handshakesPerS") + ")");
            }
            if (c.path("connect").path("ready").asInt() != res.path("clients").asInt(-1)) {
                problems.add(where + ": " + round + " storm: " + c.path("connect").path("ready") + " of "
                        + res.path("clients") + " connected, failures " + c.path("connect").path("failures"));
            }
        }
    }
}
