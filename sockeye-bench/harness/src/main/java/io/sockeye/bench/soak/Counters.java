package io.sockeye.bench.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak's clients saw, by name: {@code error.*} counts a well-behaved client's failure (connect
 * refused, lost connection, a request answered with an error or not at all, an HTTP API failure),
 * everything else counts what happened (sessions started, how they ended, what the server did to the
 * misbehaving clients). Thread-safe; names are dot-separated, lower case.
 */
final class Counters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String name) {
        add(name, 1);
    }

    void add(String name, long n) {
        counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    long get(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Every counter, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** A reason as a counter name segment: lower case, words joined by underscores, bounded. */
    static String key(String reason) {
        String k = reason.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return k.length() > 40 ? k.substring(0, 40) : k.isEmpty() ? "unknown" : k;
    }
}
