package io.sockeye.protocol.engine;

import io.sockeye.protocol.ProtocolException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Pure Engine.IO v4 encoders and decoders: single packets (one per WebSocket frame) and HTTP
 * long-polling payloads (packets joined with the record separator {@code \x1e}).
 */
public final class EngineCodec {

    /** Separates packets inside a long-polling payload. */
    public static final char RECORD_SEPARATOR = '\u001e';

    private EngineCodec() {
    }

    /** Encodes a text packet as a WebSocket text frame carries it: type digit + data. */
    public static String encodeText(EnginePacket packet) {
        if (packet.isBinary()) {
            throw new IllegalArgumentException("binary packet has no text form for a WebSocket frame");
        }
        return packet.type().code() + packet.text();
    }

    /**
     * Encodes a packet for a long-polling payload. Spec: "binary payloads are encoded in base64 and
     * prefixed with the character b" — the {@code b} replaces the type digit (binary is always a message).
     */
    public static String encodeForPolling(EnginePacket packet) {
        if (packet.isBinary()) {
            return "b" + Base64.getEncoder().encodeToString(packet.binary());
        }
        return packet.type().code() + packet.text();
    }

    /** Joins packets into one long-polling response body. */
    public static String encodePayload(List<EnginePacket> packets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                sb.append(RECORD_SEPARATOR);
            }
            sb.append(encodeForPolling(packets.get(i)));
        }
        return sb.toString();
    }

    /** Decodes one text packet (a WebSocket text frame). */
    public static EnginePacket decodeText(String data) {
        if (data.isEmpty()) {
            throw new ProtocolException("empty packet");
        }
        EnginePacketType type = EnginePacketType.fromCode(data.charAt(0));
        if (type == null) {
            throw new ProtocolException("unknown packet type '" + data.charAt(0) + "'");
        }
        return EnginePacket.text(type, data.substring(1));
    }

    /** Decodes one WebSocket binary frame: always a message, no type prefix. */
    public static EnginePacket decodeBinary(byte[] data) {
        return EnginePacket.binaryMessage(data);
    }

    /** Decodes one record of a polling payload: a text packet or {@code b}+base64 binary. */
    public static EnginePacket decodePollingRecord(String record) {
        if (!record.isEmpty() && record.charAt(0) == 'b') {
            try {
                // Whitespace is tolerated (the Java client appends a line break, and Node's decoder
                // skips it); any other character outside the alphabet is an error.
                return EnginePacket.binaryMessage(Base64.getDecoder().decode(stripWhitespace(record, 1)));
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("invalid base64 in binary packet");
            }
        }
        return decodeText(record);
    }

    private static String stripWhitespace(String s, int from) {
        StringBuilder sb = null;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ws = c == ' ' || c == '\n' || c == '\r' || c == '\t';
            if (ws && sb == null) {
                sb = new StringBuilder(s.length()).append(s, from, i);
            } else if (!ws && sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s.substring(from) : sb.toString();
    }

    /** Splits and decodes a long-polling request body. */
    public static List<EnginePacket> decodePayload(String body) {
        List<EnginePacket> packets = new ArrayList<>(4);
        int start = 0;
        int len = body.length();
        while (true) {
            int end = body.indexOf(RECORD_SEPARATOR, start);
            if (end < 0) {
                end = len;
            }
            packets.add(decodePollingRecord(body.substring(start, end)));
            if (end == len) {
                return packets;
            }
            start = end + 1;
        }
    }

    /** Convenience for transports that hold UTF-8 bytes. */
    public static List<EnginePacket> decodePayload(byte[] utf8) {
        return decodePayload(new String(utf8, StandardCharsets.UTF_8));
    }
}
