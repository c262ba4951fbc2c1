package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns results.json into results.md (tables per scenario, Sockeye's ratio to each peer, fan-out steps)
 * and PNG plots. Works from the JSON alone, so a report can be rebuilt from any saved results file.
 * With several repeats a cell shows the median and, in brackets, the range.
 */
final class Report {

    private Report() {
    }

    /** How a headline number is read: where it is in a run's result, its unit, which way is better. */
    record Metric(String scenario, String label, String pointer, boolean higherBetter, String unit, boolean headline) {
    }

    static final List<Metric> METRICS = List.of(
            new Metric("idle", "heap / connection", "/heapPerConnectionBytes", false, "bytes", true),
            new Metric("idle", "heap / connection from empty", "/heapPerConnectionFromEmptyBytes", false, "bytes", false),
            new Metric("idle", "RSS / connection", "/rssPerConnectionBytes", false, "bytes", true),
            new Metric("idle", "heartbeat CPU (µs / connection / s)", "/serverCpuUsPerConnectionPerS", false, "us", true),
            new Metric("idle", "kernel slab / connection (both ends)", "/kernelSlabPerConnectionBytes", false, "bytes", false),
            new Metric("fanout", "max sustainable delivered msgs/s", "/maxSustainableDeliveredPerS", true, "rate", true),
            new Metric("fanout", "p99 at ~half max", "/p99AtHalfMaxMs", false, "ms", true),
            new Metric("fanout", "msgs / server CPU-s at max", "/deliveredPerServerCpuSAtMax", true, "rate", true),
            new Metric("fanout", "bytes on the wire / delivery", "/steps/0/wireBytesPerDelivery", false, "bytes", true),
            new Metric("acked", "user CPU µs / delivery, ack awaited", "/windows/0/userUsPerDelivery", false, "us", true),
            new Metric("acked", "system CPU µs / delivery, ack awaited", "/windows/0/systemUsPerDelivery", false, "us", true),
            new Metric("acked", "CPU µs / delivery, ack awaited", "/windows/0/totalUsPerDelivery", false, "us", true),
            new Metric("acked", "user CPU µs / delivery, 20 in flight", "/windows/1/userUsPerDelivery", false, "us", true),
            new Metric("acked", "system CPU µs / delivery, 20 in flight", "/windows/1/systemUsPerDelivery", false, "us", true),
            new Metric("acked", "CPU µs / delivery, 20 in flight", "/windows/1/totalUsPerDelivery", false, "us", true),
            new Metric("acked", "delivered msgs/s, ack awaited", "/windows/0/deliveredPerS", true, "rate", false),
            new Metric("echo", "round trips/s", "/roundTripsPerS", true, "rate", true),
            new Metric("echo", "p50", "/latency/p50Ms", false, "ms", false),
            new Metric("echo", "p99", "/latency/p99Ms", false, "ms", true),
            new Metric("echo", "round trips / server CPU-s", "/roundTripsPerServerCpuS", true, "rate", true),
            new Metric("storm", "handshakes/s", "/handshakesPerS", true, "rate", true),
            new Metric("storm", "handshakes/s, storm again (JIT warm)", "/again/handshakesPerS", true, "rate", true),
            new Metric("storm", "time to all connected", "/timeToAllMs", false, "ms", false),
            new Metric("storm", "connect p99", "/connect/timeToReady/p99Ms", false, "ms", false),
            new Metric("storm", "failed", "/connect/failed", false, "count", false),
            new Metric("cluster", "max sustainable delivered msgs/s", "/maxSustainableDeliveredPerS", true, "rate", true),
            new Metric("cluster", "p99 at ~half max", "/p99AtHalfMaxMs", false, "ms", true),
            new Metric("cluster", "msgs / server CPU-s at max", "/deliveredPerServerCpuSAtMax", true, "rate", true),
            new Metric("gateway", "rpc/s (backend 50 ms)", "/rpcPerS", true, "rate", true),
            new Metric("gateway", "rpc p99", "/rpcLatency/p99Ms", false, "ms", true),
            new Metric("gateway", "server CPU µs / rpc", "/rpcServerCpuUsPerCall", false, "us", true),
            new Metric("gateway", "rpc ok:false", "/rpcRefused", false, "count", false),
            new Metric("gateway", "publish p99", "/publishLatency/p99Ms", false, "ms", false),
            new Metric("gateway", "publish p99, rpc calls hanging", "/publishWithHungLatency/p99Ms", false, "ms", true),
            new Metric("gateway", "forwarded/s Redis", "/forwarding/redis/eventsPerS", true, "rate", true),
            new Metric("gateway", "forwarded/s NATS", "/forwarding/nats/eventsPerS", true, "rate", true),
            new Metric("gateway", "forwarded/s Kafka", "/forwarding/kafka/eventsPerS", true, "rate", true),
            new Metric("gateway", "Kafka ack p99", "/forwarding/kafka/latency/p99Ms", false, "ms", false));

    private static final Map<String, String> TITLES = Map.of(
            "idle", "Idle hold", "fanout", "Fan-out to one room", "echo", "Echo with acks (closed loop)",
            "acked", "Fan-out with acknowledged publishes (1 and 20 in flight): server CPU per delivery",
            "storm", "Connection storm", "cluster", "Cluster fan-out over Redis",
            "gateway", "Gateway: rpc proxy and broker forwarding (the standalone server)");

    private static final Map<String, String> SIZE_WORDS = Map.of(
            "idle", "connections", "fanout", "subscribers", "echo", "connections", "storm", "clients", "acked", "subscribers",
            "cluster", "subscribers", "gateway", "connections");

    // ---- markdown ----

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        md.append("# Sockeye benchmark results (").append(doc.path("mode").asText()).append(" mode)\n\n");
        if ("quick".equals(doc.path("mode").asText())) {
            md.append("> Quick mode runs every scenario tiny, as a smoke test. Its numbers say nothing about speed.\n\n");
        }
        JsonNode m = doc.path("machine");
        double load = m.path("loadAverageAtStart").asDouble(0);
        if (load > 0.5 * Math.max(1, m.path("cpus").asInt(1))) {
            md.append("> The machine was busy when the run started (load average ").append(load)
                    .append(" on ").append(m.path("cpus").asInt()).append(" CPUs): other work shared the CPUs, so "
                    + "absolute numbers are low and even the ratios are only indicative.\n\n");
        }
        md.append("- started ").append(doc.path("startedAt").asText()).append(", ").append(doc.path("durationS").asDouble())
                .append(" s; repeats: ").append(doc.path("plan").path("repeats").asInt()).append('\n');
        int burst = doc.path("plan").path("fanoutBurst").asInt(1);
        if (burst > 1) {
            md.append("- fan-out publisher pipelined: ").append(burst)
                    .append(" publishes written back to back per burst (same average rate)\n");
        }
        md.append("- machine: ").append(m.path("cpus").asInt()).append(" × ").append(m.path("cpuModel").asText())
                .append(", ").append(m.path("memTotalBytes").asLong() >> 30).append(" GiB, ").append(m.path("os").asText())
                .append(", load average at start ").append(m.path("loadAverageAtStart").asDouble()).append('\n');
        md.append("- ").append(m.path("java").asText()).append("; node ").append(m.path("node").asText())
                .append("; ").append(m.path("pinning").asText()).append("\n");
        JsonNode floor = m.path("loopbackFloor");
        if (floor.has("recipient")) {
            md.append(String.format("- loopback floor (the kernel alone, no server: one %d-byte write to each of %,d loopback "
                            + "sockets, %.0f bursts/s, %d bursts): recipient p50 %s, p99 %s; last recipient of a burst p50 %s, p99 %s\n",
                    floor.path("frameBytes").asInt(), floor.path("sockets").asInt(), floor.path("burstsPerS").asDouble(),
                    floor.path("bursts").asInt(), ms(floor.path("recipient").path("p50Ms").asDouble()),
                    ms(floor.path("recipient").path("p99Ms").asDouble()),
                    ms(floor.path("lastRecipient").path("p50Ms").asDouble()),
                    ms(floor.path("lastRecipient").path("p99Ms").asDouble())));
        } else if (floor.has("error")) {
            md.append("- loopback floor: failed (").append(floor.path("error").asText()).append(")\n");
        }
        for (JsonNode p : doc.path("peers")) {
            if (!p.path("available").asBoolean()) {
                md.append("- ").append(p.path("id").asText()).append(" skipped: ").append(p.path("reason").asText()).append('\n');
            }
        }
        md.append("\nMethod, peers' settings and how to reproduce: see BENCHMARKS.md at the repository root.\n\n");
        md.append(tables(doc, true));
        return md.toString();
    }

    /** The tables without the run header: what the runner prints at the end. */
    static String summary(JsonNode doc) {
        return tables(doc, false);
    }

    private static String tables(JsonNode doc, boolean details) {
        StringBuilder md = new StringBuilder();
        List<String> peers = peerIds(doc);
        for (String scenario : BenchMain.SCENARIOS) {
            if (scenario.equals("soak") || scenario.equals("scale") || scenario.equals("coldstorm") || scenario.equals("sse") || RecoveryReport.SCENARIOS.contains(scenario)) {
                continue; // their own sections, below
            }
            for (int size : sizes(doc, scenario)) {
                md.append("## ").append(TITLES.get(scenario)).append(": ").append(String.format("%,d", size))
                        .append(' ').append(SIZE_WORDS.get(scenario)).append("\n\n");
                List<Metric> metrics = METRICS.stream().filter(x -> x.scenario().equals(scenario)).toList();
                List<String> rows = new ArrayList<>(scenario.equals("cluster") ? clusterRows(doc)
                        : scenario.equals("gateway") ? List.of("sockeye-gateway") : peers);
                if (scenario.equals("fanout") && sizes(doc, "cluster").contains(size)) {
                    rows.addAll(clusterRows(doc));
                }
                md.append("| server |");
                metrics.forEach(x -> md.append(' ').append(x.label()).append(" |"));
                md.append(" status |\n|---|");
                metrics.forEach(x -> md.append("---:|"));
                md.append("---|\n");
                for (String peer : rows) {
                    String runScenario = peer.startsWith("sockeye-cluster") ? "cluster" : scenario;
                    md.append("| ").append(peer).append(" |");
                    for (Metric x : metrics) {
                        md.append(' ').append(cell(values(doc, runScenario, size, peer, x.pointer()), x.unit())).append(" |");
                    }
                    md.append(' ').append(status(doc, runScenario, size, peer)).append(" |\n");
                }
                md.append('\n');
                if (scenario.equals("cluster")) {
                    md.append(clusterRatio(doc, size));
                } else if (!scenario.equals("gateway")) {
                    md.append(ratios(doc, scenario, size, metrics, peers));
                } else {
                    md.append(gatewayRefusals(doc, size));
                }
            }
        }
        md.append(SoakReport.markdown(doc));
        md.append(RecoveryReport.markdown(doc));
        md.append(LadderReport.markdown(doc));
        md.append(ColdStormScenario.markdown(doc));
        md.append(SseScenario.markdown(doc));
        md.append(ScaleScenario.markdown(doc));
        if (details) {
            md.append(fanoutDetails(doc, peers));
        }
        return md.toString();
    }

    /** The rpc answers {@code {ok: false}} by code, and the server's reasons for the unavailable ones. */
    private static String gatewayRefusals(JsonNode doc, int size) {
        StringBuilder md = new StringBuilder();
        for (JsonNode r : runs(doc, "gateway", size, "sockeye-gateway")) {
            JsonNode res = r.path("result");
            if (res.path("rpcRefused").asLong(0) > 0) {
                md.append("rpc answered `{ok: false}`: ").append(res.path("rpcRefused").asLong()).append(" (by code ")
                        .append(res.path("rpcRefusedByCode")).append("; the server's proxy errors by reason ")
                        .append(res.path("rpcProxyErrors")).append(")\n\n");
            }
        }
        return md.toString();
    }

    private static String ratios(JsonNode doc, String scenario, int size, List<Metric> metrics, List<String> peers) {
        List<String> others = peers.stream().filter(p -> !p.equals("sockeye")).toList();
        if (!peers.contains("sockeye") || others.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("Sockeye compared (× = how many times better; below 1 = worse):\n\n| metric |");
        others.forEach(p -> md.append(" vs ").append(p).append(" |"));
        md.append("\n|---|");
        others.forEach(p -> md.append("---:|"));
        md.append('\n');
        for (Metric x : metrics) {
            if (!x.headline()) {
                continue;
            }
            Double s = median(values(doc, scenario, size, "sockeye", x.pointer()));
            md.append("| ").append(x.label()).append(x.higherBetter() ? " (higher is better)" : " (lower is better)").append(" |");
            for (String p : others) {
                Double v = median(values(doc, scenario, size, p, x.pointer()));
                md.append(' ').append(ratioCell(s, v, x.higherBetter())).append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    private static String clusterRatio(JsonNode doc, int size) {
        Double single = median(values(doc, "fanout", size, "sockeye", "/maxSustainableDeliveredPerS"));
        StringBuilder md = new StringBuilder();
        for (String row : clusterRows(doc)) {
            Double cluster = median(values(doc, "cluster", size, row, "/maxSustainableDeliveredPerS"));
            md.append("Cluster over single-node Sockeye at ").append(String.format("%,d", size))
                    .append(" subscribers, max sustainable delivered msgs/s: ").append(ratioCell(cluster, single, true))
                    .append(single == null ? " (no single-node fan-out run of that size)" : "").append("\n\n");
        }
        return md.toString();
    }

    static String ratioCell(Double sockeye, Double peer, boolean higherBetter) {
        if (sockeye == null || peer == null || sockeye <= 0 || peer <= 0) {
            return "–";
        }
        return String.format("%.2f×", higherBetter ? sockeye / peer : peer / sockeye);
    }

    /** Results written before a field existed show a dash. */
    private static String msOrDash(JsonNode v) {
        return v.isNumber() ? ms(v.asDouble()) : "–";
    }

    private static String fanoutDetails(JsonNode doc, List<String> peers) {
        StringBuilder md = new StringBuilder();
        for (String scenario : List.of("fanout", "cluster")) {
            for (int size : sizes(doc, scenario)) {
                for (String peer : scenario.equals("cluster") ? clusterRows(doc) : peers) {
                    JsonNode run = firstOk(doc, scenario, size, peer);
                    if (run == null) {
                        continue;
                    }
                    md.append("### Steps: ").append(peer).append(", ").append(String.format("%,d", size))
                            .append(" subscribers (first repeat)\n\n")
                            .append("| target msgs/s | publishes/s | delivered msgs/s | p50 | p99 | max "
                                    + "| first recipient p50 | last recipient p50 | last recipient p99 "
                                    + "| server CPU | generator CPU | server CPU µs / delivery | wire bytes / delivery | verdict |\n")
                            .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
                    for (JsonNode s : run.path("result").path("steps")) {
                        double window = s.path("windowS").asDouble();
                        md.append("| ").append(rate(s.path("targetDeliveredPerS").asDouble()))
                                .append(" | ").append(String.format("%.1f", s.path("publishRate").asDouble()))
                                .append(" | ").append(rate(s.path("deliveredPerS").asDouble()))
                                .append(" | ").append(ms(s.path("latency").path("p50Ms").asDouble()))
                                .append(" | ").append(ms(s.path("latency").path("p99Ms").asDouble()))
                                .append(" | ").append(ms(s.path("latency").path("maxMs").asDouble()))
                                .append(" | ").append(msOrDash(s.path("firstRecipient").path("p50Ms")))
                                .append(" | ").append(msOrDash(s.path("lastRecipient").path("p50Ms")))
                                .append(" | ").append(msOrDash(s.path("lastRecipient").path("p99Ms")))
                                .append(" | ").append(percent(s.path("serverCpuMs").asDouble(), window))
                                .append(" | ").append(percent(s.path("generatorCpuMs").asDouble(), window))
                                .append(s.path("generatorBound").asBoolean() ? " (bound)" : "")
                                .append(" | ").append(s.path("delivered").asLong() > 0 ? String.format("%.2f",
                                        s.path("serverCpuMs").asDouble() * 1000 / s.path("delivered").asLong()) : "–")
                                .append(" | ").append(s.path("wireBytesPerDelivery").isNumber()
                                        ? String.format("%.1f", s.path("wireBytesPerDelivery").asDouble()) : "–")
                                .append(" | ").append(s.path("verdict").asText()).append(" |\n");
                    }
                    md.append('\n');
                }
            }
        }
        return md.toString();
    }

    // ---- one line per run, for the console ----

    static String oneLine(Results.Run run) {
        if (!"ok".equals(run.status())) {
            return run.status() + ": " + run.reason();
        }
        String time = String.format(" (%.1f s)", run.seconds());
        Object r = run.result();
        if (r instanceof Results.Idle i) {
            return "heap " + bytes(i.heapPerConnectionBytes()) + "/conn, RSS " + bytes(i.rssPerConnectionBytes())
                    + "/conn, heartbeat CPU " + String.format("%.2f", i.serverCpuUsPerConnectionPerS()) + " µs/conn/s, "
                    + i.connect().ready() + "/" + i.connections() + " connected" + time;
        }
        if (r instanceof Results.Fanout f) {
            return "max sustainable " + rate(f.maxSustainableDeliveredPerS()) + " msgs/s, p99 at ~half max "
                    + (f.p99AtHalfMaxMs() == null ? "–" : ms(f.p99AtHalfMaxMs())) + ", " + f.steps().size() + " steps"
                    + (f.generatorBoundAtMax() ? " (generator-bound)" : "") + time;
        }
        if (r instanceof Results.AckedFanout a) {
            StringBuilder sb = new StringBuilder();
            for (Results.AckedWindow w : a.windows()) {
                sb.append(sb.length() == 0 ? "" : "; ").append("window ").append(w.window()).append(": ")
                        .append(w.delivered()).append('/').append(w.expected()).append(" delivered, CPU/delivery user ")
                        .append(us(w.userUsPerDelivery())).append(" + system ").append(us(w.systemUsPerDelivery()));
            }
            return sb + time;
        }
        if (r instanceof Results.Echo e) {
            return rate(e.roundTripsPerS()) + " round trips/s, p50 " + ms(e.latency().p50Ms()) + ", p99 "
                    + ms(e.latency().p99Ms()) + time;
        }
        if (r instanceof Results.Storm s) {
            return s.connect().ready() + "/" + s.clients() + " connected, " + rate(s.handshakesPerS())
                    + " handshakes/s, " + s.connect().failed() + " failed"
                    + (s.again() == null ? "" : "; again: " + s.again().connect().ready() + " connected, "
                    + rate(s.again().handshakesPerS()) + " handshakes/s, " + s.again().connect().failed() + " failed")
                    + time;
        }
        if (r instanceof Results.Soak s) {
            return (s.problems().isEmpty() ? "passes: nothing grew, back to baseline, clean logs"
                    : s.problems().size() + " problem(s), first: " + s.problems().get(0))
                    + "; " + s.clientErrors() + " client errors in " + s.wellBehavedSessions() + " sessions" + time;
        }
        String recovery = RecoveryReport.oneLine(r);
        String own = recovery != null ? recovery : ScaleScenario.oneLine(r);
        own = own != null ? own : ColdStormScenario.oneLine(r);
        own = own != null ? own : SseScenario.oneLine(r);
        return (own != null ? own : "ok") + time;
    }

    // ---- reading the document ----

    static List<String> peerIds(JsonNode doc) {
        List<String> ids = new ArrayList<>();
        doc.path("peers").forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    static List<String> clusterRows(JsonNode doc) {
        Set<String> rows = new LinkedHashSet<>();
        for (JsonNode r : doc.path("runs")) {
            if (r.path("scenario").asText().equals("cluster")) {
                rows.add(r.path("peer").asText());
            }
        }
        return new ArrayList<>(rows);
    }

    static List<Integer> sizes(JsonNode doc, String scenario) {
        Set<Integer> sizes = new LinkedHashSet<>();
        for (JsonNode r : doc.path("runs")) {
            if (r.path("scenario").asText().equals(scenario)) {
                sizes.add(r.path("size").asInt());
            }
        }
        return new ArrayList<>(sizes);
    }

    private static List<JsonNode> runs(JsonNode doc, String scenario, int size, String peer) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode r : doc.path("runs")) {
            if (r.path("scenario").asText().equals(scenario) && r.path("size").asInt() == size
                    && r.path("peer").asText().equals(peer)) {
                list.add(r);
            }
        }
        return list;
    }

    static JsonNode firstOk(JsonNode doc, String scenario, int size, String peer) {
        return runs(doc, scenario, size, peer).stream().filter(r -> r.path("status").asText().equals("ok"))
                .findFirst().orElse(null);
    }

    static List<Double> values(JsonNode doc, String scenario, int size, String peer, String pointer) {
        List<Double> values = new ArrayList<>();
        for (JsonNode r : runs(doc, scenario, size, peer)) {
            JsonNode v = r.path("result").at(pointer);
            if (r.path("status").asText().equals("ok") && v.isNumber()) {
                values.add(v.asDouble());
            }
        }
        return values;
    }

    private static String status(JsonNode doc, String scenario, int size, String peer) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String reason = null;
        for (JsonNode r : runs(doc, scenario, size, peer)) {
            String s = r.path("status").asText();
            counts.merge(s, 1, Integer::sum);
            if (!s.equals("ok") && reason == null) {
                reason = r.path("reason").asText();
            }
        }
        if (counts.isEmpty()) {
            return "not run";
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((s, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(s).append(n > 1 ? " ×" + n : ""));
        if (reason != null) {
            sb.append(": ").append(reason.replace("|", "/").replace("\n", " "));
        }
        long bound = runs(doc, scenario, size, peer).stream()
                .filter(r -> r.path("result").path("generatorBoundAtMax").asBoolean()).count();
        if (bound > 0) {
            // The generators ran out of CPU at the best step: the server's own limit may be higher.
            sb.append(" (generator-bound at max").append(bound > 1 ? " ×" + bound : "").append(')');
        }
        return sb.toString();
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String cell(List<Double> values, String unit) {
        Double med = median(values);
        if (med == null) {
            return "–";
        }
        String s = format(med, unit);
        if (values.size() > 1) {
            double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(med);
            double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(med);
            s += " (" + format(lo, unit) + "–" + format(hi, unit) + ")";
        }
        return s;
    }

    private static String format(double v, String unit) {
        return switch (unit) {
            case "bytes" -> bytes(v);
            case "rate" -> rate(v);
            case "ms" -> v < 0 ? "–" : ms(v);
            case "us" -> String.format("%.3f", v);
            default -> String.format("%,.0f", v);
        };
    }

    static String bytes(double b) {
        return Math.abs(b) >= 1024 ? String.format("%.2f KiB", b / 1024) : String.format("%.0f B", b);
    }

    static String rate(double r) {
        return r >= 1e6 ? String.format("%.2fM", r / 1e6) : r >= 1e4 ? String.format("%.1fk", r / 1e3)
                : String.format("%,.0f", r);
    }

    /** Microseconds of CPU per delivery, or a dash when unknown. */
    static String us(Double v) {
        return v == null ? "–" : String.format("%.2f µs", v);
    }

    static String ms(double v) {
        return v >= 100 ? String.format("%.0f ms", v) : String.format("%.2f ms", v);
    }

    private static String percent(double cpuMs, double windowS) {
        return windowS <= 0 ? "–" : String.format("%.0f%%", cpuMs / (windowS * 10));
    }
}
