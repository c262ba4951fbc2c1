package io.sockeye.bench.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connection state recovery outcomes of one or more Sockeye peers, as their {@code RECOVERY} console line
 * reports them: how many restores were attempted, succeeded, took a ghost over, and failed by reason.
 */
record Recoveries(long attempted, long succeeded, long tookOver, Map<String, Long> failed) {

    private static final Pattern LINE = Pattern.compile("RECOVERY attempted=(\\d+) succeeded=(\\d+) tookOver=(\\d+) failed=(\\S*)");

    static final Recoveries NONE = new Recoveries(0, 0, 0, Map.of());

    static Recoveries parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("malformed RECOVERY line: " + line);
        }
        Map<String, Long> failed = new TreeMap<>();
        for (String pair : m.group(4).split(",")) {
            int colon = pair.lastIndexOf(':');
            if (colon > 0) {
                failed.put(pair.substring(0, colon), Long.parseLong(pair.substring(colon + 1)));
            }
        }
        return new Recoveries(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), failed);
    }

    /** What {@code these} peers did together. */
    static Recoveries sum(List<Recoveries> these) {
        Map<String, Long> failed = new TreeMap<>();
        long attempted = 0;
        long succeeded = 0;
        long tookOver = 0;
        for (Recoveries r : these) {
            attempted += r.attempted;
            succeeded += r.succeeded;
            tookOver += r.tookOver;
            r.failed.forEach((reason, n) -> failed.merge(reason, n, Long::sum));
        }
        return new Recoveries(attempted, succeeded, tookOver, failed);
    }

    /** The failures by reason as the report prints them: {@code pruned 255, unavailable 3}, or {@code none}. */
    static String reasons(Map<String, ?> failed) {
        if (failed == null || failed.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        new LinkedHashMap<>(failed).forEach((reason, n) -> text.append(text.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
        return text.toString();
    }
}
