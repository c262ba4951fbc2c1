package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The few Engine.IO v4 / Socket.IO v5 text frames the load generator writes and reads, built and parsed
 * by hand: the generator must cost far less per message than the servers it measures, so nothing here
 * decodes JSON on the receive path. Pure: strings and buffers in, values out.
 *
 * <p>A text frame is one Engine.IO packet: a type digit then data. Type 4 (message) carries one
 * Socket.IO packet: a type digit, an optional {@code /nsp,}, an optional ack id, then JSON.
 */
public final class Frames {

    // Engine.IO packet types (PROTOCOL: "0 open, 1 close, 2 ping, 3 pong, 4 message, 5 upgrade, 6 noop").
    public static final char EIO_OPEN = '0';
    public static final char EIO_CLOSE = '1';
    public static final char EIO_PING = '2';
    public static final char EIO_PONG = '3';
    public static final char EIO_MESSAGE = '4';
    public static final char EIO_NOOP = '6';

    // Socket.IO packet types.
    public static final char SIO_CONNECT = '0';
    public static final char SIO_DISCONNECT = '1';
    public static final char SIO_EVENT = '2';
    public static final char SIO_ACK = '3';
    public static final char SIO_CONNECT_ERROR = '4';

    /** The answer to a server ping: Engine.IO v4 servers ping, clients answer "3". */
    public static final String PONG = "3";

    private static final byte[] T_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    private Frames() {
    }

    /** A Socket.IO CONNECT to {@code nsp} without auth: {@code 40} or {@code 40/chat,}. */
    public static String connect(String nsp) {
        return "/".equals(nsp) ? "40" : "40" + nsp + ",";
    }

    /**
     * A Socket.IO EVENT: {@code 42[/nsp,][ackId]["name",arg1,...]}. Arguments are JSON texts, written as
     * given; {@code ackId < 0} asks for no acknowledgement. Event names are plain ASCII (ours are).
     */
    public static String event(String nsp, long ackId, String name, String... jsonArgs) {
        StringBuilder sb = new StringBuilder(32 + name.length() + totalLength(jsonArgs));
        sb.append(EIO_MESSAGE).append(SIO_EVENT);
        if (!"/".equals(nsp)) {
            sb.append(nsp).append(',');
        }
        if (ackId >= 0) {
            sb.append(ackId);
        }
        sb.append("[\"").append(name).append('"');
        for (String arg : jsonArgs) {
            sb.append(',').append(arg);
        }
        return sb.append(']').toString();
    }

    /** A JSON string literal for plain ASCII text without quotes or backslashes (room names). */
    public static String jsonString(String plain) {
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not plain ASCII: " + plain);
            }
        }
        return '"' + plain + '"';
    }

    private static int totalLength(String[] parts) {
        int n = 0;
        for (String p : parts) {
            n += p.length() + 1;
        }
        return n;
    }

    /**
     * Reads the header of the frame between {@code reader} and {@code writer} index, without moving them.
     * Returns null for an empty frame. For a Socket.IO packet the header says its type, namespace, ack id
     * and where its JSON starts.
     */
    public static Header header(ByteBuf frame) {
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        if (start >= end) {
            return null;
        }
        char eio = (char) frame.getByte(start);
        if (eio != EIO_MESSAGE || start + 1 >= end) {
            return new Header(eio, (char) 0, "/", -1, start + 1);
        }
        char sio = (char) frame.getByte(start + 1);
        int i = start + 2;
        String nsp = "/";
        // "/nsp," only when the namespace is not the main one.
        if (i < end && frame.getByte(i) == '/') {
            int comma = frame.indexOf(i, end, (byte) ',');
            int nspEnd = comma < 0 ? end : comma;
            nsp = frame.toString(i, nspEnd - i, StandardCharsets.UTF_8);
            i = comma < 0 ? end : comma + 1;
        }
        long ackId = -1;
        while (i < end) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            ackId = (ackId < 0 ? 0 : ackId * 10) + (b - '0');
            i++;
        }
        return new Header(eio, sio, nsp, ackId, i);
    }

    /**
     * The send timestamp a payload carries ({@code "t":<digits>}, the first occurrence), or -1 when there
     * is none. Scans bytes only: the receive path of a fan-out must not parse JSON.
     */
    public static long timestamp(ByteBuf frame) {
        int end = frame.writerIndex();
        int at = indexOf(frame, T_KEY, frame.readerIndex(), end);
        if (at < 0) {
            return -1;
        }
        int i = at + T_KEY.length;
        long value = 0;
        int digits = 0;
        while (i < end) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits++;
            i++;
        }
        return digits == 0 ? -1 : value;
    }

    private static int indexOf(ByteBuf buf, byte[] needle, int from, int to) {
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The header of one frame.
     *
     * @param engineType the Engine.IO packet type digit
     * @param socketType the Socket.IO packet type digit, or 0 when the frame is not a message
     * @param namespace  the Socket.IO namespace ("/" when absent)
     * @param ackId      the ack id, or -1 when absent
     * @param dataIndex  where the packet's data (JSON) starts in the buffer
     */
    public record Header(char engineType, char socketType, String namespace, long ackId, int dataIndex) {
    }

    private static final byte[] REFUSED = "\"ok\":false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CODE = "\"code\":\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * The error code of an ack that carries the standalone server's refusal {@code {"ok":false, error: {code}}},
     * {@code "?"} when it has none, or {@code null} when the ack is not a refusal.
     */
    static String refusalCode(ByteBuf content) {
        int refused = indexOf(content, content.readerIndex(), REFUSED);
        if (refused < 0) {
            return null;
        }
        int code = indexOf(content, content.readerIndex(), CODE);
        if (code < 0) {
            return "?";
        }
        int start = code + CODE.length;
        int end = content.indexOf(start, content.writerIndex(), (byte) '"');
        return end < 0 ? "?" : content.toString(start, end - start, StandardCharsets.UTF_8);
    }

    private static int indexOf(ByteBuf content, int from, byte[] needle) {
        int end = content.writerIndex() - needle.length;
        outer:
        for (int i = from; i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (content.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
