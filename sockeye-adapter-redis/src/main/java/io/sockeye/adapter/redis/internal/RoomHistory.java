package io.sockeye.adapter.redis.internal;

import io.lettuce.core.ScriptOutputType;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A namespace's shared recovery stream kept in Redis by the pub/sub adapters: the sequence is assigned
 * by a script that also keeps the entry in each target room's log and publishes the message with its
 * offset spliced in ({@code publish.lua}), so every node sees the broadcasts in sequence order. This
 * node's broadcasts get their positions in the order they were made, also when Redis lost the script
 * ({@link OrderedScript}).
 *
 * <p>Keys share the namespace's hash tag {@code {<key>#<nsp>}} (one slot on a Redis Cluster): a meta
 * hash with the epoch and the last sequence, and per room (and for broadcasts to the whole namespace)
 * a stream with ids {@code 0-<seq>} bounded to {@code entriesPerRoom} and a marker hash with its last
 * sequence and its prune watermark (the highest sequence evicted). A log expires {@code ttl} after its
 * last entry, its marker {@code ttl + window + heartbeat} after: while an expired log's entries could
 * still be owed to a session, the marker says so and a read fails as {@code PRUNED}. A read is one
 * script ({@code history.lua}) returning at most {@code pageSize} entries per log, so one recovery
 * reads at most its rooms' bounded logs. A missing meta hash (Redis restarted or flushed without
 * persistence) starts a new epoch: positions of the old one read as {@code OTHER_EPOCH}.
 */
public final class RoomHistory implements HistoryStore {

    private static final Logger log = LoggerFactory.getLogger(RoomHistory.class);
    private static final LuaScript PUBLISH = LuaScript.load("publish");
    private static final LuaScript READ = LuaScript.load("history");
    private static final LuaScript HEAD = LuaScript.load("head");
    /** The head before Redis answered: an epoch no stream has, so a session starting there never recovers. */
    private static final StreamPosition UNKNOWN = new StreamPosition("00000000", 0);

    private final RedisBus bus;
    private final String prefix;
    private final String namespace;
    private final Function<byte[], Broadcast> decoder;
    private final Function<SocketPacket, EncodedPacket> encoder;
    private final byte[] entriesPerRoom;
    private final byte[] logTtl;
    private final byte[] markerTtl;
    private final int pageSize;
    private final byte[] publishCommand;
    private final OrderedScript publish; // positions in the order this node's broadcasts were made
    private StreamPosition head = UNKNOWN; // guarded by this

    /**
     * @param key            the adapter's key prefix, e.g. {@code socket.io}
     * @param decoder        the broadcast in a stored message (its packet's last argument is its offset)
     * @param encoder        encodes a packet of the namespace as its sockets receive it
     * @param retention      how long a room's log is kept after its last entry
     * @param markerTtl      how long a log's marker is kept after its last entry (longer than any
     *                       session that could be owed its entries)
     * @param sharded        whether the message goes out by {@code SPUBLISH}
     */
    public RoomHistory(RedisBus bus, String key, String namespace, Function<byte[], Broadcast> decoder,
                       Function<SocketPacket, EncodedPacket> encoder, int entriesPerRoom, Duration retention,
                       Duration markerTtl, int pageSize, boolean sharded) {
        this.bus = bus;
        this.prefix = "{" + key + "#" + namespace + "}:";
        this.namespace = namespace;
        this.decoder = decoder;
        this.encoder = encoder;
        this.entriesPerRoom = ascii(Integer.toString(Math.max(1, entriesPerRoom)));
        this.logTtl = ascii(Long.toString(Math.max(1, retention.toMillis())));
        this.markerTtl = ascii(Long.toString(Math.max(1, markerTtl.toMillis())));
        this.pageSize = pageSize;
        this.publishCommand = ascii(sharded ? "SPUBLISH" : "PUBLISH");
        this.publish = new OrderedScript(PUBLISH, bus);
    }

    /** Learns the stream's head (creating the stream when Redis has none); completes when known. */
    public CompletableFuture<Void> start() {
        return HEAD.<List<Object>>run(bus, "recovery stream not read", ScriptOutputType.MULTI,
                        new byte[][]{key("meta")}, ascii(StreamPosition.newEpoch()))
                .thenAccept(reply -> delivered(new StreamPosition(text(reply.get(0)), Long.parseLong(text(reply.get(1))))));
    }

    /** The key of the stream's meta hash. */
    public String metaKey() {
        return prefix + "meta";
    }

    @Override
    public synchronized StreamPosition head() {
        return head;
    }

    /** Keeps the head from what this node delivered; a new epoch (Redis lost its state) replaces it. */
    @Override
    public synchronized void delivered(StreamPosition position) {
        if (!position.sameEpoch(head) || position.sequence() > head.sequence()) {
            head = position;
        }
    }

