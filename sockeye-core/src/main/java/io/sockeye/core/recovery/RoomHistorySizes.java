package io.sockeye.core.recovery;

/**
 * Per-room overrides of {@link HistoryBounds#maxEntriesPerRoom()} for the node-local history
 * ({@link InMemoryHistoryStore}), e.g. none for typing indicators and more for announcements. Asked once
 * when a room's log is created, and for each broadcast to a room that keeps nothing: keep it cheap and
 * free of side effects.
 */
@FunctionalInterface
public interface RoomHistorySizes {

    /** What {@link #entriesFor} answers for a room without an override. */
    int DEFAULT = -1;

    /** No overrides: every room keeps {@link HistoryBounds#maxEntriesPerRoom()}. */
    RoomHistorySizes NONE = room -> DEFAULT;

    /**
     * The entries kept for {@code room}: {@link #DEFAULT}, a positive number, or {@code 0} for none — then
     * the room's messages are not kept and not owed, like volatile ones: a recovery or catch-up is not
     * refused because of them, it simply does not replay them.
     */
    int entriesFor(String room);
}
