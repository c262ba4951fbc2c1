package io.sockeye.micrometer;

import io.micrometer.core.instrument.Counter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Counters of one name by the value of one (bounded) tag, created on first use and cached. */
final class TaggedCounters {
    private final Map<String, Counter> byValue = new ConcurrentHashMap<>();
    private final Function<String, Counter> create;

    TaggedCounters(Function<String, Counter> create) {
        this.create = create;
    }

    Counter get(String value) {
        Counter c = byValue.get(value);
        return c != null ? c : byValue.computeIfAbsent(value, create);
    }
}
