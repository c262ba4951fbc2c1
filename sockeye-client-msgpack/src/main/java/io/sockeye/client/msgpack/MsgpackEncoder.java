package io.sockeye.client.msgpack;

import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The client side of socket.io-msgpack-parser 3.x for {@code io.socket:socket.io-client} 2.x: each packet
 * becomes one msgpack map {@code {type, data, id?, nsp}} (an ACK {@code {type, id, data, nsp}}, as
 * socket.io-client orders them), handed to the client as one {@code byte[]}, which it sends as a binary
 * message. Binary data stays inline, so BINARY_EVENT and BINARY_ACK go out as EVENT (2) and ACK (3).
 * Stateless and thread-safe.
 */
public final class MsgpackEncoder implements Parser.Encoder {

    @Override
    public void encode(Packet obj, Callback callback) {
        callback.call(new Object[]{encode(obj)});
    }

    /** The bytes of one packet. */
    public byte[] encode(Packet<?> packet) {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            ValueWriter values = new ValueWriter(out);
            int type = packet.type == Parser.BINARY_EVENT ? Parser.EVENT
                    : packet.type == Parser.BINARY_ACK ? Parser.ACK : packet.type;
            boolean hasData = packet.data != null;
            boolean hasId = packet.id >= 0;
            out.packMapHeader(2 + (hasData ? 1 : 0) + (hasId ? 1 : 0));
            out.packString("type");
            out.packInt(type);
            if (type == Parser.ACK && hasId) {
                out.packString("id");
                out.packInt(packet.id);
                hasId = false;
            }
            if (hasData) {
                out.packString("data");
                values.write(packet.data);
            }
            if (hasId) {
                out.packString("id");
                out.packInt(packet.id);
            }
            out.packString("nsp");
            out.packString(packet.nsp == null ? "/" : packet.nsp);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("msgpack encoding into memory failed", e);
        }
    }
}
