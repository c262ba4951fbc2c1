package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The connection state recovery scenarios' part of results.md and of the smoke check: {@code retained}
 * (memory per retained message, {@link RetainedScenario}) and {@code recovery} (the recovery storm,
 * {@link RecoveryStormScenario}). Both are Sockeye's alone, so they get tables of their own.
 */
final class RecoveryReport {

    static final List<String> SCENARIOS = List.of("retained", "recovery");
    static final String ONE_NODE = "sockeye-csr";
    static final String TWO_NODES = "sockeye-csr-redis-2";

    private RecoveryReport() {
    }

    /** The run ids the check expects of {@code scenario}. */
    static List<String> expectedPeers(String scenario) {
        return scenario.equals("recovery") ? List.of(ONE_NODE, TWO_NODES) : List.of(ONE_NODE);
    }

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        List<JsonNode> retained = runs(doc, "retained");
        if (!retained.isEmpty()) {
            md.append("## Memory per retained message (connection state recovery)\n\n")
                    .append("| payload | messages | rooms | heap / entry (after GC) | history's estimate / entry | evicted | status |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---|\n");
            for (JsonNode r : retained) {
                JsonNode x = r.path("result");
                md.append(String.format("| %d B | %,d | %d | %s | %s | %d | %s |%n", r.path("size").asInt(),
                        x.path("messages").asInt(), x.path("rooms").asInt(), Report.bytes(x.path("heapPerEntryBytes").asDouble()),
                        Report.bytes(x.path("estimatedPerEntryBytes").asDouble()), x.path("evicted").asLong(), status(r)));
            }
            md.append('\n');
        }
        List<JsonNode> storms = runs(doc, "recovery");
        if (!storms.isEmpty()) {
            md.append("## Recovery storm: all clients drop for 5 s while their room is published to\n\n")
                    .append("| server | clients | room msgs/s | reconnect to | recovered | time to all recovered | replayed | replayed msgs/s "
                            + "| duplicates | lost | server CPU user / system | servers: recovered: false by reason | status |\n")
                    .append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (JsonNode r : storms) {
                JsonNode x = r.path("result");
                md.append(String.format("| %s | %,d | %.0f | %s | %.1f %% | %s | %,d | %s | %d | %d | %,.0f / %,.0f ms | %s | %s |%n",
                        r.path("peer").asText(), r.path("size").asInt(), x.path("publishPerS").asDouble(),
                        x.path("reconnectTo").asText("–"),
                        100 * x.path("recoveredFraction").asDouble(), Report.ms(x.path("timeToAllRecoveredMs").asDouble()),
                        x.path("replayed").asLong(), Report.rate(x.path("replayedPerS").asDouble()),
                        x.path("duplicates").asLong() + x.path("offsetsNotIncreasing").asLong(), x.path("lost").asLong(),
                        x.path("serverCpuUserMs").asDouble(), x.path("serverCpuSystemMs").asDouble(), failures(x), status(r)));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The servers' failed restores by reason, from a stored storm result ({@code –} when a result predates them). */
    private static String failures(JsonNode storm) {
        JsonNode servers = storm.path("servers");
        if (!servers.isObject()) {
            return "–";
        }
        java.util.Map<String, Long> failed = new java.util.TreeMap<>();
        servers.path("failed").fields().forEachRemaining(e -> failed.put(e.getKey(), e.getValue().asLong()));
        return Recoveries.reasons(failed);
    }

    static String oneLine(Object r) {
        if (r instanceof RetainedScenario.Result x) {
            return String.format("%,d messages of %d B: heap %.0f B / entry, history's estimate %.0f B / entry, %d evicted",
                    x.messages(), x.payloadBytes(), x.heapPerEntryBytes(), x.estimatedPerEntryBytes(), x.evicted());
        }
        if (r instanceof RecoveryStormScenario.Result x) {
            return String.format("%d/%d recovered (%s) in %s, %,d replayed (%s msgs/s), %d duplicates, %d lost, "
                            + "server CPU %d ms user + %d ms system, %d reconnection retries, servers' failed restores: %s",
                    x.recovered(), x.clients(), x.reconnectTo(), Report.ms(x.timeToAllRecoveredMs()), x.replayed(),
                    Report.rate(x.replayedPerS()), x.duplicates() + x.offsetsNotIncreasing(), x.lost(),
                    (long) x.serverCpuUserMs(), (long) x.serverCpuSystemMs(), x.retries(),
                    x.servers() == null ? "–" : Recoveries.reasons(x.servers().failed()));
        }
        return null;
    }

    /** A run's result must be complete; a storm must have recovered every client with nothing lost or repeated. */
    static void check(String scenario, JsonNode res, String where, List<String> problems) {
        List<String> fields = scenario.equals("retained")
                ? List.of("heapPerEntryBytes", "estimatedPerEntryBytes", "entries", "messages")
                : List.of("timeToAllRecoveredMs", "replayedPerS", "recoveredFraction", "serverCpuUserMs",
                "serverCpuSystemMs", "replayed", "duplicates", "lost", "offsetsNotIncreasing");
        for (String f : fields) {
            if (!res.path(f).isNumber() || !Double.isFinite(res.path(f).asDouble())) {
                problems.add(where + ": /" + f + " missing or not a finite number (" + res.path(f) + ")");
            }
        }
        if (scenario.equals("retained")) {
            if (res.path("entries").asLong() != res.path("messages").asLong() || res.path("evicted").asLong(-1) != 0) {
                problems.add(where + ": " + res.path("entries") + " entries kept of " + res.path("messages")
                        + " broadcast, " + res.path("evicted") + " evicted (every message must be retained)");
            }
            return;
        }
        if (res.path("recovered").asInt() != res.path("clients").asInt(-1) || res.path("clients").asInt() <= 0) {
            problems.add(where + ": " + res.path("recovered") + " of " + res.path("clients") + " clients recovered, errors "
                    + res.path("errors") + ", servers' failed restores: " + failures(res));
        }
        if (res.path("duplicates").asLong(-1) != 0 || res.path("lost").asLong(-1) != 0
                || res.path("offsetsNotIncreasing").asLong(-1) != 0) {
            problems.add(where + ": " + res.path("duplicates") + " duplicates, " + res.path("lost") + " lost, "
                    + res.path("offsetsNotIncreasing") + " offsets not increasing");
        }
        if (res.path("replayed").asLong() <= 0) {
            problems.add(where + ": nothing replayed");
        }
    }

    private static List<JsonNode> runs(JsonNode doc, String scenario) {
        List<JsonNode> out = new java.util.ArrayList<>();
        doc.path("runs").forEach(r -> {
            if (r.path("scenario").asText().equals(scenario)) {
                out.add(r);
            }
        });
        return out;
    }

    static String status(JsonNode r) {
        String s = r.path("status").asText();
        return s.equals("ok") ? "ok" : s + ": " + r.path("reason").asText();
    }
}
