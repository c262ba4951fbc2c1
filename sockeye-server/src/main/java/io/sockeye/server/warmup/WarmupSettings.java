package io.sockeye.server.warmup;

import java.time.Duration;
import java.util.Objects;

/**
 * The start-up warm-up ({@link Warmup}): whether it runs, and the longest it may take before the node
 * turns ready anyway.
 *
 * @param enabled whether the node warms up before {@code /readyz} turns ready; default on
 * @param timeout the bound on the warm-up; default 10 s
 */
public record WarmupSettings(boolean enabled, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WarmupSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("warm-up timeout must be positive");
        }
    }

    /** No warm-up. */
    public static WarmupSettings off() {
        return new WarmupSettings(false, DEFAULT_TIMEOUT);
    }
}
