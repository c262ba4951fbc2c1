package io.sockeye.protocol.socket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sockeye.protocol.ProtocolException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Socket.IO v5 packets as socket.io-parser 4.2.6 does:
 * {@code <type>[<attachments>-][<nsp>,][<ackId>][<JSON>]}. A BINARY_EVENT / BINARY_ACK text is
 * followed by its attachments, one Engine.IO binary message each; the packet is complete after the
 * last one, with {@code byte[]} in place of the placeholders.
 *
 * <p>Every broken rule, and every input past its {@link DecoderLimits}, throws {@link ProtocolException}
 * naming the rule; the caller then closes the connection (socket.io's {@code client.ts} does the same).
 * After an exception the decoder's state is unspecified: {@link #reset()} it or drop it. Not
 * thread-safe; one per connection.
 */
public final class SocketPacketDecoder {

    /** socket.io-parser 4.2.6 default for {@code maxAttachments}. */
    public static final int DEFAULT_MAX_ATTACHMENTS = DecoderLimits.DEFAULT_MAX_ATTACHMENTS;


    /**
     * JSON input buffer, one per thread (decoding never nests), not one per connection: an idle
     * connection must not carry a parse buffer. Packets larger than this get a buffer of their own.
     */
    private static final int KEPT_BUFFER_CHARS = 64 * 1024;
    private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[1024]);

    private final DecoderLimits limits;
    private final int maxAttachments;

    // the binary packet awaiting attachments, if any
    private SocketPacket pending;
    private PayloadReader pendingReader;
    private int expectedAttachments;
    private List<byte[]> received;
    private long pendingBytes;

    /** A decoder with {@link DecoderLimits#defaults()}. */
    public SocketPacketDecoder() {
        this(DecoderLimits.defaults());
    }

    /** @param maxAttachments the most binary attachments one packet may announce; other limits default */
    public SocketPacketDecoder(int maxAttachments) {
        this(DecoderLimits.of(maxAttachments, DecoderLimits.DEFAULT_MAX_PACKET_LENGTH));
    }

    public SocketPacketDecoder(DecoderLimits limits) {
        this.limits = limits;
        this.maxAttachments = limits.maxAttachments();
    }

    /**
     * Decodes the text of one packet (the Engine.IO message without its {@code 4}).
     *
     * @return the packet, or {@code null} for a binary packet that now awaits its attachments
     */
    public SocketPacket decodeText(String text) {
        if (pending != null) {
            throw new ProtocolException("got plaintext data when reconstructing a packet");
        }
        int len = text.length();
        if (len == 0) {
            throw new ProtocolException("empty packet");
        }
        if (len > limits.maxPacketLength()) {
            throw new ProtocolException("packet too large: " + len + " characters > " + limits.maxPacketLength());
        }
        SocketPacketType type = SocketPacketType.fromCode(text.charAt(0));
        if (type == null) {
            throw new ProtocolException("unknown packet type '" + text.charAt(0) + "'");
        }
        int i = 1;

        // "<attachments>-": a binary packet announces its attachment count, digits then '-'
        int attachments = 0;
        if (type.isBinary()) {
            int start = i;
            long n = 0;
            while (i < len && isDigit(text.charAt(i))) {
                n = Math.min(n * 10 + (text.charAt(i) - '0'), Integer.MAX_VALUE);
                i++;
            }
            if (i == start || i == len || text.charAt(i) != '-') {
                throw new ProtocolException("illegal attachments: expected the attachment count then '-'");
            }
            if (n < 1) {
                throw new ProtocolException("illegal attachments: a binary packet needs at least one");
            }
            if (n > maxAttachments) {
                throw new ProtocolException("too many attachments: " + n + " > " + maxAttachments);
            }
            attachments = (int) n;
            i++;
        }

        // "namespace starts with / and runs to the first , or end of string" (40/custom == 40/custom,)
        String nsp = SocketPacket.MAIN_NAMESPACE;
        if (i < len && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? len : comma;
            nsp = text.substring(i, end);
            i = comma < 0 ? len : comma + 1;
        }

        // "ack id = run of digits"; a JavaScript peer holds it in a double, so keep it exact there
        long id = SocketPacket.NO_ID;
        if (i < len && isDigit(text.charAt(i))) {
            int start = i;
            while (i < len && isDigit(text.charAt(i))) {
                i++;
            }
            id = parseAckId(text, start, i);
        }

        PayloadReader reader = new PayloadReader(attachments);
        Object data = i < len ? parsePayload(type, text, i, reader) : null;
        SocketPacket packet = packet(type, nsp, id, data);
        if (attachments > 0) {
            pending = packet;
            pendingReader = reader;
            expectedAttachments = attachments;
            received = new ArrayList<>(attachments);
            pendingBytes = len;
            return null;
        }
        return packet;
    }

    /**
     * Takes one binary attachment (an Engine.IO binary message); the array is kept, not copied.
     *
     * @return the completed packet after its last attachment, else {@code null}
     */
    public SocketPacket decodeBinary(byte[] data) {
        if (pending == null) {
            throw new ProtocolException("got binary data when not reconstructing a packet");
        }
        received.add(data);
        pendingBytes += data.length;
        if (received.size() < expectedAttachments) {
            return null;
        }
        pendingReader.fill(received);
        SocketPacket packet = pending;
        reset();
        return packet;
    }

    /** True while a binary packet waits for more attachments. */
    public boolean awaitingAttachments() {
        return pending != null;
    }

    /**
     * What the partly received binary packet holds: its text's length plus the bytes of the
     * attachments received so far; 0 when no packet awaits attachments.
     */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** Drops any partly received binary packet. */
    public void reset() {
        pending = null;
        pendingReader = null;
        expectedAttachments = 0;
        received = null;
        pendingBytes = 0;
    }

    private static long parseAckId(String text, int start, int end) {
        if (end - start > 16) {
            throw new ProtocolException("invalid ack id: larger than 2^53-1");
        }
        long id = Long.parseLong(text, start, end, 10);
        if (id > SocketPacket.MAX_ID) {
            throw new ProtocolException("invalid ack id: larger than 2^53-1");
        }
        return id;
    }

    // The payload checks of socket.io-parser's isPayloadValid, made on the first token where possible.
    private Object parsePayload(SocketPacketType type, String text, int from, PayloadReader reader) {
        if (type == SocketPacketType.DISCONNECT) {
            throw new ProtocolException("invalid payload: DISCONNECT carries no payload");
        }
        int n = text.length() - from;
        char[] buffer = BUFFER.get();
        char[] chars = n <= buffer.length ? buffer : new char[n];
        text.getChars(from, text.length(), chars, 0);
        if (chars != buffer && n <= KEPT_BUFFER_CHARS) {
            BUFFER.set(chars);
        }
        try (JsonParser p = limits.json().createParser(chars, 0, n)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ProtocolException("invalid payload: not JSON");
            }
            checkRootToken(type, first);
            Object data = reader.read(p, first);
            if (p.nextToken() != null) {
                throw new ProtocolException("invalid payload: unexpected data after the JSON value");
            }
            if (type.isEvent()) {
                EventNames.check((List<?>) data);
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new ProtocolException("invalid payload: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException("invalid payload: " + e.getMessage());
        }
    }

    private static void checkRootToken(SocketPacketType type, JsonToken first) {
        boolean valid = switch (type) {
            case CONNECT -> first == JsonToken.START_OBJECT;
            case CONNECT_ERROR -> first == JsonToken.START_OBJECT || first == JsonToken.VALUE_STRING;
            case EVENT, BINARY_EVENT, ACK, BINARY_ACK -> first == JsonToken.START_ARRAY;
            case DISCONNECT -> false;
        };
        if (!valid) {
            throw new ProtocolException("invalid payload: " + type + " needs " + expectedPayload(type));
        }
    }

    private static SocketPacket packet(SocketPacketType type, String nsp, long id, Object data) {
        if (data == null && type != SocketPacketType.CONNECT && type != SocketPacketType.DISCONNECT) {
            throw new ProtocolException("invalid payload: " + type + " needs " + expectedPayload(type));
        }
        // Stricter than socket.io-parser, which keeps such ids and lets the server ignore them:
        // no client sends one, and SocketPacket's invariants stay simple.
        if (id != SocketPacket.NO_ID && !type.isEvent() && !type.isAck()) {
            throw new ProtocolException("invalid packet: " + type + " carries no ack id");
        }
        if (type.isAck() && id == SocketPacket.NO_ID) {
            throw new ProtocolException("invalid packet: " + type + " needs an ack id");
        }
        return new SocketPacket(type, nsp, id, data);
    }

    private static String expectedPayload(SocketPacketType type) {
        return switch (type) {
            case CONNECT -> "an object or no payload";
            case DISCONNECT -> "no payload";
            case CONNECT_ERROR -> "an object or a string";
            case EVENT, BINARY_EVENT -> "a non-empty array starting with the event name";
            case ACK, BINARY_ACK -> "an array";
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
