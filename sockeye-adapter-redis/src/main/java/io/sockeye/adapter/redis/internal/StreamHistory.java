package io.sockeye.adapter.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HistoryRead.Status;
import io.sockeye.core.recovery.HistoryStore;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A namespace's recovery history read from its Redis stream, as the Node.js adapter reads it for a
 * restore (the broadcast entries of the namespace after the offset, filtered by the session's rooms,
 * each with its entry id as offset) but bounded and without gaps:
 *
 * <ul>
 *   <li>pages of {@code XRANGE (<after> + COUNT <pageSize>}, never the rest of the stream in one reply,
 *       and at most {@code maxEntries} entries scanned for one restore, past which it fails instead of
 *       replaying part (a writer outpacing the reader, or a client far behind);</li>
 *   <li>{@code XINFO STREAM} first: an offset past the last id generated is {@code AHEAD}; the read
 *       fails as {@code PRUNED} unless nothing after the offset was ever removed from the stream (its
 *       {@code max-deleted-entry-id}, Redis 7; before, the first entry not after the offset);</li>
 *   <li>volatile broadcasts are not replayed (they carry an offset, but are not history);</li>
 *   <li>a read whose answer came after the command timeout is sent again ({@link TimeoutRetry}): a late
 *       answer under load is not a reason to answer {@code recovered: false}.</li>
 * </ul>
 *
 * Per-room bounds do not apply: the stream is one {@code MAXLEN ~} log shared by every namespace routed
 * to it, as the Node.js adapter keeps it.
 *
 * <p>Before any of that, the reader's {@link StreamTail}: a restore whose offset lies inside what this
 * node read last is answered from memory, without a Redis command; one whose offset the reader has not
 * reached yet (the client was on a node that read further) waits up to {@code tailWaitMs} for it.
 * Only offsets older than the tail, or a tail that cannot vouch for its continuity, read Redis.
 */
public final class StreamHistory implements HistoryStore {

    /** Restores under way, by the position their next page starts after: how many entries they scanned. */
    private static final int MAX_TRACKED = 4096;
    private static final EncodedPacket UNENCODED = new EncodedPacket("", List.of());

    private final RedisBus bus;
    private final byte[] key;
    private final String namespace;
    private final RedisStreamsFormat format;
    private final Function<SocketPacket, EncodedPacket> encoder;
    private final int pageSize;
    private final int maxEntries;
    private final Supplier<String> readerPosition;
    private final StreamTail tail;
    private final long tailWaitMs;
    private final ScheduledExecutorService scheduler;
    private final Map<StreamPosition, Integer> scanned = new ConcurrentHashMap<>();
    private long head = -1; // guarded by this; -1 until known

    /**
     * @param encoder        encodes a packet of the namespace as its sockets receive it
     * @param readerPosition the id of the last entry this node read from the stream (null before it
     *                       started), the head until this namespace delivered a broadcast
     * @param tail           what the stream's reader read last
     * @param tailWaitMs     how long a restore waits for the reader to reach its offset before it reads Redis
     * @param scheduler      times those waits
     */
    public StreamHistory(RedisBus bus, String stream, String namespace, RedisStreamsFormat format,
                         Function<SocketPacket, EncodedPacket> encoder, int pageSize, int maxEntries,
                         Supplier<String> readerPosition, StreamTail tail, long tailWaitMs,
                         ScheduledExecutorService scheduler) {
        this.bus = bus;
        this.key = stream.getBytes(StandardCharsets.UTF_8);
        this.namespace = namespace;
        this.format = format;
        this.encoder = encoder;
        this.pageSize = pageSize;
        this.maxEntries = maxEntries;
        this.readerPosition = readerPosition;
        this.tail = tail;
        this.tailWaitMs = tailWaitMs;
        this.scheduler = scheduler;
    }

    @Override
    public OffsetFormat offsetFormat() {
        return EntryIdFormat.INSTANCE;
    }

    @Override
    public synchronized StreamPosition head() {
        if (head < 0) {
            String read = readerPosition.get();
            StreamPosition position = read == null ? null : EntryIdFormat.INSTANCE.parse(read);
            if (position == null) {
                return EntryIdFormat.START;
            }
            head = position.sequence();
        }
        return new StreamPosition(EntryIdFormat.EPOCH, head);
    }

    @Override
    public synchronized void delivered(StreamPosition position) {
        head();
        head = Math.max(head, position.sequence());
    }

    @Override
    public CompletableFuture<HistoryRead> read(HistoryQuery query) {
        StreamPosition after = query.after();
        if (!EntryIdFormat.EPOCH.equals(after.epoch())) {
            return CompletableFuture.completedFuture(HistoryRead.failed(Status.OTHER_EPOCH, head()));
        }
        if (after.equals(EntryIdFormat.UNKNOWN_START)) {
            // A session saved by a node that did not say where it started, and no offset: what the
            // client missed cannot be told apart from what came before it.
            return CompletableFuture.completedFuture(HistoryRead.failed(Status.PRUNED, head()));
        }
        return tail.enabled() ? fromTail(query, -1) : fromRedis(query);
    }

    /**
     * The read from the reader's tail when it covers the query, else from Redis; {@code waited} is the
     * position the reader was waited for, -1 on the first attempt.
     */
    private CompletableFuture<HistoryRead> fromTail(HistoryQuery query, long waited) {
        long after = query.after().sequence();
        long namespaceWideAfter = query.namespaceWide() ? after : Long.MAX_VALUE;
        Map<String, Long> rooms = query.effectiveRooms();
        StreamTail.Slice slice = waited < 0 ? tail.slice(namespace, after, rooms, namespaceWideAfter, query.limit())
                : tail.slice(namespace, after, waited, rooms, namespaceWideAfter, query.limit());
        switch (slice.kind()) {
            case SERVED -> {
                List<HistoryEntry> entries = new ArrayList<>(slice.entries().size());
                slice.entries().forEach(e -> entries.add(e.replay(namespace, encoder)));
                StreamPosition through = new StreamPosition(EntryIdFormat.EPOCH, slice.through());
                return CompletableFuture.completedFuture(new HistoryRead(Status.OK, entries, through, slice.more()));
            }
            case NOT_YET -> {
                if (waited < 0) {
                    long target = slice.through();
                    return tail.awaitPast(target, tailWaitMs, scheduler).thenCompose(passed -> fromTail(query, target));
                }
                return fromRedis(query);
            }
            default -> {
                return fromRedis(query);
            }
        }
    }

    private CompletableFuture<HistoryRead> fromRedis(HistoryQuery query) {
        StreamPosition after = query.after();
        Integer before = scanned.remove(after);
        return TimeoutRetry.call(TimeoutRetry.ATTEMPTS, () -> bus.execute("history not read", c -> c.xinfoStream(key)))
                .handle((info, error) -> {
                    if (error != null && !noSuchKey(error)) {
                        throw error instanceof CompletionException c ? c : new CompletionException(error);
                    }
                    return error != null ? null : StreamInfo.of(info);
                })
                .thenCompose(info -> {
                    if (info == null) { // the stream does not exist: nothing was ever kept, or Redis lost it
                        return CompletableFuture.completedFuture(after.sequence() == 0
                                ? new HistoryRead(Status.OK, List.of(), after, false)
                                : HistoryRead.failed(Status.PRUNED, head()));
                    }
                    if (info.lastGenerated() != null && after.sequence() > info.lastGenerated().sequence()) {
                        return CompletableFuture.completedFuture(HistoryRead.failed(Status.AHEAD, head()));
                    }
                    if (!info.keepsEverythingAfter(after)) {
                        return CompletableFuture.completedFuture(HistoryRead.failed(Status.PRUNED, head()));
                    }
                    StreamPosition through = info.lastGenerated() == null ? after : info.lastGenerated();
                    return page(new Scan(query, through, before == null ? 0 : before), after);
                });
    }

    /** One restore's read: what it found so far. */
    private static final class Scan {
        final HistoryQuery query;
        final Map<String, Long> rooms;
        final long namespaceWideAfter;
        final List<HistoryEntry> owed = new ArrayList<>();
        StreamPosition through;
        int scanned;

        Scan(HistoryQuery query, StreamPosition head, int scanned) {
            this.query = query;
            this.rooms = query.effectiveRooms();
            this.namespaceWideAfter = query.namespaceWide() ? query.after().sequence() : Long.MAX_VALUE;
            this.through = head;
            this.scanned = scanned;
        }
    }

    private CompletableFuture<HistoryRead> page(Scan scan, StreamPosition from) {
        Range<String> range = Range.from(Range.Boundary.excluding(EntryIdFormat.INSTANCE.format(from)),
                Range.Boundary.unbounded());
        return TimeoutRetry.call(TimeoutRetry.ATTEMPTS,
                        () -> bus.execute("history not read", c -> c.xrange(key, range, Limit.from(pageSize))))
                .thenCompose(entries -> {
                    StreamPosition last = from;
                    for (StreamMessage<byte[], byte[]> entry : entries) {
                        StreamPosition position = EntryIdFormat.INSTANCE.parse(entry.getId());
                        if (position == null || ++scan.scanned > maxEntries) {
                            // An id Redis did not generate, or too much to replay: no partial replay.
                            return CompletableFuture.completedFuture(HistoryRead.failed(Status.PRUNED, head()));
                        }
                        last = position;
                        HistoryEntry owed = owed(scan, position, entry.getBody());
                        if (owed != null) {
                            if (scan.owed.size() == scan.query.limit()) {
                                StreamPosition through = scan.owed.get(scan.owed.size() - 1).position();
                                remember(through, scan.scanned - 1);
                                return CompletableFuture.completedFuture(new HistoryRead(Status.OK, scan.owed, through, true));
                            }
                            scan.owed.add(owed);
                        }
                    }
                    if (entries.size() < pageSize) {
                        StreamPosition through = last.sequence() > scan.through.sequence() ? last : scan.through;
                        return CompletableFuture.completedFuture(new HistoryRead(Status.OK, scan.owed, through, false));
                    }
                    return page(scan, last);
                });
    }

    /** The entry as replayed, when it is a broadcast of this namespace the query's session is owed. */
    private HistoryEntry owed(Scan scan, StreamPosition position, Map<byte[], byte[]> body) {
        Map<String, byte[]> fields = new LinkedHashMap<>(8);
        body.forEach((name, value) -> fields.put(new String(name, StandardCharsets.UTF_8), value));
        if (!Arrays.equals(fields.get(RedisStreamsFormat.NSP), namespace.getBytes(StandardCharsets.UTF_8))
                || !Arrays.equals(fields.get(RedisStreamsFormat.TYPE), new byte[]{'3'})) {
            return null;
        }
        ClusterMessage message;
        try {
            message = format.decodeEntry(fields);
        } catch (RuntimeException e) {
            return null; // dropped when it was read live too: nobody received it
        }
        if (message == null || !(message.data() instanceof Broadcast broadcast) || broadcast.requestId() != null
                || broadcast.opts().flags().isVolatile()
                || !broadcast.packet().type().isEvent() || broadcast.packet().hasId()) {
            return null;
        }
        long millis = EntryIdFormat.millis(position);
        HistoryEntry candidate = new HistoryEntry(position, broadcast.opts().rooms(), broadcast.opts().except(),
                UNENCODED, millis);
        if (!candidate.isFor(scan.rooms, scan.namespaceWideAfter)) {
            return null;
        }
        List<Object> data = new ArrayList<>(broadcast.packet().args());
        data.add(EntryIdFormat.INSTANCE.format(position));
        EncodedPacket packet = encoder.apply(SocketPacket.event(namespace, data));
        return new HistoryEntry(position, broadcast.opts().rooms(), broadcast.opts().except(), packet, millis);
    }

    private void remember(StreamPosition through, int count) {
        if (scanned.size() >= MAX_TRACKED) {
            scanned.clear(); // abandoned restores: forget them all rather than grow
        }
        scanned.put(through, count);
    }

    private static boolean noSuchKey(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("no such key")) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code XINFO STREAM} says about the stream's bounds. {@code removed} is how many entries were
     * ever trimmed or deleted ({@code entries-added} minus {@code length}, Redis 7; -1 before), and
     * {@code maxDeleted} the highest id {@code XDEL} removed (trimming does not count there).
     */
    private record StreamInfo(StreamPosition lastGenerated, StreamPosition maxDeleted, StreamPosition first,
                              long removed) {

        static StreamInfo of(List<Object> reply) {
            StreamPosition last = null;
            StreamPosition deleted = null;
            StreamPosition first = null;
            long length = -1;
            long added = -1;
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                String field = text(reply.get(i));
                Object value = reply.get(i + 1);
                switch (field) {
                    case "last-generated-id" -> last = EntryIdFormat.INSTANCE.parse(text(value));
                    case "max-deleted-entry-id" -> deleted = EntryIdFormat.INSTANCE.parse(text(value));
                    case "length" -> length = value instanceof Long n ? n : -1;
                    case "entries-added" -> added = value instanceof Long n ? n : -1;
                    case "first-entry" -> {
                        if (value instanceof List<?> entry && !entry.isEmpty()) {
                            first = EntryIdFormat.INSTANCE.parse(text(entry.get(0)));
                        }
                    }
                    default -> {
                        // other fields are not needed
                    }
                }
            }
            return new StreamInfo(last, deleted, first, length >= 0 && added >= 0 ? added - length : -1);
        }

        /**
         * Whether no entry after {@code after} was ever trimmed or deleted: none deleted after it, and
         * trimming (which removes the oldest first) either left an entry at or before it, removed
         * nothing at all, or had nothing after it to remove.
         */
        boolean keepsEverythingAfter(StreamPosition after) {
            long at = after.sequence();
            if (maxDeleted != null && maxDeleted.sequence() > at) {
                return false;
            }
            return (first != null && first.sequence() <= at) || removed == 0
                    || (lastGenerated != null && lastGenerated.sequence() <= at);
        }

        private static String text(Object value) {
            return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
        }
    }
}
