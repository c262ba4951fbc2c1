package io.sockeye.core.internal.socket;

import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HistoryStore;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.DecoderLimits;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link RoomHistory} over a namespace's {@link HistoryStore}. A read without {@code since} first finds
 * where the room's history starts — the lowest position a read does not find pruned, by bisection, since
 * the store SPI does not expose a room's prune watermark — then reads to the head keeping the newest.
 */
final class NamespaceRoomHistory implements RoomHistory {

    private final HistoryStore store;
    private final DecoderLimits limits;

    NamespaceRoomHistory(HistoryStore store, DecoderLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    @Override
    public StreamPosition parse(String offset) {
        return store.offsetFormat().parse(offset);
    }

    @Override
    public String headOffset() {
        return store.offsetFormat().format(store.head());
    }

    @Override
    public CompletableFuture<Page> read(String room, StreamPosition since, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (since != null) {
            return read(HistoryQuery.room(since, room, limit)).thenApply(this::page);
        }
        StreamPosition head = store.head();
        return start(room, head.epoch(), 0, head.sequence())
                .thenCompose(from -> newest(HistoryQuery.room(new StreamPosition(head.epoch(), from), room,
                        SessionRestore.PAGE), limit, new ArrayDeque<>()));
    }

    /** The lowest sequence in {@code [low, high]} after which a read of {@code room} is not pruned. */
    private CompletableFuture<Long> start(String room, String epoch, long low, long high) {
        if (low >= high) {
            return CompletableFuture.completedFuture(high);
        }
        return read(HistoryQuery.room(new StreamPosition(epoch, low), room, 1)).thenCompose(page -> {
            if (page.status() != HistoryRead.Status.PRUNED) {
                return CompletableFuture.completedFuture(low);
            }
            long mid = low + (high - low) / 2 + 1;
            return read(HistoryQuery.room(new StreamPosition(epoch, mid), room, 1)).thenCompose(at ->
                    at.status() == HistoryRead.Status.PRUNED ? start(room, epoch, mid, high)
                            : start(room, epoch, low + 1, mid));
        });
    }

    private CompletableFuture<Page> newest(HistoryQuery query, int limit, ArrayDeque<HistoryEntry> kept) {
        return read(query).thenCompose(page -> {
            if (!page.ok()) {
                return CompletableFuture.completedFuture(page(page));
            }
            for (HistoryEntry entry : page.entries()) {
                kept.addLast(entry);
                if (kept.size() > limit) {
                    kept.removeFirst();
                }
            }
            if (page.more()) {
                return newest(query.after(page.through()), limit, kept);
            }
            return CompletableFuture.completedFuture(new Page(HistoryRead.Status.OK, messages(kept),
                    store.offsetFormat().format(page.through()), false));
        });
    }

    private CompletableFuture<HistoryRead> read(HistoryQuery query) {
        try {
            return store.read(query);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Page page(HistoryRead read) {
        return new Page(read.status(), messages(read.entries()), store.offsetFormat().format(read.through()),
                read.more());
    }

    private List<Message> messages(Iterable<HistoryEntry> entries) {
        List<Message> out = new ArrayList<>();
        OffsetFormat format = store.offsetFormat();
        for (HistoryEntry entry : entries) {
            Message message = message(entry.replayPacket(format), format.format(entry.position()));
            if (message != null) {
                out.add(message);
            }
        }
        return out;
    }

    /** The entry's event and arguments without its trailing offset, or null for a packet that is not an event. */
    private Message message(EncodedPacket encoded, String offset) {
        SocketPacketDecoder decoder = new SocketPacketDecoder(limits);
        SocketPacket packet = decoder.decodeText(encoded.text());
        for (byte[] attachment : encoded.attachments()) {
            packet = decoder.decodeBinary(attachment);
        }
        if (packet == null || !packet.type().isEvent() || packet.args().isEmpty()
                || !(packet.args().get(0) instanceof String event)) {
            return null;
        }
        List<Object> args = new ArrayList<>(packet.args().subList(1, packet.args().size()));
        if (!args.isEmpty() && offset.equals(args.get(args.size() - 1))) {
            args.remove(args.size() - 1);
        }
        return new Message(offset, event, args);
    }
}
