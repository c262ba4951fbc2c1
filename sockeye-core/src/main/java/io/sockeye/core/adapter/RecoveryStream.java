package io.sockeye.core.adapter;

import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.LocalHistory;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.util.function.Function;

/**
 * The local end of one namespace's recovery stream: every EVENT without ack id that this node delivers
 * goes through here, gets its position and offset, and reaches the recipients' event loops in
 * sequence order.
 *
 * <p>The ordering invariant: positioning (for a node-local stream: assigning the sequence and keeping
 * the entry), resolving the recipients and handing the writes to their loops happen under one lock per
 * namespace, and a group runs inline on the caller's loop only when none of the stream's earlier groups
 * is still queued there ({@link LoopOrder}), so each loop receives the namespace's broadcasts in
 * sequence order. A socket that joined before the entry was kept is among the
 * recipients; a history read that starts after it sees the entry. Encoding the arguments happens before
 * the lock; only the fixed-size offset is spliced inside it.
 */
final class RecoveryStream {

    /** The offset of the last broadcast this thread positioned (see {@link Adapter#broadcastWithOffset}). */
    private static final ThreadLocal<String> LAST_OFFSET = new ThreadLocal<>();

    private final RecoveryBackend backend;
    private final LocalHistory local;
    private final OffsetFormat format;
    private final Object lock = new Object();
    private final LoopOrder loops = new LoopOrder(); // guarded by lock

    RecoveryStream(RecoveryBackend backend) {
        this.backend = backend;
        this.local = backend.localHistory();
        this.format = backend.history().offsetFormat();
    }

    RecoveryBackend backend() {
        return backend;
    }

    /** Whether {@code packet} takes a position in the stream: an EVENT without ack id (volatile or not). */
    static boolean sequenced(SocketPacket packet) {
        return packet.type().isEvent() && !packet.hasId();
    }

    /**
     * Node-local stream: numbers the broadcast, keeps it unless volatile, and hands it to its recipients.
     *
     * @param sent       the packet in the adapter's namespace, without offset
     * @param encoded    its encoding, without offset
     * @param recipients resolves the local recipients (called under the lock)
     */
    void broadcast(SocketPacket sent, EncodedPacket encoded, BroadcastOptions opts,
                   Function<BroadcastOptions, LocalFanout> recipients) {
        boolean isVolatile = opts.flags().isVolatile();
        synchronized (lock) {
            HistoryEntry entry = local.append(opts.rooms(), opts.except(), !isVolatile,
                    position -> Offsets.append(encoded, format.format(position)));
            String offset = format.format(entry.position());
            LAST_OFFSET.set(offset);
            queue(Offsets.append(sent, offset), entry.packet(), entry.sequence(), isVolatile, recipients.apply(opts));
        }
    }

    /**
     * Shared stream: delivers a broadcast the bus already positioned at {@code offset}. False (and
     * nothing delivered) when the offset is not one of the stream's: delivering it would let a client
     * skip a position it never saw.
     */
    boolean deliver(SocketPacket sent, EncodedPacket encoded, String offset, BroadcastOptions opts,
                    Function<BroadcastOptions, LocalFanout> recipients) {
        StreamPosition position = offset == null ? null : format.parse(offset);
        if (position == null) {
            return false;
        }
        backend.history().delivered(position);
        SocketPacket withOffset = Offsets.append(sent, offset);
        EncodedPacket encodedWithOffset = Offsets.append(encoded, offset);
        boolean isVolatile = opts.flags().isVolatile();
        synchronized (lock) {
            queue(withOffset, encodedWithOffset, position.sequence(), isVolatile, recipients.apply(opts));
        }
        return true;
    }

    /** Forgets the offset this thread last positioned. */
    static void clearLastOffset() {
        LAST_OFFSET.remove();
    }

    /** The offset this thread positioned since {@link #clearLastOffset}, or null; forgets it. */
    static String takeLastOffset() {
        String offset = LAST_OFFSET.get();
        LAST_OFFSET.remove();
        return offset;
    }

    private void queue(SocketPacket packet, EncodedPacket encoded, long sequence, boolean isVolatile,
                       LocalFanout recipients) {
        if (recipients.size() > 0) {
            recipients.broadcast(packet, encoded, sequence,
                    (LocalSocket socket, BroadcastPacket loopPacket) -> socket.write(loopPacket, isVolatile), loops);
        }
    }
}
