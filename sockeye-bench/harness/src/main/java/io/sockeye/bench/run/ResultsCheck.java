package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The smoke test's judge: checks that a results directory is well-formed, never how fast anything was.
 * Every requested scenario ran on every requested peer or says why not ("skipped" with a reason); no
 * run failed; the numbers each scenario must have are there and finite; messages actually flowed
 * (fan-out delivered, echoes answered, connections made); results.md and the plots exist and decode. A msgpack
 * peer's fan-out must report its bytes on the wire per delivery, fewer than its JSON sibling's in the same run
 * (the same messages in a shorter format: more means the peer did not speak msgpack).
 */
final class ResultsCheck {

    private ResultsCheck() {
    }

    /** Runs that passed and failed the check (a problem outside any run counts as one failure), and why. */
    record Outcome(int passed, int failed, List<String> problems) {
    }

    static List<String> check(Path out, List<String> peers, List<String> scenarios) {
        return checkAll(out, peers, scenarios).problems();
    }

    static Outcome checkAll(Path out, List<String> peers, List<String> scenarios) {
        List<String> problems = new ArrayList<>();
        int passed = 0;
        int failedRuns = 0;
        int runProblems = 0;
        JsonNode doc;
        try {
            doc = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        } catch (IOException e) {
            problems.add("results.json unreadable: " + e.getMessage());
            return new Outcome(0, 1, problems);
        }
        if (doc.path("schema").asInt() != 1) {
            problems.add("results.json: schema is not 1");
        }
        for (String field : List.of("mode", "startedAt", "machine", "plan", "peers", "runs")) {
            if (doc.path(field).isMissingNode()) {
                problems.add("results.json: no '" + field + "'");
            }
        }
        if (scenarios.contains("fanout")) {
            JsonNode floor = doc.path("machine").path("loopbackFloor");
            if (floor.has("error")) {
                problems.add("loopback floor: failed: " + floor.path("error").asText());
            } else {
                finite(floor, "loopback floor", problems, "/recipient/p50Ms", "/recipient/p99Ms", "/lastRecipient/p99Ms");
                if (floor.path("bursts").asInt() <= 0 || floor.path("recipient").path("count").asLong() <= 0) {
                    problems.add("loopback floor: nothing measured");
                }
            }
        }
        for (String scenario : scenarios) {
            // An expected id ending in '-' stands for every run whose id starts with it (cluster sizes).
            List<String> expected = switch (scenario) {
                case "cluster" -> List.of("sockeye-cluster-");
                case "soak" -> List.of("sockeye-server", "sockeye-server-cluster-");
                case "gateway" -> List.of("sockeye-gateway");
                case "retained", "recovery" -> RecoveryReport.expectedPeers(scenario);
                case "scale" -> List.of("sockeye-scale-");
                case "coldstorm" -> ColdStormScenario.VARIANTS;
                case "sse" -> List.of(SseScenario.PEER);
                default -> peers;
            };
            for (String peer : expected) {
                List<JsonNode> runs = new ArrayList<>();
                for (JsonNode r : doc.path("runs")) {
                    String id = r.path("peer").asText();
                    if (r.path("scenario").asText().equals(scenario)
                            && (peer.endsWith("-") ? id.startsWith(peer) : id.equals(peer))) {
                        runs.add(r);
                    }
                }
                if (runs.isEmpty()) {
                    problems.add(scenario + "/" + peer + ": no run recorded");
                    failedRuns++;
                    runProblems++;
                }
                for (JsonNode r : runs) {
                    int before = problems.size();
                    checkRun(r, problems);
                    if (problems.size() == before) {
                        passed++;
                    } else {
                        failedRuns++;
                        runProblems += problems.size() - before;
                    }
                }
            }
        }
        if (scenarios.contains("fanout")) {
            msgpackIsSmaller(doc, problems);
        }
        try {
            String md = Files.readString(out.resolve("results.md"));
            if (!md.startsWith("# Sockeye benchmark results")) {
                problems.add("results.md: unexpected start");
            }
        } catch (IOException e) {
            problems.add("results.md unreadable: " + e.getMessage());
        }
        List<String> pngs = new ArrayList<>();
        for (int size : Report.sizes(doc, "fanout")) {
            pngs.add("fanout-" + size + ".png");
        }
        if (!Report.sizes(doc, "idle").isEmpty()) {
            pngs.add("memory-per-connection.png");
        }
        for (JsonNode r : doc.path("runs")) {
            if (r.path("scenario").asText().equals("soak") && r.path("status").asText().equals("ok")) {
                for (SoakJudge.Series series : SoakJudge.Series.values()) {
                    pngs.add(SoakReport.png(r.path("peer").asText(), series.id()));
                }
            }
        }
        for (String png : pngs) {
            try {
                BufferedImage image = ImageIO.read(out.resolve(png).toFile());
                if (image == null || image.getWidth() < 100) {
                    problems.add(png + ": not a readable PNG");
                }
            } catch (IOException e) {
                problems.add(png + ": " + e.getMessage());
            }
        }
        // Each problem of the files as a whole (not of one run) counts as one more failure.
        return new Outcome(passed, failedRuns + problems.size() - runProblems, problems);
    }

