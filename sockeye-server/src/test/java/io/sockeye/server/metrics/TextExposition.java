package io.sockeye.server.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it rejects
 * anything Prometheus would reject or warn about, so a test that parses {@code /metrics} also proves
 * the output well-formed. Checks: names and label syntax, escapes, values, one {@code # TYPE} per
 * family declared before its samples, samples of a family contiguous, sample names matching the type
 * ({@code _bucket}/{@code _sum}/{@code _count} for histograms), no duplicate series, counters not
 * negative, histogram buckets cumulative and ending in {@code +Inf} equal to {@code _count}.
 */
final class TextExposition {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. Labels sorted by name. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One metric family: its type, help and samples. */
    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    private TextExposition() {
    }

    static TextExposition parse(String text) {
        TextExposition e = new TextExposition();
        e.read(text);
        return e;
    }

    Map<String, Family> families() {
        return families;
    }

    /** The value of the series {@code name{labels}}, e.g. {@code value("x_total", "reason", "y")}; fails if absent. */
    double value(String name, String... labelPairs) {
        Double v = find(name, labelPairs);
        if (v == null) {
            throw new AssertionError("no series " + name + labelsOf(labelPairs) + " in the exposition");
        }
        return v;
    }

    /** The value, or 0 when the series is absent (a counter not yet incremented for that label). */
    double valueOrZero(String name, String... labelPairs) {
        Double v = find(name, labelPairs);
        return v == null ? 0 : v;
    }

    boolean has(String familyName) {
        return families.containsKey(familyName);
    }

    private Double find(String name, String... labelPairs) {
        Map<String, String> want = labelsOf(labelPairs);
        for (Family f : families.values()) {
            for (Sample s : f.samples) {
                if (s.name.equals(name) && sameLabels(s.labels, want)) {
                    return s.value;
                }
            }
        }
        return null;
    }

    // Bucket bounds compare as numbers: the writer prints 0.0005 as "5.0E-4".
    private static boolean sameLabels(Map<String, String> have, Map<String, String> want) {
        if (!have.keySet().equals(want.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            String v = have.get(e.getKey());
            boolean same = e.getKey().equals("le")
                    ? parseValue(v, "le") == parseValue(e.getValue(), "le") : v.equals(e.getValue());
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> labelsOf(String... pairs) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    // ---- parsing -----------------------------------------------------------------------------

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a newline");
        }
        Map<String, String> help = new LinkedHashMap<>();
        Family current = null;
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + ": " + line;
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                checkName(p[0], where);
                if (help.put(p[0], p.length > 1 ? p[1] : "") != null) {
                    throw new AssertionError("second HELP for " + p[0] + " at " + where);
                }
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                if (p.length != 2 || !TYPES.contains(p[1])) {
                    throw new AssertionError("bad TYPE at " + where);
                }
                checkName(p[0], where);
                if (families.containsKey(p[0])) {
                    throw new AssertionError("second TYPE for " + p[0] + " at " + where);
                }
                if (current != null) {
                    closed.add(current.name);
                }
                current = new Family(p[0], p[1], help.getOrDefault(p[0], ""), new ArrayList<>());
                families.put(p[0], current);
            } else if (line.startsWith("#")) {
                continue; // a comment
            } else {
                Sample s = sample(line, where);
                if (current == null || !belongs(current, s.name)) {
                    throw new AssertionError("sample outside its family's TYPE block (or family declared twice) at " + where);
                }
                if (closed.contains(current.name)) {
                    throw new AssertionError("family " + current.name + " is not contiguous at " + where);
                }
                if (!series.add(s.name + s.labels)) {
                    throw new AssertionError("duplicate series at " + where);
                }
                if (current.type.equals("counter") && (s.value < 0 || Double.isNaN(s.value))) {
                    throw new AssertionError("negative counter at " + where);
                }
                current.samples.add(s);
            }
        }
        families.values().forEach(TextExposition::checkHistogram);
    }

    private static boolean belongs(Family f, String sampleName) {
        return switch (f.type) {
            case "histogram" -> sampleName.equals(f.name + "_bucket") || sampleName.equals(f.name + "_sum")
                    || sampleName.equals(f.name + "_count") || sampleName.equals(f.name + "_created");
            case "summary" -> sampleName.equals(f.name) || sampleName.equals(f.name + "_sum")
                    || sampleName.equals(f.name + "_count") || sampleName.equals(f.name + "_created");
            case "counter" -> sampleName.equals(f.name) || sampleName.equals(f.name + "_created");
            default -> sampleName.equals(f.name);
        };
    }

    private static void checkHistogram(Family f) {
        if (!f.type.equals("histogram")) {
            return;
        }
        Map<Map<String, String>, List<Sample>> byLabels = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            Map<String, String> rest = new TreeMap<>(s.labels);
            if (s.name.endsWith("_bucket")) {
                if (rest.remove("le") == null) {
                    throw new AssertionError(f.name + ": bucket without le");
                }
                byLabels.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            } else if (s.name.endsWith("_count")) {
                counts.put(rest, s.value);
            }
        }
        byLabels.forEach((labels, buckets) -> {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : buckets) {
                double bound = parseValue(b.labels.get("le"), f.name);
                if (bound <= previousBound || b.value < previousCount) {
                    throw new AssertionError(f.name + labels + ": buckets not increasing / not cumulative");
                }
                previousBound = bound;
                previousCount = b.value;
            }
            if (previousBound != Double.POSITIVE_INFINITY) {
                throw new AssertionError(f.name + labels + ": last bucket is not le=\"+Inf\"");
            }
            Double count = counts.get(labels);
            if (count == null || count != previousCount) {
                throw new AssertionError(f.name + labels + ": _count " + count + " differs from the +Inf bucket " + previousCount);
            }
        });
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        checkName(name, where);
        Map<String, String> labels = new TreeMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new AssertionError("bad label at " + where);
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new AssertionError("bad label name '" + label + "' at " + where);
                }
                if (eq + 1 >= n || line.charAt(eq + 1) != '"') {
                    throw new AssertionError("label value not quoted at " + where);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < n && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = j + 1 < n ? line.charAt(++j) : 0;
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new AssertionError("bad escape at " + where);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (j >= n) {
                    throw new AssertionError("unterminated label value at " + where);
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new AssertionError("duplicate label " + label + " at " + where);
                }
                i = j + 1;
                if (i < n && line.charAt(i) == ',') {
                    i++;
                } else if (i >= n || line.charAt(i) != '}') {
                    throw new AssertionError("expected , or } at " + where);
                }
            }
        }
        if (i >= n || line.charAt(i) != ' ') {
            throw new AssertionError("expected a space before the value at " + where);
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new AssertionError("expected value [timestamp] at " + where);
        }
        double value = parseValue(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new AssertionError("bad timestamp at " + where);
            }
        }
        return new Sample(name, labels, value);
    }

    private static double parseValue(String s, String where) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new AssertionError("bad value '" + s + "' at " + where);
                }
        }
    }

    private static void checkName(String name, String where) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new AssertionError("bad metric name '" + name + "' at " + where);
        }
    }
}
