package io.sockeye.core.recovery;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery settings (socket.io's {@code connectionStateRecovery}). Set with
 * {@link io.sockeye.core.ServerOptions.Builder#connectionStateRecovery}; off unless set, as in socket.io.
 *
 * <p>With recovery on, a client that loses its connection and comes back within
 * {@code maxDisconnectionDuration} gets its socket back — same id, rooms and {@code data} — and every
 * event it missed, in order, before the CONNECT reply (see docs/recovery.md).
 *
 * @param maxDisconnectionDuration how long a disconnected socket's session is kept (socket.io default: 2 minutes)
 * @param skipMiddlewares          whether a restored socket skips the namespace's middlewares (socket.io
 *                                 default: true); those registered with
 *                                 {@link io.sockeye.core.Namespace#useAlways} run anyway
 * @param history                  the bounds of the history kept for replay
 * @param clock                    the time source of history ages and session expiry (the system clock;
 *                                 tests pass a clock they control)
 */
public record ConnectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares,
                                      HistoryBounds history, Clock clock) {

    /** socket.io's default window: 2 minutes. */
    public static final Duration DEFAULT_MAX_DISCONNECTION_DURATION = Duration.ofMinutes(2);

    public ConnectionStateRecovery {
        Objects.requireNonNull(maxDisconnectionDuration, "connectionStateRecovery maxDisconnectionDuration");
        if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
            throw new IllegalArgumentException(
                    "connectionStateRecovery maxDisconnectionDuration must be positive: " + maxDisconnectionDuration);
        }
        Objects.requireNonNull(history, "connectionStateRecovery history");
        Objects.requireNonNull(clock, "connectionStateRecovery clock");
    }

    /** Recovery within {@code maxDisconnectionDuration}, default history bounds (kept as long as the window). */
    public static ConnectionStateRecovery of(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
        Objects.requireNonNull(maxDisconnectionDuration, "connectionStateRecovery maxDisconnectionDuration");
        return new ConnectionStateRecovery(maxDisconnectionDuration, skipMiddlewares,
                HistoryBounds.defaults(maxDisconnectionDuration), Clock.systemUTC());
    }

    /** socket.io's defaults: a 2-minute window, middlewares skipped on recovery. */
    public static ConnectionStateRecovery defaults() {
        return of(DEFAULT_MAX_DISCONNECTION_DURATION, true);
    }

    public ConnectionStateRecovery withHistory(HistoryBounds value) {
        return new ConnectionStateRecovery(maxDisconnectionDuration, skipMiddlewares, value, clock);
    }

    public ConnectionStateRecovery withClock(Clock value) {
        return new ConnectionStateRecovery(maxDisconnectionDuration, skipMiddlewares, history, value);
    }

    /** The current time of {@link #clock()}, in milliseconds. */
    public long now() {
        return clock.millis();
    }
}
