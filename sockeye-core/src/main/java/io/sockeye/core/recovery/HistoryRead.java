package io.sockeye.core.recovery;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link HistoryStore#read}: either the entries (one page of them), or why the history
 * cannot cover the request — in which case nothing may be replayed.
 *
 * @param status  whether the entries are complete, or why not
 * @param entries the entries owed, in sequence order, at most the query's limit (empty unless
 *                {@link Status#OK})
 * @param through the position up to which the read is complete: the last entry returned when
 *                {@code more}, else the stream's head at the time of the read. Every entry the reader is
 *                owed up to here was returned; the reader drops live packets at or below it.
 * @param more    whether more entries follow (read again from {@code through})
 */
public record HistoryRead(Status status, List<HistoryEntry> entries, StreamPosition through, boolean more) {

    /** Why a read succeeded or failed. */
    public enum Status {
        /** The history covers the request. */
        OK,
        /** The position is from another epoch of the stream (its state was lost since). */
        OTHER_EPOCH,
        /** The position is ahead of the stream's head: it was never handed out. */
        AHEAD,
        /** Entries the reader is owed were already evicted (size, age or memory bounds). */
        PRUNED
    }

    public HistoryRead {
        Objects.requireNonNull(status, "status");
        entries = entries == null ? List.of() : List.copyOf(entries);
        if (status != Status.OK && !entries.isEmpty()) {
            throw new IllegalArgumentException("a failed read returns no entries");
        }
    }

    /** A failed read. */
    public static HistoryRead failed(Status status, StreamPosition head) {
        return new HistoryRead(status, List.of(), head, false);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
