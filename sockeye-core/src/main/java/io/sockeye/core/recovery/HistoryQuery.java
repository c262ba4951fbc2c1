package io.sockeye.core.recovery;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to read from a {@link HistoryStore}: the entries after {@code after} that a session in
 * {@code rooms} is owed.
 *
 * <p>Each room maps to the sequence number after which its entries count — the stream's head when the
 * socket joined the room — so a room joined later does not replay what was published before the join,
 * and pruning that happened before the join does not spoil the recovery. The effective start of a room
 * is the larger of {@code after.sequence()} and its own value. Broadcasts to the whole namespace are
 * included when {@code namespaceWide} is set, from {@code after}.
 *
 * @param after         the last position the reader has (exclusive)
 * @param rooms         the reader's rooms, each with the sequence its membership started after
 * @param namespaceWide whether broadcasts to every socket of the namespace are wanted
 * @param limit         the most entries one read returns (at least 1)
 */
public record HistoryQuery(StreamPosition after, Map<String, Long> rooms, boolean namespaceWide, int limit) {

    public HistoryQuery {
        Objects.requireNonNull(after, "after");
        rooms = rooms == null ? Map.of() : Map.copyOf(rooms);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }

    /** The entries of one room after {@code after}, as a client without recovery asks with {@code since}. */
    public static HistoryQuery room(StreamPosition after, String room, int limit) {
        return new HistoryQuery(after, Map.of(room, 0L), false, limit);
    }

    /** The same query continuing after {@code position} (the next page). */
    public HistoryQuery after(StreamPosition position) {
        return new HistoryQuery(position, rooms, namespaceWide, limit);
    }

    /** Where the entries of {@code room} start for this query (exclusive). */
    public long startOf(String room) {
        Long joined = rooms.get(room);
        return joined == null ? after.sequence() : Math.max(after.sequence(), joined);
    }

    /**
     * The room map a store filters with ({@link HistoryEntry#isFor}): each room's effective start,
     * {@code after} included.
     */
    public Map<String, Long> effectiveRooms() {
        Map<String, Long> out = new HashMap<>(rooms.size() * 2);
        rooms.keySet().forEach(room -> out.put(room, startOf(room)));
        return out;
    }
}
