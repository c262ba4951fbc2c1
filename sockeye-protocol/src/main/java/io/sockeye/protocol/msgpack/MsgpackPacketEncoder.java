package io.sockeye.protocol.msgpack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Encodes Socket.IO packets as socket.io-msgpack-parser 3.x does: one msgpack map
 * {@code {type, data, id?, nsp}} per packet, sent as one binary message, with binary data inline
 * ({@code bin}); there are no BINARY_EVENT / BINARY_ACK types and no attachments. Values are written as
 * notepack.io writes the JavaScript values they stand for (see {@link Undefined} and
 * docs/protocol-notes.md, "msgpack parser"), and the keys come in the order a Node.js socket.io 4.8
 * server puts them, which depends on who sends the packet ({@link Origin}); the bytes are then identical
 * to a Node.js server's.
 *
 * <p>Thread-safe; one per server. Each thread reuses its own packer, so an encode allocates little more
 * than the returned array.
 */
public final class MsgpackPacketEncoder {

    /** Who sends the packet in socket.io's terms; only the order of the map's keys depends on it. */
    public enum Origin {
        /** A socket's own packets ({@code socket.emit}, acks, CONNECT, DISCONNECT, middleware errors). */
        SOCKET,
        /** A broadcast through the adapter ({@code io.to(room).emit}): the ack id comes after the namespace. */
        BROADCAST,
        /** The connection itself, before any socket exists: the refusal of an unknown namespace. */
        CONNECTION
    }

    /** Packets up to this size leave the thread's packer buffer in place for the next encode. */
    private static final int PACKER_BUFFER_BYTES = 8 * 1024;

    private final ThreadLocal<ValueWriter> writers;

    /** @param mapper turns the POJOs and records found in packet data into plain values (it is not modified) */
    public MsgpackPacketEncoder(ObjectMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        this.writers = ThreadLocal.withInitial(() -> new ValueWriter(
                new MessagePack.PackerConfig().withBufferSize(PACKER_BUFFER_BYTES).newBufferPacker(), mapper));
    }

    /** Encodes a packet a socket sends ({@link Origin#SOCKET}). */
    public byte[] encode(SocketPacket packet) {
        return encode(packet, Origin.SOCKET);
    }

    /**
     * Encodes one packet into the bytes of one binary message.
     *
     * @throws IllegalArgumentException if the data cannot be turned into msgpack values
     */
    public byte[] encode(SocketPacket packet, Origin origin) {
        Objects.requireNonNull(origin, "origin");
        ValueWriter writer = writers.get();
        writer.reset();
        MessageBufferPacker packer = writer.packer();
        try {
            writePacket(writer, packer, packet, origin);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("msgpack encoding into memory failed", e);
        } finally {
            if (packer.getBufferSize() > PACKER_BUFFER_BYTES) {
                writers.remove(); // a large packet's buffers are not kept for the life of the thread
            }
        }
    }

    private static void writePacket(ValueWriter values, MessageBufferPacker out, SocketPacket packet, Origin origin)
            throws IOException {
        boolean hasData = packet.data() != null;
        boolean hasId = packet.hasId();
        out.packMapHeader(2 + (hasData ? 1 : 0) + (hasId ? 1 : 0));
        SocketPacketType type = packet.type();
        if (origin == Origin.CONNECTION) {
            // socket.io's Client: {type, nsp, data}
            writeType(out, type);
            writeNamespace(out, packet);
            writeData(values, out, packet);
            writeId(out, packet);
        } else if (origin == Origin.BROADCAST) {
            // the adapter sets nsp, then the ack id, on {type, data}
            writeType(out, type);
            writeData(values, out, packet);
            writeNamespace(out, packet);
            writeId(out, packet);
        } else if (type.isAck()) {
            // Socket#ack: {id, type, data}, then nsp
            writeId(out, packet);
            writeType(out, type);
            writeData(values, out, packet);
            writeNamespace(out, packet);
        } else {
            // Socket#emit: {type, data}, then the ack id, then nsp
            writeType(out, type);
            writeData(values, out, packet);
            writeId(out, packet);
            writeNamespace(out, packet);
        }
    }

    /** The msgpack parser knows no BINARY_* types: binary data travels inline. */
    private static void writeType(MessageBufferPacker out, SocketPacketType type) throws IOException {
        out.packString("type");
        int wire = type.isEvent() ? 2 : type.isAck() ? 3 : type.ordinal();
        out.packInt(wire);
    }

    private static void writeNamespace(MessageBufferPacker out, SocketPacket packet) throws IOException {
        out.packString("nsp");
        out.packString(packet.nsp());
    }

    private static void writeData(ValueWriter values, MessageBufferPacker out, SocketPacket packet) throws IOException {
        if (packet.data() != null) {
            out.packString("data");
            values.write(packet.data());
        }
    }

    private static void writeId(MessageBufferPacker out, SocketPacket packet) throws IOException {
        if (packet.hasId()) {
            out.packString("id");
            out.packLong(packet.id());
        }
    }
}
