package io.sockeye.core.recovery;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history a node keeps for replay. Bounds apply per room, so a quiet room's history is not
 * evicted by a busy room's; the namespace-wide log (broadcasts to every socket) and each socket's own
 * room (its private emits) are rooms here too. An entry targeting several rooms is stored once.
 *
 * <table>
 * <caption>Bounds and defaults</caption>
 * <tr><th>bound</th><th>default</th><th>meaning</th></tr>
 * <tr><td>maxEntriesPerRoom</td><td>1000</td><td>the oldest entry of a room is evicted from it beyond this many</td></tr>
 * <tr><td>maxAge</td><td>the recovery window</td><td>entries older than this are evicted</td></tr>
 * <tr><td>maxBytes</td><td>64 MiB</td><td>estimated memory of all history of the node (every namespace);
 *     past it, the namespace that appends evicts its own oldest entries</td></tr>
 * </table>
 *
 * <p>Eviction never loses a message silently: a recovery that would need an evicted entry answers
 * {@code recovered:false}.
 *
 * @param maxEntriesPerRoom entries kept per room (at least 1)
 * @param maxAge            how long an entry is kept (positive)
 * @param maxBytes          estimated bytes of history per node (positive)
 * @param roomSizes         per-room overrides of {@code maxEntriesPerRoom}, including none for a room
 *                          ({@link RoomHistorySizes#NONE} by default; a shared cluster history ignores them)
 */
public record HistoryBounds(int maxEntriesPerRoom, Duration maxAge, long maxBytes, RoomHistorySizes roomSizes) {

    /** Default entries per room. */
    public static final int DEFAULT_MAX_ENTRIES_PER_ROOM = 1000;
    /** Default memory bound of a node's history: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    public HistoryBounds {
        if (maxEntriesPerRoom < 1) {
            throw new IllegalArgumentException("history maxEntriesPerRoom must be at least 1: " + maxEntriesPerRoom);
        }
        Objects.requireNonNull(maxAge, "history maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("history maxAge must be positive: " + maxAge);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("history maxBytes must be positive: " + maxBytes);
        }
        Objects.requireNonNull(roomSizes, "history roomSizes");
    }

    /** Bounds without per-room overrides. */
    public HistoryBounds(int maxEntriesPerRoom, Duration maxAge, long maxBytes) {
        this(maxEntriesPerRoom, maxAge, maxBytes, RoomHistorySizes.NONE);
    }

    /** The entries {@code room} keeps: its override, else {@link #maxEntriesPerRoom()}; 0 for none. */
    public int entriesFor(String room) {
        int override = roomSizes.entriesFor(room);
        return override < 0 ? maxEntriesPerRoom : override;
    }

    /** The defaults, with entries kept for {@code maxAge}. */
    public static HistoryBounds defaults(Duration maxAge) {
        return new HistoryBounds(DEFAULT_MAX_ENTRIES_PER_ROOM, maxAge, DEFAULT_MAX_BYTES);
    }

    public HistoryBounds withMaxEntriesPerRoom(int value) {
        return new HistoryBounds(value, maxAge, maxBytes, roomSizes);
    }

    public HistoryBounds withMaxAge(Duration value) {
        return new HistoryBounds(maxEntriesPerRoom, value, maxBytes, roomSizes);
    }

    public HistoryBounds withMaxBytes(long value) {
        return new HistoryBounds(maxEntriesPerRoom, maxAge, value, roomSizes);
    }

    public HistoryBounds withRoomSizes(RoomHistorySizes value) {
        return new HistoryBounds(maxEntriesPerRoom, maxAge, maxBytes, value);
    }
}
