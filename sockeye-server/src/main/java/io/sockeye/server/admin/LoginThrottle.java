package io.sockeye.server.admin;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing at the dashboard's login: an address with {@link #MAX_FAILURES} failed
 * logins within {@link #WINDOW_MILLIS} is refused (429) until that window ends, right password or not.
 * Bounded: past {@link #MAX_ADDRESSES} tracked addresses the table is swept, then cleared. Thread-safe.
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final long WINDOW_MILLIS = 60_000;
    static final int MAX_ADDRESSES = 10_000;

    /** Failures of one address in the window that began at {@code start}. */
    private record Window(long start, int failures) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whether {@code address} may try a password now. */
    boolean allowed(String address) {
        Window w = windows.get(address);
        return w == null || w.failures() < MAX_FAILURES || clock.millis() - w.start() >= WINDOW_MILLIS;
    }

    void failed(String address) {
        long now = clock.millis();
        if (windows.size() >= MAX_ADDRESSES) {
            windows.values().removeIf(w -> now - w.start() >= WINDOW_MILLIS);
            if (windows.size() >= MAX_ADDRESSES) {
                windows.clear();
            }
        }
        windows.compute(address, (a, w) -> w == null || now - w.start() >= WINDOW_MILLIS
                ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
    }

    void succeeded(String address) {
        windows.remove(address);
    }
}