    private static void checkRun(JsonNode r, List<String> problems) {
        String scenario = r.path("scenario").asText();
        String where = scenario + "/" + r.path("peer").asText() + "/" + r.path("size").asInt() + " #" + r.path("repeat").asInt();
        String status = r.path("status").asText();
        switch (status) {
            case "skipped" -> {
                if (r.path("reason").asText("").isBlank()) {
                    problems.add(where + ": skipped without a reason");
                }
                return;
            }
            case "failed" -> {
                problems.add(where + ": failed: " + r.path("reason").asText());
                return;
            }
            case "ok" -> { }
            default -> {
                problems.add(where + ": unknown status '" + status + "'");
                return;
            }
        }
        JsonNode res = r.path("result");
        switch (scenario) {
            case "idle" -> {
                finite(res, where, problems, "/heapPerConnectionBytes", "/rssPerConnectionBytes",
                        "/serverCpuUsPerConnectionPerS", "/cpuWindowS");
                allConnected(res, where, problems);
                if (res.path("serverReportedConnections").asInt() != res.path("connect").path("ready").asInt()) {
                    problems.add(where + ": server reports " + res.path("serverReportedConnections").asInt()
                            + " connections, generator " + res.path("connect").path("ready").asInt());
                }
            }
            case "fanout", "cluster" -> {
                finite(res, where, problems, "/maxSustainableDeliveredPerS");
                allConnected(res, where, problems);
                JsonNode steps = res.path("steps");
                if (!steps.isArray() || steps.isEmpty()) {
                    problems.add(where + ": no steps");
                } else {
                    boolean msgpack = r.path("peer").asText().endsWith(MSGPACK);
                    for (JsonNode s : steps) {
                        finite(s, where + " step", problems, "/deliveredPerS", "/latency/p50Ms", "/latency/p99Ms",
                                "/latency/maxMs", "/windowS", "/firstRecipient/p50Ms", "/lastRecipient/p99Ms");
                        JsonNode wire = s.path("wireBytesPerDelivery");
                        if ((msgpack && s.path("delivered").asLong() > 0 || wire.isNumber()) && !(wire.asDouble() > 0)) {
                            problems.add(where + " step: no bytes on the wire per delivery (" + wire + ")");
                        }
                    }
                    if (steps.get(0).path("delivered").asLong() <= 0) {
                        problems.add(where + ": nothing delivered in the first step");
                    }
                }
            }
            case "acked" -> {
                allConnected(res, where, problems);
                JsonNode windows = res.path("windows");
                if (windows.size() != AckedFanoutScenario.WINDOWS.size()) {
                    problems.add(where + ": " + windows.size() + " windows measured, expected " + AckedFanoutScenario.WINDOWS.size());
                }
                for (JsonNode w : windows) {
                    finite(w, where + " window " + w.path("window").asInt(), problems, "/deliveredPerS", "/latency/p50Ms",
                            "/latency/p99Ms", "/serverUserMs", "/serverSystemMs");
                    if (w.path("delivered").asLong() < w.path("expected").asLong() || w.path("expected").asLong() <= 0) {
                        problems.add(where + " window " + w.path("window").asInt() + ": " + w.path("delivered").asLong()
                                + " of " + w.path("expected").asLong() + " delivered");
                    }
                }
            }
            case "echo" -> {
                finite(res, where, problems, "/roundTripsPerS", "/latency/p50Ms", "/latency/p99Ms");
                allConnected(res, where, problems);
                if (res.path("roundTrips").asLong() <= 0) {
                    problems.add(where + ": no round trip completed");
                }
            }
            case "gateway" -> {
                finite(res, where, problems, "/rpcPerS", "/rpcLatency/p99Ms", "/publishLatency/p99Ms",
                        "/publishWithHungLatency/p99Ms", "/forwarding/redis/eventsPerS", "/forwarding/nats/eventsPerS",
                        "/forwarding/kafka/eventsPerS");
                allConnected(res, where, problems);
                if (res.path("rpcRefused").asLong(-1) != 0 || res.path("publishWithHungRefused").asLong(-1) != 0) {
                    problems.add(where + ": requests answered ok:false (rpc " + res.path("rpcRefused") + ", publish "
                            + res.path("publishWithHungRefused") + ")");
                }
                res.path("forwarding").forEach(f -> {
                    if (f.path("events").asLong() <= 0 || f.path("refused").asLong(-1) != 0) {
                        problems.add(where + ": forwarding " + f);
                    }
                });
            }
            case "storm" -> {
                finite(res, where, problems, "/handshakesPerS", "/connect/elapsedMs", "/again/handshakesPerS",
                        "/again/connect/elapsedMs");
                if (res.path("connect").path("ready").asInt() <= 0 || res.path("again").path("connect").path("ready").asInt() <= 0) {
                    problems.add(where + ": no client connected");
                }
            }
            case "soak" -> checkSoak(res, where, problems);
            case "retained", "recovery" -> RecoveryReport.check(scenario, res, where, problems);
            case "scale" -> ScaleScenario.check(res, where, problems);
            case "coldstorm" -> ColdStormScenario.check(res, where, problems);
            case "sse" -> SseScenario.check(res, where, problems);
            default -> problems.add(where + ": unknown scenario");
        }
    }

