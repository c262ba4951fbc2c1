package io.sockeye.core.recovery;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.socket.EncodedPacket;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The node-local history of one namespace, in memory, with a random epoch per instance (so a process
 * restart is a new epoch). Implements every obligation of {@link HistoryStore} and {@link LocalHistory}.
 *
 * <p>Layout: each entry is stored once, in a list of all live entries in sequence order (an intrusive
 * linked list, so an entry evicted from its last room leaves it at once), and referenced from the log of
 * each room it targets (broadcasts to the whole namespace go to one extra log). A room's log keeps at
 * most {@link HistoryBounds#entriesFor} entries (a room that keeps none gets no log: its broadcasts are
 * not stored, and not owed); age and the node's memory budget evict the
 * oldest entries first. Every eviction from a room raises that room's prune watermark. A log emptied by
 * eviction keeps its watermark for as long as a session could still need it (the recovery window plus
 * the heartbeat); beyond {@value #MAX_EMPTY_LOGS} such logs, the oldest fold their watermarks into one
 * namespace-wide watermark that then applies to every room without a log (conservative: such a room may
 * answer {@code PRUNED} although nothing it had was evicted).
 *
 * <p>Thread-safety: every operation takes this object's lock; each is O(1) amortised except
 * {@link #read}, which walks the logs of the rooms asked for. Eviction happens on append, read and
 * {@link #sweep()}.
 */
public final class InMemoryHistoryStore implements LocalHistory {

    /** How many emptied room logs keep their own watermark before the oldest are folded. */
    static final int MAX_EMPTY_LOGS = 10_000;

    /** Eviction reasons, as reported to {@link SockeyeMetrics#historyEvicted}. */
    public static final String SIZE = "size";
    public static final String AGE = "age";
    public static final String MEMORY = "memory";
    public static final String CLOSED = "closed";

    private final String namespace;
    private final String epoch;
    private final HistoryBounds bounds;
    private final HistoryBudget budget;
    private final Clock clock;
    private final long watermarkRetentionMillis;
    private final SockeyeMetrics metrics;

    private volatile long head; // the last sequence assigned; written under the lock
    private final Map<String, RoomLog> logs = new HashMap<>();
    private final RoomLog everyone;
    private final ArrayDeque<Emptied> emptied = new ArrayDeque<>();
    private long foldedWatermark; // applies to rooms whose log was forgotten early
    private Node oldest;
    private Node newest;
    private int entries;
    private long bytes;
    private boolean closed;

    /** One stored entry; {@code refs} counts the room logs still holding it. */
    private static final class Node {
        final HistoryEntry entry;
        final long bytes;
        int refs;
        Node prev;
        Node next;

        Node(HistoryEntry entry) {
            this.entry = entry;
            this.bytes = entry.estimatedBytes();
        }

        long sequence() {
            return entry.position().sequence();
        }
    }

    private static final class RoomLog {
        final String room; // null for the namespace-wide log
        final int max; // entries kept, at least 1
        final ArrayDeque<Node> nodes = new ArrayDeque<>(2);
        long watermark;
        long lastEviction;

        RoomLog(String room, int max) {
            this.room = room;
            this.max = max;
        }
    }

    private record Emptied(String room, long at) {
    }

    /**
     * @param watermarkRetention how long past its last eviction an emptied room log keeps its watermark:
     *                           the recovery window plus the longest a dead connection looks alive
     */
    public InMemoryHistoryStore(String namespace, HistoryBounds bounds, HistoryBudget budget, Clock clock,
                                Duration watermarkRetention, SockeyeMetrics metrics) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.epoch = StreamPosition.newEpoch();
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.everyone = new RoomLog(null, bounds.maxEntriesPerRoom());
        this.budget = Objects.requireNonNull(budget, "budget");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watermarkRetentionMillis = watermarkRetention.toMillis();
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** A store for the context's namespace, bounds, budget, clock and metrics. */
    public static InMemoryHistoryStore create(RecoveryContext context) {
        ConnectionStateRecovery options = context.options();
        return new InMemoryHistoryStore(context.namespace(), options.history(), context.budget(), options.clock(),
                options.maxDisconnectionDuration().plus(context.heartbeat()), context.metrics());
    }

    /** This store's epoch (random per instance). */
    public String epoch() {
        return epoch;
    }

    @Override
    public StreamPosition head() {
        return new StreamPosition(epoch, head);
    }

    @Override
    public synchronized HistoryEntry append(Set<String> rooms, Set<String> except, boolean keep,
                                            Function<StreamPosition, EncodedPacket> encode) {
        long now = clock.millis();
        StreamPosition position = new StreamPosition(epoch, head + 1);
        HistoryEntry entry = new HistoryEntry(position, rooms, except, encode.apply(position), now);
        if (keep && !closed) {
            expire(now);
            store(entry, now);
            while (budget.exceeded() && oldest != null) {
                evictOldest(now, MEMORY);
            }
            forgetEmptyLogs(now);
        }
        head = position.sequence(); // last: a reader that sees the new head sees the entry
        return entry;
    }

    private void store(HistoryEntry entry, long now) {
        Node node = new Node(entry);
        if (entry.rooms().isEmpty()) {
            add(everyone, node, now);
        } else {
            for (String room : entry.rooms()) {
                RoomLog log = logs.get(room);
                int max = log != null ? log.max : bounds.entriesFor(room);
                if (max > 0) { // a room that keeps nothing is owed nothing: no log, no watermark
                    add(log != null ? log : logs.computeIfAbsent(room, r -> new RoomLog(r, max)), node, now);
                }
            }
            if (node.refs == 0) {
                return;
            }
        }
        node.prev = newest;
        if (newest == null) {
            oldest = node;
        } else {
            newest.next = node;
        }
        newest = node;
        entries++;
        bytes += node.bytes;
        budget.add(node.bytes);
        metrics.historyAppended(namespace, node.bytes);
    }

    private void add(RoomLog log, Node node, long now) {
        node.refs++;
        log.nodes.addLast(node);
        if (log.nodes.size() > log.max) {
            Node evicted = log.nodes.pollFirst();
            raise(log, evicted, now);
            if (--evicted.refs == 0) {
                remove(evicted, SIZE);
            }
        }
    }

    /** Removes the oldest live entry from every log still holding it (it is at the head of each). */
    private void evictOldest(long now, String reason) {
        Node node = oldest;
        if (node.entry.rooms().isEmpty()) {
            evictHead(everyone, node, now);
        } else {
            for (String room : node.entry.rooms()) {
                RoomLog log = logs.get(room);
                if (log != null) {
                    evictHead(log, node, now);
                }
            }
        }
        remove(node, reason);
    }

    private void evictHead(RoomLog log, Node node, long now) {
        if (log.nodes.peekFirst() == node) {
            log.nodes.pollFirst();
            node.refs--;
            raise(log, node, now);
        }
    }

    private void raise(RoomLog log, Node evicted, long now) {
        log.watermark = Math.max(log.watermark, evicted.sequence());
        log.lastEviction = now;
        if (log.nodes.isEmpty() && log.room != null) {
            emptied.addLast(new Emptied(log.room, now));
        }
    }

    /** Unlinks a node no log holds any more and gives its bytes back. */
    private void remove(Node node, String reason) {
        if (node.prev == null) {
            oldest = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            newest = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        entries--;
        bytes -= node.bytes;
        budget.release(node.bytes);
        metrics.historyEvicted(namespace, node.bytes, reason);
    }

    private void expire(long now) {
        long cutoff = now - bounds.maxAge().toMillis();
        while (oldest != null && oldest.entry.timestamp() <= cutoff) {
            evictOldest(now, AGE);
        }
    }

    private void forgetEmptyLogs(long now) {
        while (!emptied.isEmpty()) {
            Emptied e = emptied.peekFirst();
            RoomLog log = logs.get(e.room());
            if (log == null || !log.nodes.isEmpty() || log.lastEviction != e.at()) {
                emptied.pollFirst(); // stale: the log was refilled or already forgotten
            } else if (now - e.at() >= watermarkRetentionMillis) {
                logs.remove(e.room()); // no session that could need its watermark is still recoverable
                emptied.pollFirst();
            } else if (emptied.size() > MAX_EMPTY_LOGS) {
                foldedWatermark = Math.max(foldedWatermark, log.watermark);
                logs.remove(e.room());
                emptied.pollFirst();
            } else {
                return;
            }
        }
    }

    @Override
    public CompletableFuture<HistoryRead> read(HistoryQuery query) {
        return CompletableFuture.completedFuture(readNow(query));
    }

    /** {@link #read}, answered on the calling thread. */
    public synchronized HistoryRead readNow(HistoryQuery query) {
        long now = clock.millis();
        expire(now);
        forgetEmptyLogs(now);
        StreamPosition headPosition = head();
        StreamPosition after = query.after();
        if (!after.epoch().equals(epoch)) {
            return HistoryRead.failed(HistoryRead.Status.OTHER_EPOCH, headPosition);
        }
        if (after.sequence() > head) {
            return HistoryRead.failed(HistoryRead.Status.AHEAD, headPosition);
        }
        for (String room : query.rooms().keySet()) {
            if (watermark(room) > query.startOf(room)) {
                return HistoryRead.failed(HistoryRead.Status.PRUNED, headPosition);
            }
        }
        if (query.namespaceWide() && everyone.watermark > after.sequence()) {
            return HistoryRead.failed(HistoryRead.Status.PRUNED, headPosition);
        }
        List<HistoryEntry> found = new ArrayList<>();
        for (String room : query.rooms().keySet()) {
            RoomLog log = logs.get(room);
            if (log != null) {
                collect(log, query.startOf(room), found);
            }
        }
        if (query.namespaceWide()) {
            collect(everyone, after.sequence(), found);
        }
        found.sort(Comparator.comparingLong(HistoryEntry::sequence));
        Map<String, Long> rooms = query.effectiveRooms();
        List<HistoryEntry> owed = new ArrayList<>();
        long last = -1;
        for (HistoryEntry entry : found) {
            if (entry.sequence() != last && entry.isFor(rooms, after.sequence())) {
                if (owed.size() == query.limit()) {
                    return new HistoryRead(HistoryRead.Status.OK, owed, owed.get(owed.size() - 1).position(), true);
                }
                owed.add(entry);
            }
            last = entry.sequence();
        }
        return new HistoryRead(HistoryRead.Status.OK, owed, headPosition, false);
    }

    private static void collect(RoomLog log, long after, List<HistoryEntry> into) {
        Iterator<Node> newestFirst = log.nodes.descendingIterator();
        while (newestFirst.hasNext()) {
            Node node = newestFirst.next();
            if (node.sequence() <= after) {
                return;
            }
            into.add(node.entry);
        }
    }

    /** The prune watermark of {@code room}: the highest sequence evicted from it (0 if none, or it keeps none). */
    public synchronized long watermark(String room) {
        RoomLog log = logs.get(room);
        return log != null ? log.watermark : bounds.entriesFor(room) == 0 ? 0 : foldedWatermark;
    }

    /** Evicts what is past its age and forgets emptied logs no session can need; for a periodic timer. */
    public synchronized void sweep() {
        long now = clock.millis();
        expire(now);
        forgetEmptyLogs(now);
    }

    /** Number of entries kept. */
    public synchronized int entries() {
        return entries;
    }

    /** Estimated bytes kept. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Number of room logs (emptied ones still holding a watermark included), the namespace-wide log excluded. */
    public synchronized int roomLogs() {
        return logs.size();
    }

    /** Drops every entry and gives the memory back to the budget. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long now = clock.millis();
        while (oldest != null) {
            evictOldest(now, CLOSED);
        }
        logs.clear();
        emptied.clear();
    }

    @Override
    public String toString() {
        return "InMemoryHistoryStore(" + namespace + ", epoch " + epoch + ", head " + head + ")";
    }
}
