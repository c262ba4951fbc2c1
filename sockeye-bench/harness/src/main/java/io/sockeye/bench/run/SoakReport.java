package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's part of results.md and its plots: per topology the verdict, the growth test of each
 * judged series, the return to the baseline, the servers' logs and what the clients counted; one PNG per
 * series ({@code soak-<run>-<series>.png}) over the churn and the settle that follows, one line per
 * server, the fitted line and the baseline dashed.
 */
final class SoakReport {

    /** Series plotted besides the judged ones: context for reading them. */
    private static final Map<String, String> CONTEXT = Map.of(
            "sessions", "open Engine.IO sessions",
            "rssBytes", "process RSS",
            "osThreads", "OS threads (JVM-internal included)",
            "nettyAllocatorDirectBytes", "Netty allocator direct memory (pools and caches)");

    private SoakReport() {
    }

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        for (JsonNode run : doc.path("runs")) {
            if (!run.path("scenario").asText().equals("soak")) {
                continue;
            }
            String id = run.path("peer").asText();
            md.append("## Soak: ").append(id).append(" (").append(run.path("size").asInt()).append(" node")
                    .append(run.path("size").asInt() > 1 ? "s over Redis" : "").append(")\n\n");
            if (!run.path("status").asText().equals("ok")) {
                md.append(run.path("status").asText()).append(": ").append(run.path("reason").asText()).append("\n\n");
                continue;
            }
            JsonNode r = run.path("result");
            List<String> problems = new ArrayList<>();
            r.path("problems").forEach(p -> problems.add(p.asText()));
            md.append(String.format(Locale.ROOT, "Churn %.0f s after a %.0f s warm-up round, a sample every %.0f s; slopes fitted "
                            + "from %.0f s on, %s.%n%n", r.path("churnS").asDouble(), r.path("warmupS").asDouble(),
                    r.path("sampleEveryS").asDouble(), r.path("fitFromS").asDouble(),
                    r.path("slopesJudged").asBoolean() ? "judged" : "reported only (a quick run is too short to judge)"));
            md.append(problems.isEmpty() ? "**Verdict: passes** — nothing grew, the servers came back to their baseline, "
                    + "no error or leak in their logs.\n\n" : "**Verdict: fails**\n\n");
            problems.forEach(p -> md.append("- ").append(p.replace("|", "/")).append('\n'));
            if (!problems.isEmpty()) {
                md.append('\n');
            }
            series(md, r);
            settle(md, r);
            logs(md, r);
            clients(md, r);
        }
        return md.toString();
    }

    private static void series(StringBuilder md, JsonNode r) {
        md.append("| server | series | mean | slope / hour (± 95 %) | growth implied over the fitted window | tolerance | verdict |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        for (JsonNode s : r.path("series")) {
            boolean bytes = s.path("unit").asText().equals("bytes");
            md.append("| ").append(s.path("server").asText()).append(" | ").append(s.path("series").asText())
                    .append(" | ").append(value(s.path("mean").asDouble(), bytes))
                    .append(" | ").append(value(s.path("slopePerHour").asDouble(), bytes)).append(" ± ")
                    .append(value(s.path("ci95PerHour").asDouble(), bytes))
                    .append(" | ").append(value(s.path("impliedGrowth").asDouble(), bytes))
                    .append(" | ").append(value(s.path("tolerance").asDouble(), bytes))
                    .append(" | ").append(s.path("verdict").asText().equals("grows") ? "**grows**" : s.path("verdict").asText())
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void settle(StringBuilder md, JsonNode r) {
        md.append("After the clients left (baseline → last sample):\n\n| server | after | fds | Java threads | timer wheel "
                + "| sessions | held client sockets | back? |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode s : r.path("settle")) {
            JsonNode b = s.path("baseline");
            JsonNode e = s.path("end");
            md.append("| ").append(s.path("server").asText()).append(" | ").append(s.path("seconds").asDouble()).append(" s");
            for (String k : List.of("fds", "javaThreads", "timerPendingTimeouts", "sessions", "heldSockets")) {
                md.append(" | ").append(b.path(k).asLong()).append(" → ").append(e.path(k).asLong());
            }
            List<String> notBack = new ArrayList<>();
            s.path("notBack").forEach(x -> notBack.add(x.asText()));
            md.append(" | ").append(notBack.isEmpty() ? "yes" : "**no**: " + String.join("; ", notBack).replace("|", "/"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void logs(StringBuilder md, JsonNode r) {
        for (JsonNode s : r.path("servers")) {
            JsonNode log = s.path("log");
            md.append(String.format(Locale.ROOT, "- %s: %d of %d samples taken (%d failed); log: %,d records, %d ERROR, "
                            + "%d leak reports, %d WARN%s%n",
                    s.path("name").asText(), s.path("samplesTaken").asInt(), s.path("expectedSamples").asInt(),
                    s.path("samplesFailed").asInt(), log.path("records").asLong(), log.path("errors").asLong(),
                    log.path("leaks").asLong(), log.path("warnings").asLong(),
                    log.path("plainLines").asLong() == 0 ? "" : String.format(Locale.ROOT,
                            "; **%,d lines not in the JSON format the server was asked for** (--log-format json)",
                            log.path("plainLines").asLong())));
            log.path("firstErrors").forEach(x -> md.append("  - `").append(x.asText().replace("`", "'")).append("`\n"));
            JsonNode last = lastChurnSample(s);
            if (last != null) {
                md.append("  - last churn sample: held client sockets ").append(last.path("heldSockets"))
                        .append(", slow-consumer disconnects ").append(last.path("slowConsumerDisconnects").asLong()).append('\n');
            }
        }
        md.append('\n');
    }

    private static void clients(StringBuilder md, JsonNode r) {
        md.append(String.format(Locale.ROOT, "Clients (judged churn): %,d well-behaved sessions, %,d errors.",
                r.path("wellBehavedSessions").asLong(), r.path("clientErrors").asLong()));
        List<double[]> cpu = r.path("servers").size() > 0 ? cpuPercent(r.path("servers").get(0), "clientsCpuMs") : List.of();
        if (!cpu.isEmpty()) {
            double mean = cpu.stream().mapToDouble(p -> p[1]).average().orElse(0);
            long busy = cpu.stream().filter(p -> p[1] >= 90).count();
            // The clients' process has one core: near 100 % its own delays (handshakes, acks) become client errors.
            md.append(String.format(Locale.ROOT, " Their process used %.0f %% of its core on average, ≥ 90 %% in %d of %d "
                    + "intervals%s.", mean, busy, cpu.size(), busy * 10 > cpu.size() ? " (**the clients may be the bottleneck**)" : ""));
        }
        md.append("\n\n");
        md.append("<details><summary>every client counter</summary>\n\n| counter | count |\n|---|---:|\n");
        r.path("clients").properties().forEach(e ->
                md.append("| ").append(e.getKey()).append(" | ").append(String.format("%,d", e.getValue().asLong())).append(" |\n"));
        md.append("\n</details>\n\n");
    }

    private static JsonNode lastChurnSample(JsonNode server) {
        JsonNode last = null;
        for (JsonNode x : server.path("samples")) {
            if (x.path("phase").asText().equals("churn") && x.path("error").isNull()) {
                last = x;
            }
        }
        return last;
    }

    private static String value(double v, boolean bytes) {
        return SoakJudge.amount(v, bytes ? "bytes" : "count");
    }

    // ---- plots ----

    /** The PNG of one series of one run: {@code soak-<run>-<series>.png}. */
    static String png(String run, String series) {
        return "soak-" + run + "-" + series.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT) + ".png";
    }

    static void plots(JsonNode doc, Path out) throws IOException {
        for (JsonNode run : doc.path("runs")) {
            if (!run.path("scenario").asText().equals("soak") || !run.path("status").asText().equals("ok")) {
                continue;
            }
            String id = run.path("peer").asText();
            JsonNode r = run.path("result");
            for (SoakJudge.Series s : SoakJudge.Series.values()) {
                plot(out, id, r, s.id(), s.field, s.label, s.unit.equals("bytes"));
            }
            for (Map.Entry<String, String> c : CONTEXT.entrySet()) {
                plot(out, id, r, c.getKey(), c.getKey(), c.getValue(), c.getKey().endsWith("Bytes"));
            }
            heldSockets(out, id, r);
            cpu(out, id, r);
        }
    }

    private static void plot(Path out, String id, JsonNode r, String name, String field, String label, boolean bytes)
            throws IOException {
        double scale = bytes ? 1 << 20 : 1;
        double churnS = r.path("churnS").asDouble();
        List<Charts.Series> lines = new ArrayList<>();
        Double baseline = null;
        for (JsonNode server : r.path("servers")) {
            List<double[]> points = new ArrayList<>();
            for (JsonNode x : server.path("samples")) {
                String phase = x.path("phase").asText();
                double v = x.path(field).asDouble(-1);
                if (v < 0 || !x.path("error").isNull()) {
                    continue;
                }
                if (phase.equals("baseline") && baseline == null) {
                    baseline = v / scale;
                } else if (phase.equals("churn") || phase.equals("settle")) {
                    double t = phase.equals("churn") ? x.path("tS").asDouble() : churnS + x.path("tS").asDouble();
                    points.add(new double[]{t / 60, v / scale});
                }
            }
            lines.add(new Charts.Series(server.path("name").asText(), points));
            for (JsonNode s : r.path("series")) {
                if (s.path("server").asText().equals(server.path("name").asText()) && s.path("series").asText().equals(name)
                        && s.path("n").asInt() >= 3) {
                    lines.add(fitLine(s, r.path("fitFromS").asDouble(), scale));
                }
            }
        }
        Charts.lines(out.resolve(png(id, name)), id + ": " + label, "minutes since the churn started (the clients leave at "
                        + String.format(Locale.ROOT, "%.1f", churnS / 60) + ")", bytes ? label + " (MiB)" : label,
                false, false, lines, baseline, "baseline (no clients)");
    }

    /** Client sockets the servers hold, by client class (summed over the servers): who is not let go. */
    private static void heldSockets(Path out, String id, JsonNode r) throws IOException {
        Map<String, List<double[]>> byClass = new java.util.TreeMap<>();
        double churnS = r.path("churnS").asDouble();
        Map<Double, Map<String, Integer>> sums = new java.util.TreeMap<>();
        for (JsonNode server : r.path("servers")) {
            for (JsonNode x : server.path("samples")) {
                String phase = x.path("phase").asText();
                if (!x.path("error").isNull() || !(phase.equals("churn") || phase.equals("settle"))) {
                    continue;
                }
                // Servers are sampled one after the other: a slot is its time rounded to the sample interval.
                double every = r.path("sampleEveryS").asDouble(1);
                double t = (phase.equals("churn") ? x.path("tS").asDouble() : churnS + x.path("tS").asDouble());
                double slot = Math.round(t / every) * every / 60;
                x.path("heldSockets").properties().forEach(e ->
                        sums.computeIfAbsent(slot, k -> new java.util.TreeMap<>()).merge(e.getKey(), e.getValue().asInt(), Integer::sum));
            }
        }
        sums.forEach((t, m) -> m.forEach((c, n) -> byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(new double[]{t, n})));
        List<Charts.Series> lines = new ArrayList<>();
        byClass.forEach((c, pts) -> lines.add(new Charts.Series(c, pts)));
        Charts.lines(out.resolve(png(id, "held-sockets")), id + ": client sockets the servers hold, by client",
                "minutes since the churn started", "sockets", false, false, lines, null, null);
    }

    /** Each server's CPU over the churn, in % of one core between two samples: how busy the server was. */
    private static void cpu(Path out, String id, JsonNode r) throws IOException {
        List<Charts.Series> lines = new ArrayList<>();
        for (JsonNode server : r.path("servers")) {
            lines.add(new Charts.Series(server.path("name").asText(), cpuPercent(server, "cpuMs")));
        }
        if (r.path("servers").size() > 0) {
            lines.add(new Charts.Series("soak clients", cpuPercent(r.path("servers").get(0), "clientsCpuMs")));
        }
        Charts.lines(out.resolve(png(id, "cpu")), id + ": CPU (the servers' includes the sampling's full GCs)",
                "minutes since the churn started", "% of one core", false, false, lines, null, null);
    }

    /** A process's CPU between consecutive churn samples, {minutes, % of one core}, from a cumulative field. */
    static List<double[]> cpuPercent(JsonNode server, String field) {
        List<double[]> points = new ArrayList<>();
        JsonNode last = null;
        for (JsonNode x : server.path("samples")) {
            if (!x.path("phase").asText().equals("churn") || !x.path("error").isNull() || x.path(field).asLong(-1) < 0) {
                continue;
            }
            if (last != null && x.path("tS").asDouble() > last.path("tS").asDouble()) {
                double ms = x.path(field).asDouble() - last.path(field).asDouble();
                double s = x.path("tS").asDouble() - last.path("tS").asDouble();
                points.add(new double[]{x.path("tS").asDouble() / 60, ms / s / 10});
            }
            last = x;
        }
        return points;
    }

    /** The fitted line over its window, drawn as a two-point series. */
    private static Charts.Series fitLine(JsonNode s, double fromS, double scale) {
        double mean = s.path("mean").asDouble();
        double slopePerS = s.path("slopePerHour").asDouble() / 3600;
        double toS = fromS + s.path("windowS").asDouble();
        double midS = (fromS + toS) / 2; // the least-squares line passes through the means; time's mean is ~ the middle
        List<double[]> pts = List.of(new double[]{fromS / 60, (mean + slopePerS * (fromS - midS)) / scale},
                new double[]{toS / 60, (mean + slopePerS * (toS - midS)) / scale});
        return new Charts.Series(s.path("server").asText() + " fit", pts);
    }
}
