package io.sockeye.core.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one label's values to a bounded set, because they come from the network or from user code
 * (namespaces, close reasons) and every distinct value is a time series kept forever. Either a fixed
 * allowlist, or the first {@code max} values seen; anything else becomes {@value #OTHER}.
 * Thread-safe; a lookup of a known value does not allocate. For {@link SockeyeMetrics} implementations,
 * whose label values must be bounded (obligation 4).
 */
public final class BoundedLabel {

    /** What every value outside the bound becomes. */
    public static final String OTHER = "other";

    private final Set<String> allowed;
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private BoundedLabel(Set<String> allowed, int max) {
        this.allowed = allowed;
        this.max = max;
    }

    /** Only these values; others are {@value #OTHER}. */
    public static BoundedLabel allowlist(Set<String> values) {
        return new BoundedLabel(Set.copyOf(values), 0);
    }

    /** The first {@code max} distinct values seen; later new ones are {@value #OTHER}. */
    public static BoundedLabel firstSeen(int max) {
        return new BoundedLabel(null, max);
    }

    /** {@code value} itself when within the bound, else {@value #OTHER} (also for {@code null}). */
    public String of(String value) {
        if (value == null) {
            return OTHER;
        }
        if (allowed != null) {
            return allowed.contains(value) ? value : OTHER;
        }
        if (seen.contains(value)) {
            return value;
        }
        // A race may let a few more than max in; the bound only has to stop unbounded growth.
        if (seen.size() < max) {
            seen.add(value);
            return value;
        }
        return OTHER;
    }
}
