package io.sockeye.adapter.redis.internal;

import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterMessageType;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The entries of one stream its reader read last, decoded, so that a restore whose offset lies inside
 * them is answered without asking Redis (see docs/recovery.md, "Redis Streams adapter").
 *
 * <p>The reader reads the stream in order with {@code XREAD} from the id of its last entry, so every
 * entry after the tail's <em>base</em> up to its <em>last</em> position is in the tail: no gap, as
 * long as Redis did not lose or drop entries the reader had not read yet. What could break that — a
 * failed read, a lost connection (Redis restarted or failed over) — {@link #invalidate()}s the base,
 * and the tail claims nothing until the next entry read. Bounded by entry count and estimated bytes;
 * evicting the oldest entry moves the base up to it. Every entry of the stream takes a slot (those of
 * other namespaces or not replayable as small markers), so with at most {@code maxLen} entries the tail
 * holds no more than the stream's {@code MAXLEN ~} bound keeps.
 */
public final class StreamTail {

    /** Estimated bytes of a marker: an entry that is never replayed. */
    static final int MARKER_BYTES = 48;
    private static final long NONE = -1;
    private static final EncodedPacket UNENCODED = new EncodedPacket("", List.of());

    private final int maxEntries;
    private final long maxBytes;
    private final Entry[] ring;
    private int first; // index of the oldest entry
    private int size;
    private long bytes;
    private long base = NONE; // entries after base, up to last, are all here; NONE: nothing claimed
    private long last = NONE;
    private long appended = NONE; // the last entry this node appended: a read waits until the reader passed it
    private final List<Waiter> waiters = new ArrayList<>();

    /**
     * @param maxEntries most entries kept (0 keeps none: every restore asks Redis)
     * @param maxBytes   most estimated bytes kept
     */
    public StreamTail(int maxEntries, long maxBytes) {
        if (maxEntries < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("tail bounds must not be negative: " + maxEntries + ", " + maxBytes);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.ring = new Entry[maxEntries];
    }

    /** One entry read from the stream. */
    static final class Entry {
        final long sequence;
        final String nsp;
        /** Rooms and except-rooms of a replayable broadcast, packet not encoded yet; null for a marker. */
        final HistoryEntry target;
        final List<Object> args;
        final int bytes;
        private volatile HistoryEntry replay;

        Entry(long sequence, String nsp, HistoryEntry target, List<Object> args, int bytes) {
            this.sequence = sequence;
            this.nsp = nsp;
            this.target = target;
            this.args = args;
            this.bytes = bytes;
        }

        /** The entry as replayed, its packet encoded once for every restore that needs it. */
        HistoryEntry replay(String namespace, Function<SocketPacket, EncodedPacket> encoder) {
            HistoryEntry encoded = replay;
            if (encoded == null) { // two restores may both encode it: the same result, no harm
                List<Object> data = new ArrayList<>(args.size() + 1);
                data.addAll(args);
                data.add(EntryIdFormat.INSTANCE.format(target.position()));
                encoded = new HistoryEntry(target.position(), target.rooms(), target.except(),
                        encoder.apply(SocketPacket.event(namespace, data)), target.timestamp());
                replay = encoded;
            }
            return encoded;
        }
    }

    private record Waiter(long sequence, CompletableFuture<Boolean> passed) {
    }

    /**
     * What the tail holds after a position: the owed entries of a namespace, or why it cannot tell.
     * {@code through} is where the answer is complete, or, for {@code NOT_YET}, where the reader must get to.
     */
    record Slice(Kind kind, List<Entry> entries, long through, boolean more) {
        enum Kind { SERVED, OLDER, NOT_YET }
    }

    /** Whether the tail keeps entries at all (restores ask Redis otherwise). */
    public boolean enabled() {
        return maxEntries > 0;
    }

    /** This node appended an entry: reads that start from now on wait until the reader read it. */
    public synchronized void appended(StreamPosition position) {
        appended = Math.max(appended, position.sequence());
    }

    /** The reader starts reading after {@code position}: everything after it will be read. */
    public synchronized void start(StreamPosition position) {
        clear();
        base = position.sequence();
        last = base;
    }

    /** The reader may have missed entries (a failed read, a lost connection): claim nothing for now. */
    public synchronized void invalidate() {
        clear();
        base = NONE;
        last = NONE;
    }

    /**
     * Records the next entry the reader read, before it is delivered (a restore that reads the tail after
     * joining its rooms then either finds the entry or receives it live). {@code message} is the decoded
     * entry, null when it is not one; {@code rawBytes} the entry's size in Redis.
     */
    public void append(StreamPosition position, String nsp, ClusterMessage message, int rawBytes) {
        List<Waiter> passed = null;
        synchronized (this) {
            long sequence = position.sequence();
            if (base == NONE || sequence <= last) {
                // The first entry after a discontinuity: entries after it are contiguous, it is the base.
                clear();
                base = sequence;
                last = sequence;
            } else {
                last = sequence;
                if (maxEntries > 0) {
                    keep(entry(position, nsp, message, rawBytes));
                } else {
                    base = sequence;
                }
            }
            if (!waiters.isEmpty()) {
                passed = new ArrayList<>();
                for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                    Waiter w = it.next();
                    if (w.sequence <= last) {
                        it.remove();
                        passed.add(w);
                    }
                }
            }
        }
        if (passed != null) { // outside the lock: a waiting restore continues here
            passed.forEach(w -> w.passed.complete(true));
        }
    }

    private static Entry entry(StreamPosition position, String nsp, ClusterMessage message, int rawBytes) {
        if (message == null || message.type() != ClusterMessageType.BROADCAST
                || !(message.data() instanceof Broadcast broadcast) || broadcast.requestId() != null
                || broadcast.opts().flags().isVolatile()
                || !broadcast.packet().type().isEvent() || broadcast.packet().hasId()) {
            return new Entry(position.sequence(), nsp, null, null, MARKER_BYTES);
        }
        HistoryEntry target = new HistoryEntry(position, broadcast.opts().rooms(), broadcast.opts().except(),
                UNENCODED, EntryIdFormat.millis(position));
        // The decoded arguments and, once replayed, their encoding: about twice the entry's own size each.
        int estimate = 160 + 4 * rawBytes;
        // The packet's own list (arguments may be null, which List.copyOf refuses): nothing changes it.
        return new Entry(position.sequence(), nsp, target, broadcast.packet().args(), estimate);
    }

    private void keep(Entry entry) {
        while (size > 0 && (size == maxEntries || bytes + entry.bytes > maxBytes)) {
            evictOldest();
        }
        if (entry.bytes > maxBytes) {
            base = entry.sequence; // too big to keep: restores from before it ask Redis
            return;
        }
        ring[(first + size) % maxEntries] = entry;
        size++;
        bytes += entry.bytes;
    }

    private void evictOldest() {
        Entry oldest = ring[first];
        ring[first] = null;
        first = (first + 1) % maxEntries;
        size--;
        bytes -= oldest.bytes;
        base = oldest.sequence;
    }

    private void clear() {
        while (size > 0) {
            evictOldest();
        }
        first = 0;
        bytes = 0;
    }

    /**
     * The entries of namespace {@code nsp} after {@code after} that {@code rooms} are owed (see
     * {@link HistoryEntry#isFor}), at most {@code limit}: {@code SERVED} with them and the position the
     * answer is complete through; {@code OLDER} when the tail does not reach back to {@code after};
     * {@code NOT_YET} when the reader has not read up to {@code after}, or up to this node's last append
     * (a read after an append sees it, as a read of the stream would), with that position as through.
     */
    synchronized Slice slice(String nsp, long after, Map<String, Long> rooms, long namespaceWideAfter, int limit) {
        return slice(nsp, after, Math.max(after, appended), rooms, namespaceWideAfter, limit);
    }

    /** {@link #slice} once the reader had time to get to {@code needed}, the first answer's target. */
    synchronized Slice slice(String nsp, long after, long needed, Map<String, Long> rooms, long namespaceWideAfter,
                             int limit) {
        if (base == NONE || after < base) {
            return new Slice(Slice.Kind.OLDER, List.of(), NONE, false);
        }
        if (needed > last) {
            return new Slice(Slice.Kind.NOT_YET, List.of(), needed, false);
        }
        List<Entry> owed = new ArrayList<>();
        for (int i = firstAfter(after); i < size; i++) {
            Entry e = ring[(first + i) % maxEntries];
            if (e.target != null && e.nsp.equals(nsp) && e.target.isFor(rooms, namespaceWideAfter)) {
                if (owed.size() == limit) {
                    return new Slice(Slice.Kind.SERVED, owed, owed.get(limit - 1).sequence, true);
                }
                owed.add(e);
            }
        }
        return new Slice(Slice.Kind.SERVED, owed, last, false);
    }

    /** Index (from the oldest) of the first entry after {@code after}: entries are in sequence order. */
    private int firstAfter(long after) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ring[(first + mid) % maxEntries].sequence <= after) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Completes with true once the reader read up to {@code sequence}, or with false after
     * {@code timeoutMs} (the restore then asks Redis).
     */
    CompletableFuture<Boolean> awaitPast(long sequence, long timeoutMs, ScheduledExecutorService scheduler) {
        CompletableFuture<Boolean> passed = new CompletableFuture<>();
        Waiter waiter = new Waiter(sequence, passed);
        synchronized (this) {
            if (last != NONE && sequence <= last) {
                return CompletableFuture.completedFuture(true);
            }
            waiters.add(waiter);
        }
        scheduler.schedule(() -> {
            synchronized (this) {
                waiters.remove(waiter);
            }
            passed.complete(false);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        return passed;
    }
}
