package io.sockeye.server.config;

import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.RoomHistorySizes;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery and room history of the standalone server: on by default with socket.io's
 * 2-minute window; {@code recovery.window: 0} turns both off (no {@code since}, no history API).
 *
 * @param window      how long a dropped client's socket is kept for it ({@code 0} = recovery and history off)
 * @param historySize messages kept per room (at least 1)
 * @param historyTtl  how long a message is kept; never shorter than the window (refused at start), or a
 *                    client coming back late in the window would find its messages gone
 */
public record RecoverySettings(Duration window, int historySize, Duration historyTtl) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    public static final int DEFAULT_HISTORY_SIZE = 100;
    public static final Duration DEFAULT_HISTORY_TTL = Duration.ofMinutes(5);
    /** The largest history.size, and room rule history. */
    public static final int MAX_HISTORY_SIZE = 1_000_000;

    public RecoverySettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(historyTtl, "historyTtl");
    }

    public static RecoverySettings defaults() {
        return new RecoverySettings(DEFAULT_WINDOW, DEFAULT_HISTORY_SIZE, DEFAULT_HISTORY_TTL);
    }

    public boolean enabled() {
        return !window.isZero();
    }

    /**
     * The core's options: the window, restored sockets skip the server's middlewares except the
     * handshake check (registered to run always), the history bounds.
     */
    public ConnectionStateRecovery options() {
        return options(RoomHistorySizes.NONE);
    }

    /** {@link #options()} with per-room history sizes (the room rules' {@code history}). */
    public ConnectionStateRecovery options(RoomHistorySizes roomSizes) {
        return ConnectionStateRecovery.of(window, true).withHistory(
                new HistoryBounds(historySize, historyTtl, HistoryBounds.DEFAULT_MAX_BYTES, roomSizes));
    }

    @Override
    public String toString() {
        return enabled() ? "window=" + window + ", history=" + historySize + "/" + historyTtl : "off";
    }
}