    private static final String MSGPACK = "-msgpack";

    /** Each msgpack peer's first fan-out step against its JSON sibling's (same size and repeat), when both ran. */
    private static void msgpackIsSmaller(JsonNode doc, List<String> problems) {
        for (JsonNode m : doc.path("runs")) {
            String peer = m.path("peer").asText();
            if (!m.path("scenario").asText().equals("fanout") || !peer.endsWith(MSGPACK) || !isOk(m)) {
                continue;
            }
            String sibling = peer.substring(0, peer.length() - MSGPACK.length());
            for (JsonNode j : doc.path("runs")) {
                if (j.path("scenario").asText().equals("fanout") && j.path("peer").asText().equals(sibling) && isOk(j)
                        && j.path("size").asInt() == m.path("size").asInt() && j.path("repeat").asInt() == m.path("repeat").asInt()) {
                    double msgpack = m.at("/result/steps/0/wireBytesPerDelivery").asDouble(0);
                    double json = j.at("/result/steps/0/wireBytesPerDelivery").asDouble(0);
                    if (json > 0 && msgpack >= json) {
                        problems.add("fanout/" + peer + "/" + m.path("size").asInt() + " #" + m.path("repeat").asInt() + ": "
                                + msgpack + " bytes on the wire per delivery, not fewer than " + sibling + "'s " + json);
                    }
                }
            }
        }
    }

    private static boolean isOk(JsonNode run) {
        return run.path("status").asText().equals("ok");
    }

    /**
     * A soak run passes when the scenario found no problem (see SoakJudge: a growing series, an ERROR or
     * leak report in a log, a server not back to its baseline, missing samples, client errors) and its
     * results hold every server's samples, series and settle.
     */
    private static void checkSoak(JsonNode res, String where, List<String> problems) {
        res.path("problems").forEach(p -> problems.add(where + ": " + p.asText()));
        int servers = res.path("servers").size();
        if (servers == 0) {
            problems.add(where + ": no server sampled");
        }
        for (JsonNode s : res.path("servers")) {
            if (s.path("samples").size() < s.path("samplesTaken").asInt() || s.path("expectedSamples").asInt() <= 0
                    || s.path("log").isMissingNode()) {
                problems.add(where + ": " + s.path("name").asText() + ": samples or log scan missing");
            }
        }
        if (res.path("series").size() != servers * SoakJudge.Series.values().length || res.path("settle").size() != servers) {
            problems.add(where + ": series or settle missing for some server");
        }
        for (JsonNode x : res.path("series")) {
            finite(x, where + " " + x.path("series").asText(), problems, "/mean", "/slopePerHour", "/impliedGrowth");
        }
    }

    private static void allConnected(JsonNode res, String where, List<String> problems) {
        JsonNode c = res.path("connect");
        if (c.path("failed").asInt(-1) != 0 || c.path("ready").asInt() != c.path("requested").asInt(-1)) {
            problems.add(where + ": " + c.path("ready").asInt() + " of " + c.path("requested").asInt()
                    + " connections ready, failures " + c.path("failures"));
        }
    }

    private static void finite(JsonNode node, String where, List<String> problems, String... pointers) {
        for (String p : pointers) {
            JsonNode v = node.at(p);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                problems.add(where + ": " + p + " missing or not a finite number (" + v + ")");
            }
        }
    }
}
