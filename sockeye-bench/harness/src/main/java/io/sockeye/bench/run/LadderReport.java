package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fan-out's equal-load ladder in results.md ({@link FanoutScenario#ladderRates}): every server's
 * latency at the same delivered rates, next to the loopback floor of the run, so that servers are
 * compared at one load and not each at half of its own maximum.
 */
final class LadderReport {

    private LadderReport() {
    }

    static String markdown(JsonNode doc) {
        StringBuilder md = new StringBuilder();
        for (JsonNode r : doc.path("runs")) {
            JsonNode rungs = r.path("result").path("ladder");
            if (!r.path("scenario").asText().equals("fanout") || !rungs.isArray() || rungs.isEmpty()) {
                continue;
            }
            if (md.isEmpty()) {
                JsonNode floor = doc.path("machine").path("loopbackFloor");
                md.append("## Fan-out at equal load: the same delivered rates for every server\n\n");
                if (floor.has("recipient")) {
                    md.append("Loopback floor of this run: recipient p99 ").append(Report.ms(floor.path("recipient").path("p99Ms").asDouble()))
                            .append(", last recipient p99 ").append(Report.ms(floor.path("lastRecipient").path("p99Ms").asDouble()))
                            .append(".\n\n");
                }
                md.append("Before each rung the ladder waits for the deliveries the steps before it left outstanding "
                        + "(until all arrived, none arrived for ").append(BacklogDrain.IDLE_MS / 1000).append(" s, or ")
                        .append(BacklogDrain.DEADLINE_MS / 1000).append(" s passed); a rung that started with a backlog says so.\n\n");
                md.append("| server | subscribers | repeat | before the rung | target deliveries/s | delivered/s | p50 | p99 "
                                + "| first recipient p50 | last recipient p99 | verdict |\n")
                        .append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
            }
            for (JsonNode rung : rungs) {
                JsonNode s = rung.path("step");
                md.append(String.format("| %s | %,d | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.path("peer").asText(),
                        r.path("size").asInt(), r.path("repeat").asInt() + 1, drain(rung.path("drain")), Report.rate(s.path("targetDeliveredPerS").asDouble()),
                        Report.rate(s.path("deliveredPerS").asDouble()), Report.ms(s.path("latency").path("p50Ms").asDouble()),
                        Report.ms(s.path("latency").path("p99Ms").asDouble()),
                        Report.ms(s.path("firstRecipient").path("p50Ms").asDouble()),
                        Report.ms(s.path("lastRecipient").path("p99Ms").asDouble()), s.path("verdict").asText()));
            }
        }
        return md.isEmpty() ? "" : md.append('\n').toString();
    }

    /** How the wait before a rung ended, in words. */
    static String drain(JsonNode d) {
        long outstanding = d.path("outstanding").asLong();
        long received = d.path("received").asLong();
        String waited = String.format("%.1f s", d.path("waitedS").asDouble());
        return switch (d.path("end").asText()) {
            case Results.Drain.DRAINED -> "drained " + Report.rate(received) + " in " + waited;
            case Results.Drain.IDLE -> "drained " + Report.rate(received) + " in " + waited + "; "
                    + Report.rate(outstanding - received) + " never came";
            case Results.Drain.DEADLINE -> "**backlog: " + Report.rate(outstanding - received) + " still on their way after "
                    + waited + "**";
            default -> "nothing outstanding";
        };
    }
}
