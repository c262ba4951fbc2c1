package io.sockeye.core.adapter;

import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.util.Objects;

/**
 * One broadcast as its local recipients on one event loop get it ({@link LocalSocket#write}): the
 * packet as sent (for {@code onAnyOutgoing} listeners, so nobody decodes it back), its encodings — made
 * once per broadcast for each parser its recipients use: JSON text and attachments, and one msgpack
 * message — and the loop's {@link OutboundPacket} for each, the Engine.IO message that every recipient
 * on the loop with that parser queues and whose wire frames the transports prepare once.
 *
 * <p>The adapter makes one per broadcast and event loop, in that loop's task, hands it to each
 * recipient there, and releases the loop's messages when the last recipient has it (each recipient's
 * session holds a reference of its own until its flush). A recipient must not keep it past
 * {@code write}. Not thread-safe: it belongs to its loop.
 */
public final class BroadcastPacket {

    /** {@link #sequence()} of a packet that is not part of a connection state recovery stream. */
    public static final long NO_SEQUENCE = -1;

    private final SocketPacket packet;
    private final EncodedPacket encoded;
    private final byte[] utf8;
    private final byte[] msgpack;
    private final long sequence;
    private OutboundPacket message;
    private OutboundPacket msgpackMessage;

    /**
     * @param packet   the Socket.IO packet, in the adapter's namespace, exactly as it is encoded (with the
     *                 recovery offset already appended, when there is one)
     * @param encoded  its JSON encoding, or {@code null} when no recipient uses JSON
     * @param utf8     {@code "4" + encoded.text()} in UTF-8 ({@link OutboundPacket#messageUtf8}), or {@code null}
     * @param msgpack  its msgpack message, or {@code null} when no recipient uses msgpack
     * @param sequence its position in its namespace's connection state recovery stream (its offset is the
     *                 packet's last argument), or {@link #NO_SEQUENCE}
     */
    BroadcastPacket(SocketPacket packet, EncodedPacket encoded, byte[] utf8, byte[] msgpack, long sequence) {
        this.packet = Objects.requireNonNull(packet, "packet");
        this.encoded = encoded;
        this.utf8 = utf8;
        this.msgpack = msgpack;
        this.sequence = sequence;
    }

    /** The Socket.IO packet (immutable; its arguments are the broadcast's own objects: do not modify). */
    public SocketPacket packet() {
        return packet;
    }

    /** The JSON encoding, shared by every recipient on every loop: text and binary attachments. */
    public EncodedPacket encoded() {
        if (encoded == null) {
            throw new IllegalStateException("no JSON recipient was found for this broadcast");
        }
        return encoded;
    }

    /** This loop's Engine.IO text message for {@code encoded().text()}, shared by the loop's JSON recipients. */
    public OutboundPacket message() {
        OutboundPacket m = message;
        if (m == null) {
            m = OutboundPacket.shared(encoded().text(), utf8);
            message = m;
        }
        return m;
    }

    /** This loop's Engine.IO binary message holding the msgpack packet, shared by the loop's msgpack recipients. */
    public OutboundPacket msgpackMessage() {
        OutboundPacket m = msgpackMessage;
        if (m == null) {
            if (msgpack == null) {
                throw new IllegalStateException("no msgpack recipient was found for this broadcast");
            }
            m = OutboundPacket.binary(msgpack);
            msgpackMessage = m;
        }
        return m;
    }

    /** The loop's task is done with its recipients: drop its references (sessions keep their own). */
    void release() {
        if (message != null) {
            message.release();
            message = null;
        }
        if (msgpackMessage != null) {
            msgpackMessage.release();
            msgpackMessage = null;
        }
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
        return "BroadcastPacket(" + (encoded != null ? encoded : packet) + (msgpack != null ? ", msgpack" : "") + ")";
    }
}
