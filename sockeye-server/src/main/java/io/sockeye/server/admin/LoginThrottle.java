package io.sockeye.server.admin;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows admin password guessing, per address and for the whole server:
 * <ul>
 *   <li>an address with {@link #MAX_FAILURES} failed attempts within {@link #WINDOW_MILLIS} is refused,
 *       right password or not, until that window ends;</li>
 *   <li>past {@link #MAX_GLOBAL_FAILURES} failed attempts within a window from all addresses together,
 *       every address is refused until the window ends (guessing from many addresses gains nothing);</li>
 *   <li>at most {@link #MAX_ADDRESSES} addresses are tracked. To make room, ended windows go first, then
 *       the oldest addresses that are not locked; a locked address is never forgotten early. When every
 *       tracked address is locked, a new address is refused: the throttle fails closed.</li>
 * </ul>
 * {@link #tryAttempt} counts an attempt as a failure before the password is checked, so attempts checked
 * in parallel cannot exceed the limits; {@link #succeeded} then forgets the address's failures and
 * {@link #cancelled} takes back an attempt that was never checked. Time comes from the injected clock.
 * Thread-safe (one lock: attempts are few, and each costs a few map operations).
 */
final class LoginThrottle {

    static final int MAX_FAILURES = 10;
    static final long WINDOW_MILLIS = 60_000;
    static final int MAX_ADDRESSES = 10_000;
    static final int MAX_GLOBAL_FAILURES = 100;

    /** Failures of one address in the window that began at {@code start}. */
    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    /** Oldest window first: an address whose window is renewed moves to the end. */
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private final Clock clock;
    private final int maxFailures;
    private final long windowMillis;
    private final int maxAddresses;
    private final int maxGlobalFailures;
    private long globalStart;
    private int globalFailures;

    LoginThrottle(Clock clock) {
        this(clock, MAX_FAILURES, WINDOW_MILLIS, MAX_ADDRESSES, MAX_GLOBAL_FAILURES);
    }

    LoginThrottle(Clock clock, int maxFailures, long windowMillis, int maxAddresses, int maxGlobalFailures) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.maxAddresses = maxAddresses;
        this.maxGlobalFailures = maxGlobalFailures;
        this.globalStart = clock.millis();
    }

    /** Whether {@code address} may try a password now. */
    synchronized boolean allowed(String address) {
        long now = clock.millis();
        if (globalFailures(now) >= maxGlobalFailures) {
            return false;
        }
        Window w = windows.get(address);
        if (w != null) {
            return !locked(w, now);
        }
        return makeRoom(now);
    }

    /** Takes one attempt for {@code address} if it is allowed, counting it as failed until told otherwise. */
    synchronized boolean tryAttempt(String address) {
        if (!allowed(address)) {
            return false;
        }
        failed(address);
        return true;
    }

    /** Counts a failed attempt. */
    synchronized void failed(String address) {
        long now = clock.millis();
        globalFailures(now);
        globalFailures++;
        Window w = windows.get(address);
        if (w == null || ended(w, now)) {
            if (w == null && !makeRoom(now)) {
                return; // every tracked address is locked: allowed() refuses this one anyway
            }
            windows.remove(address);
            w = new Window(now);
            windows.put(address, w);
        }
        w.failures++;
    }

    /** The attempt succeeded: forgets the address's failures and gives its attempt back to the global budget. */
    synchronized void succeeded(String address) {
        windows.remove(address);
        globalFailures = Math.max(0, globalFailures - 1);
    }

    /** An attempt taken by {@link #tryAttempt} was never checked (the checker was busy): gives it back. */
    synchronized void cancelled(String address) {
        Window w = windows.get(address);
        if (w != null && w.failures > 0) {
            w.failures--;
        }
        globalFailures = Math.max(0, globalFailures - 1);
    }

    /** Addresses tracked now (tests). */
    synchronized int tracked() {
        return windows.size();
    }

    private int globalFailures(long now) {
        if (now - globalStart >= windowMillis) {
            globalStart = now;
            globalFailures = 0;
        }
        return globalFailures;
    }

    private boolean ended(Window w, long now) {
        return now - w.start >= windowMillis;
    }

    private boolean locked(Window w, long now) {
        return w.failures >= maxFailures && !ended(w, now);
    }

    /** Whether a new address can be tracked, evicting ended windows, else the oldest unlocked address. */
    private boolean makeRoom(long now) {
        if (windows.size() < maxAddresses) {
            return true;
        }
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) { // ended windows form the head: the table is ordered by window start
            if (!ended(it.next(), now)) {
                break;
            }
            it.remove();
        }
        if (windows.size() < maxAddresses) {
            return true;
        }
        for (it = windows.values().iterator(); it.hasNext(); ) {
            if (!locked(it.next(), now)) {
                it.remove();
                return true;
            }
        }
        return false;
    }
}
