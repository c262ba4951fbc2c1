package io.sockeye.core.recovery;

import java.util.concurrent.CompletableFuture;

/**
 * The history of one namespace's stream, as connection state recovery reads it. Node-local stores
 * also implement {@link LocalHistory}, through which the node appends; a store shared by a cluster is
 * appended to by its backend as it publishes (see {@link RecoveryBackend#shared}).
 *
 * <p>Obligations of an implementation:
 * <ol>
 *   <li><b>Threading.</b> Every method is thread-safe and non-blocking: {@link #head()} answers from
 *       memory; {@link #read} starts its I/O and completes later (any thread).</li>
 *   <li><b>Ordering.</b> Sequence numbers of one epoch only grow; entries are returned in sequence
 *       order, each at most once per read.</li>
 *   <li><b>Read after append.</b> A read that starts after an append completed (or after the node
 *       delivered the entry) sees it; {@link #head()} is never behind an entry this node delivered.</li>
 *   <li><b>Bounds.</b> Entries are kept per room, bounded by count and age per room (and by memory per
 *       node), so a quiet room is not evicted by a busy one. Every eviction from a room raises that
 *       room's <em>prune watermark</em> (the highest sequence evicted from it).</li>
 *   <li><b>Never a silent gap.</b> {@link #read} fails with {@link HistoryRead.Status#PRUNED} when a
 *       room of the query (effective start {@link HistoryQuery#startOf}) or, with
 *       {@code namespaceWide}, the namespace-wide log has a watermark above its start; with
 *       {@code OTHER_EPOCH} when the query's epoch is not the stream's; with {@code AHEAD} when its
 *       sequence is beyond the head. A read fails rather than returning a partial answer.</li>
 *   <li><b>Filtering.</b> Only entries the query's rooms are owed are returned
 *       ({@link HistoryEntry#isFor} with the query's effective rooms).</li>
 *   <li><b>Placeholders.</b> An entry's packet may contain {@link OffsetPlaceholder#VALUE} inside its
 *       arguments (an emitter's stand-in for the offset, e.g. in a {@code meta} object): keep it as it
 *       is, or splice the entry's offset over it in place (same length as a standard offset); readers
 *       resolve it with {@link HistoryEntry#replayPacket}.</li>
 * </ol>
 */
public interface HistoryStore {

    /** How this store's positions are written as offsets. */
    default OffsetFormat offsetFormat() {
        return OffsetFormat.STANDARD;
    }

    /**
     * The last position assigned, as far as this node knows (for a shared store: at least the last one
     * this node delivered). A socket that connects starts here.
     */
    StreamPosition head();

    /**
     * Called by a cluster adapter for every broadcast of a shared stream it delivers, in stream order; a
     * shared store may keep {@link #head()} from it. Node-local stores ignore it.
     */
    default void delivered(StreamPosition position) {
    }

    /** Reads one page of the entries {@code query} asks for. */
    CompletableFuture<HistoryRead> read(HistoryQuery query);

    /** Releases the store's resources (timers, memory); further calls may fail. Idempotent. */
    default void close() {
    }
}
