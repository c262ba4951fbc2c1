package io.sockeye.core.adapter;

import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.util.Objects;

/**
 * One broadcast as its local recipients on one event loop get it ({@link LocalSocket#write}): the
 * packet as sent (for {@code onAnyOutgoing} listeners, so nobody decodes it back), its encoding (text
 * and attachments, made once per broadcast) and the loop's {@link OutboundPacket}, the Engine.IO
 * message that every recipient on the loop queues and whose wire frames the transports prepare once.
 *
 * <p>The adapter makes one per broadcast and event loop, in that loop's task, hands it to each
 * recipient there, and releases the loop's message when the last recipient has it (each recipient's
 * session holds a reference of its own until its flush). A recipient must not keep it past
 * {@code write}.
 */
public final class BroadcastPacket {

    /** {@link #sequence()} of a packet that is not part of a connection state recovery stream. */
    public static final long NO_SEQUENCE = -1;

    private final SocketPacket packet;
    private final EncodedPacket encoded;
    private final OutboundPacket message;
    private final long sequence;

    /**
     * @param packet  the Socket.IO packet, in the adapter's namespace, exactly as {@code encoded} encodes it
     *                (with the recovery offset already appended, when there is one)
     * @param message this loop's message carrying {@code encoded.text()}; the caller keeps its reference
     */
    public BroadcastPacket(SocketPacket packet, EncodedPacket encoded, OutboundPacket message) {
        this(packet, encoded, message, NO_SEQUENCE);
    }

    /**
     * A packet of a connection state recovery stream.
     *
     * @param sequence its position in its namespace's stream (its offset is the packet's last argument)
     */
    public BroadcastPacket(SocketPacket packet, EncodedPacket encoded, OutboundPacket message, long sequence) {
        this.packet = Objects.requireNonNull(packet, "packet");
        this.encoded = Objects.requireNonNull(encoded, "encoded");
        this.message = Objects.requireNonNull(message, "message");
        this.sequence = sequence;
    }

    /** The Socket.IO packet (immutable; its arguments are the broadcast's own objects: do not modify). */
    public SocketPacket packet() {
        return packet;
    }

    /** The encoding, shared by every recipient on every loop: text and binary attachments. */
    public EncodedPacket encoded() {
        return encoded;
    }

    /** This loop's Engine.IO message for {@code encoded().text()}, shared by the loop's recipients. */
    public OutboundPacket message() {
        return message;
    }

    /**
     * The packet's position in its namespace's connection state recovery stream, or {@link #NO_SEQUENCE}.
     * Each event loop gets a stream's packets in sequence order; a socket being restored holds them and
     * drops those its replay already contained.
     */
    public long sequence() {
        return sequence;
    }

    @Override
    public String toString() {
        return "BroadcastPacket(" + encoded + ")";
    }
}
