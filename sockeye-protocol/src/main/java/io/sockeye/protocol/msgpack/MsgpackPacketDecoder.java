package io.sockeye.protocol.msgpack;

import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.socket.DecoderLimits;
import io.sockeye.protocol.socket.EventNames;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;

import java.util.List;
import java.util.Map;

/**
 * Decodes the Socket.IO packets of socket.io-msgpack-parser 3.x: each binary message is one msgpack map
 * with {@code type} (an integer 0 to 4), {@code nsp} (a string), {@code data} and {@code id}; other keys
 * are ignored (socket.io-client adds {@code options}). Binary data arrives inline as {@code byte[]}, so
 * a decoded EVENT or ACK keeps its plain type.
 *
 * <p>The parser's own checks ({@code checkPacket}: data shaped by type, an integer id) are made, plus
 * those the JSON decoder makes, so that what reaches a socket is the same whichever parser the client
 * uses: the namespace starts with {@code /}; an EVENT is a non-empty array whose first element, the
 * event name, is a string that is not reserved or a number; an ACK has an id and only EVENT and ACK
 * have one, from 0 to 2^53-1. Every broken rule throws {@link ProtocolException} (see
 * {@link ValueReader} for the value rules); the caller closes the connection. Stateless and thread-safe.
 */
public final class MsgpackPacketDecoder {

    /** How deep arrays and maps may nest inside a packet by default: the JSON decoder's limit. */
    public static final int DEFAULT_MAX_DEPTH = DecoderLimits.MAX_NESTING_DEPTH;

    private static final SocketPacketType[] TYPES = {
            SocketPacketType.CONNECT, SocketPacketType.DISCONNECT, SocketPacketType.EVENT,
            SocketPacketType.ACK, SocketPacketType.CONNECT_ERROR};

    private final int maxDepth;

    public MsgpackPacketDecoder() {
        this(DEFAULT_MAX_DEPTH);
    }

    /** @param maxDepth how deep arrays and maps may nest inside the packet's data */
    public MsgpackPacketDecoder(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be >= 1: " + maxDepth);
        }
        this.maxDepth = maxDepth;
    }

    /** Whether a binary message can be a packet of this parser at all: it starts with a msgpack map header. */
    public static boolean looksLikePacket(byte[] message) {
        if (message.length == 0) {
            return false;
        }
        int first = message[0] & 0xff;
        return (first & 0xf0) == 0x80 || first == 0xde || first == 0xdf;
    }

    /** Decodes one binary message; the array is not kept. */
    public SocketPacket decode(byte[] message) {
        ValueReader reader = new ValueReader(message, maxDepth);
        int entries = reader.readMapHeader();
        Object type = null;
        Object nsp = null;
        Object data = ValueReader.UNDEFINED;
        Object id = ValueReader.UNDEFINED;
        for (int i = 0; i < entries; i++) {
            String key = reader.readKey();
            Object value = reader.read();
            // a repeated key overrides, as it does when notepack builds the JavaScript object
            switch (key) {
                case "type" -> type = value;
                case "nsp" -> nsp = value;
                case "data" -> data = value;
                case "id" -> id = value;
                default -> { } // socket.io-client's "options", and anything a later version adds
            }
        }
        if (!reader.atEnd()) {
            throw new ProtocolException("invalid msgpack: " + reader.remaining() + " trailing bytes after the packet");
        }
        SocketPacketType packetType = type(type);
        String namespace = namespace(nsp);
        Object payload = payload(packetType, data);
        long ackId = ackId(packetType, id);
        return new SocketPacket(packetType, namespace, ackId, payload);
    }

    private static SocketPacketType type(Object type) {
        long t = integer(type, "invalid packet type");
        if (t < 0 || t >= TYPES.length) {
            throw new ProtocolException("invalid packet type: " + type);
        }
        return TYPES[(int) t];
    }

    private static String namespace(Object nsp) {
        if (!(nsp instanceof String s)) {
            throw new ProtocolException("invalid namespace: not a string");
        }
        // The JSON form ends a namespace at its first ',', so no socket anywhere has one with a comma.
        if (s.isEmpty() || s.charAt(0) != '/' || s.indexOf(',') >= 0) {
            throw new ProtocolException("invalid namespace: must start with '/' and contain no ','");
        }
        return s;
    }

    // socket.io-msgpack-parser's isDataValid, and the event name rules of the JSON decoder.
    private static Object payload(SocketPacketType type, Object data) {
        boolean undefined = data == ValueReader.UNDEFINED;
        boolean valid = switch (type) {
            case CONNECT -> undefined || data instanceof Map;
            case DISCONNECT -> undefined;
            case CONNECT_ERROR -> data instanceof String || data instanceof Map;
            default -> data instanceof List;
        };
        if (!valid) {
            throw new ProtocolException("invalid payload: " + type + " needs " + expectedPayload(type));
        }
        if (type == SocketPacketType.EVENT) {
            EventNames.check((List<?>) data);
        }
        return undefined ? null : data;
    }

    private static long ackId(SocketPacketType type, Object id) {
        if (id == ValueReader.UNDEFINED) {
            if (type == SocketPacketType.ACK) {
                throw new ProtocolException("invalid packet: ACK needs an ack id");
            }
            return SocketPacket.NO_ID;
        }
        long value = integer(id, "invalid packet id");
        if (value < 0 || value > SocketPacket.MAX_ID) {
            throw new ProtocolException("invalid packet id: " + id + " is not between 0 and 2^53-1");
        }
        // Stricter than the parser (which keeps it, and the server ignores it), as the JSON decoder is.
        if (type != SocketPacketType.EVENT && type != SocketPacketType.ACK) {
            throw new ProtocolException("invalid packet: " + type + " carries no ack id");
        }
        return value;
    }

    /** JavaScript's {@code Number.isInteger}: an integer, or a float with an integral value. */
    private static long integer(Object value, String error) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return d.longValue();
        }
        throw new ProtocolException(error + ": " + (value == ValueReader.UNDEFINED ? "missing" : "not an integer"));
    }

    private static String expectedPayload(SocketPacketType type) {
        return switch (type) {
            case CONNECT -> "a map or no data";
            case DISCONNECT -> "no data";
            case CONNECT_ERROR -> "a map or a string";
            case EVENT -> "a non-empty array starting with the event name";
            default -> "an array";
        };
    }
}