    /**
     * Positions, keeps and publishes one broadcast.
     *
     * @param payload     the encoded message, with {@link Placeholder#TEXT} where its offset goes
     * @param at          the 0-based indexes in {@code payload} where the offset goes (see {@link Placeholder#offsets})
     * @param rooms       the target rooms (empty: the whole namespace)
     * @param keep        false for a volatile broadcast: positioned and published, never replayed
     * @return the broadcast's offset
     */
    public CompletableFuture<String> publish(Outgoing payload, int[] at, Collection<String> rooms, boolean keep) {
        List<byte[]> keys = new ArrayList<>(1 + 2 * Math.max(1, rooms.size()));
        keys.add(key("meta"));
        if (rooms.isEmpty()) {
            keys.add(key("n"));
            keys.add(key("n:m"));
        } else {
            for (String room : rooms) {
                keys.add(key("r:" + room));
                keys.add(key("m:" + room));
            }
        }
        return publish.<byte[]>run("broadcast not published", ScriptOutputType.VALUE, keys.toArray(byte[][]::new),
                ascii(StreamPosition.newEpoch()), payload.channel().getBytes(StandardCharsets.UTF_8), payload.payload(),
                ascii(Arrays.stream(at).mapToObj(i -> Integer.toString(i + 1)).collect(Collectors.joining(","))), ascii(keep ? "1" : "0"), entriesPerRoom, logTtl, markerTtl,
                publishCommand).thenApply(RoomHistory::text);
    }

    @Override
    public CompletableFuture<HistoryRead> read(HistoryQuery query) {
        StreamPosition after = query.after();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        keys.add(key("meta"));
        args.add(ascii(after.epoch()));
        args.add(ascii(Long.toString(after.sequence())));
        int count = Math.min(pageSize, query.limit());
        args.add(ascii(Integer.toString(count)));
        if (query.namespaceWide()) {
            keys.add(key("n"));
            keys.add(key("n:m"));
            args.add(ascii(Long.toString(after.sequence())));
        }
        query.rooms().keySet().forEach(room -> {
            keys.add(key("r:" + room));
            keys.add(key("m:" + room));
            args.add(ascii(Long.toString(query.startOf(room))));
        });
        return READ.<List<Object>>run(bus, "history not read", ScriptOutputType.MULTI, keys.toArray(byte[][]::new),
                args.toArray(byte[][]::new)).thenApply(reply -> page(query, count, reply));
    }

    private HistoryRead page(HistoryQuery query, int count, List<Object> reply) {
        String status = text(reply.get(0));
        String epoch = text(reply.get(1));
        long last = ((Number) reply.get(2)).longValue();
        StreamPosition streamHead = epoch.isEmpty() ? head() : new StreamPosition(epoch, last);
        switch (status) {
            case "epoch" -> {
                return HistoryRead.failed(Status.OTHER_EPOCH, streamHead);
            }
            case "ahead" -> {
                return HistoryRead.failed(Status.AHEAD, streamHead);
            }
            case "pruned" -> {
                return HistoryRead.failed(Status.PRUNED, streamHead);
            }
            default -> {
                // "ok": merged below
            }
        }
        // A log whose page is full may hold more: the page is complete only up to the lowest such end.
        long through = last;
        TreeMap<Long, byte[]> merged = new TreeMap<>();
        for (int i = 3; i < reply.size(); i++) {
            List<?> entries = (List<?>) reply.get(i);
            long end = -1;
            for (Object item : entries) {
                List<?> entry = (List<?>) item;
                long sequence = Long.parseLong(text(entry.get(0)).substring(2));
                merged.put(sequence, field((List<?>) entry.get(1), "m"));
                end = sequence;
            }
            if (entries.size() >= count) {
                through = Math.min(through, end);
            }
        }
        Map<String, Long> rooms = query.effectiveRooms();
        long namespaceWideAfter = query.namespaceWide() ? query.after().sequence() : Long.MAX_VALUE;
        List<HistoryEntry> owed = new ArrayList<>();
        for (Map.Entry<Long, byte[]> stored : merged.headMap(through, true).entrySet()) {
            HistoryEntry entry = entry(new StreamPosition(epoch, stored.getKey()), stored.getValue());
            if (entry != null && entry.isFor(rooms, namespaceWideAfter)) {
                owed.add(entry);
            }
        }
        return new HistoryRead(Status.OK, owed, new StreamPosition(epoch, through), through < last);
    }

    private HistoryEntry entry(StreamPosition position, byte[] payload) {
        Broadcast broadcast;
        try {
            broadcast = payload == null ? null : decoder.apply(payload);
        } catch (RuntimeException e) {
            broadcast = null;
        }
        if (broadcast == null) {
            log.debug("history entry {} of namespace {} is not readable; skipped", position, namespace);
            return null; // dropped when it was delivered live too: nobody received it
        }
        EncodedPacket packet = encoder.apply(SocketPacket.event(namespace, broadcast.packet().args()));
        return new HistoryEntry(position, broadcast.opts().rooms(), broadcast.opts().except(), packet, 0);
    }

    private static byte[] field(List<?> fields, String name) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (name.equals(text(fields.get(i)))) {
                return (byte[]) fields.get(i + 1);
            }
        }
        return null;
    }

    private byte[] key(String suffix) {
        return (prefix + suffix).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
