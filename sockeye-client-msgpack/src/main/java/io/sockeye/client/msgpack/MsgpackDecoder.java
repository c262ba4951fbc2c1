package io.sockeye.client.msgpack;

import io.socket.parser.DecodingException;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.json.JSONArray;
import org.json.JSONObject;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;

/**
 * The client side of socket.io-msgpack-parser 3.x for {@code io.socket:socket.io-client} 2.x: every binary
 * message is one packet, a msgpack map {@code {type, nsp, data, id?}}. Data arrives as the client's
 * usual org.json values, with binary inline as {@code byte[]} (see {@link ValueReader}). The parser's
 * checks are made (type 0 to 4, a string namespace, data shaped by type, an integer id); a message that
 * breaks one, or a text message, throws {@link DecodingException}, which the client logs and drops.
 * One per connection (the client's Manager holds one).
 */
public final class MsgpackDecoder implements Parser.Decoder {

    private volatile Callback onDecoded;

    @Override
    public void add(String obj) {
        throw new DecodingException("the msgpack parser receives binary messages only, got text");
    }

    @Override
    public void add(byte[] obj) {
        Packet<Object> packet = decode(obj);
        Callback callback = onDecoded;
        if (callback != null) {
            callback.call(packet);
        }
    }

    @Override
    public void destroy() {
        onDecoded = null;
    }

    @Override
    public void onDecoded(Callback callback) {
        this.onDecoded = callback;
    }

    /** Decodes one binary message into a packet. */
    public static Packet<Object> decode(byte[] message) {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(message)) {
            ValueReader reader = new ValueReader(in, message.length);
            if (!in.hasNext() || !in.getNextFormat().getValueType().isMapType()) {
                throw new DecodingException("invalid packet: not a msgpack map");
            }
            JSONObject map = reader.object(in.unpackMapHeader());
            if (!reader.atEnd()) {
                throw new DecodingException("invalid msgpack: trailing bytes after the packet");
            }
            return packet(map);
        } catch (IOException | MessagePackException e) {
            throw new DecodingException("invalid msgpack: " + e.getMessage());
        }
    }

    // socket.io-msgpack-parser's checkPacket
    private static Packet<Object> packet(JSONObject map) {
        Object type = map.opt("type");
        if (!(type instanceof Integer) || (Integer) type < Parser.CONNECT || (Integer) type > Parser.CONNECT_ERROR) {
            throw new DecodingException("invalid packet type");
        }
        Object nsp = map.opt("nsp");
        if (!(nsp instanceof String)) {
            throw new DecodingException("invalid namespace");
        }
        Object data = map.opt("data");
        if (!dataValid((Integer) type, data)) {
            throw new DecodingException("invalid payload");
        }
        Object id = map.opt("id");
        if (id != null && !(id instanceof Integer)) {
            throw new DecodingException("invalid packet id");
        }
        Packet<Object> packet = new Packet<>((Integer) type, data);
        packet.nsp = (String) nsp;
        if (id != null) {
            packet.id = (Integer) id;
        }
        return packet;
    }

    private static boolean dataValid(int type, Object data) {
        switch (type) {
            case Parser.CONNECT:
                return data == null || data instanceof JSONObject;
            case Parser.DISCONNECT:
                return data == null;
            case Parser.CONNECT_ERROR:
                return data instanceof String || data instanceof JSONObject;
            default:
                return data instanceof JSONArray;
        }
    }
}
