package io.sockeye.core.internal.socket;

import io.sockeye.core.engine.EngineSocket;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacketType;

import java.util.List;

/**
 * One packet encoded for one connection's parser: JSON text and attachments, or one msgpack binary
 * message. Immutable; made on the emitting thread, written on the connection's event loop.
 */
final class OutgoingPacket {

    private final SocketPacketType type;
    private final EncodedPacket json;
    private final byte[] msgpack;

    private OutgoingPacket(SocketPacketType type, EncodedPacket json, byte[] msgpack) {
        this.type = type;
        this.json = json;
        this.msgpack = msgpack;
    }

    static OutgoingPacket json(SocketPacketType type, EncodedPacket encoded) {
        return new OutgoingPacket(type, encoded, null);
    }

    static OutgoingPacket msgpack(SocketPacketType type, byte[] message) {
        return new OutgoingPacket(type, null, message);
    }

    SocketPacketType type() {
        return type;
    }

    /** Queues the packet on the session: one binary message, or the text then its attachments. */
    void sendTo(EngineSocket engine) {
        if (msgpack != null) {
            engine.sendBinary(msgpack);
        } else {
            engine.send(json.text(), json.attachments());
        }
    }

    /** The packet's size on the wire before Engine.IO framing, for metrics. */
    long bytes() {
        return msgpack != null ? msgpack.length : bytes(json);
    }

    static long bytes(EncodedPacket json) {
        long bytes = json.text().length();
        List<byte[]> attachments = json.attachments();
        for (int i = 0, n = attachments.size(); i < n; i++) {
            bytes += attachments.get(i).length;
        }
        return bytes;
    }
}
