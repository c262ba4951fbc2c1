package io.sockeye.adapter.redis.internal;

import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.protocol.socket.SocketPacket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where a broadcast's offset goes in its already-encoded message: the message is encoded with a
 * placeholder string of an offset's length as the event's last argument, and the Redis script that
 * assigns the offset overwrites those bytes (JSON or msgpack, the framing stays valid since the
 * length does not change).
 */
public final class Placeholder {

    /** The placeholder: as long as an offset, printable, unlikely in user data. */
    public static final String TEXT = "~sockeye~offset~pending~~";
    private static final String OTHER = "~sockeye~offset~pending~!";
    private static final byte[] BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);

    static {
        if (TEXT.length() != OffsetFormat.STANDARD_LENGTH || OTHER.length() != TEXT.length()) {
            throw new IllegalStateException("the placeholder must be as long as an offset");
        }
    }

    private Placeholder() {
    }

    /**
     * The index of the placeholder in {@code encode.apply(TEXT)}. Should the user's data hold the
     * placeholder too, the message is encoded a second time with another one, and the first byte
     * that differs says where the offset goes.
     *
     * @param encode encodes the message with the given string as the event's last argument
     */
    public static int locate(byte[] encoded, Function<String, byte[]> encode) {
        int first = indexOf(encoded, 0);
        if (first >= 0 && indexOf(encoded, first + 1) < 0) {
            return first;
        }
        byte[] other = encode.apply(OTHER);
        for (int i = 0; i < Math.min(encoded.length, other.length); i++) {
            if (encoded[i] != other[i]) {
                return i - (BYTES.length - 1);
            }
        }
        throw new IllegalStateException("the encoded message does not hold its offset placeholder");
    }

    /** {@code packet} with {@code text} appended to its arguments. */
    public static SocketPacket withLast(SocketPacket packet, String text) {
        List<Object> data = new ArrayList<>(packet.args().size() + 1);
        data.addAll(packet.args());
        data.add(text);
        return new SocketPacket(packet.type(), packet.nsp(), packet.id(), data);
    }

    private static int indexOf(byte[] bytes, int from) {
        outer:
        for (int i = from; i <= bytes.length - BYTES.length; i++) {
            for (int j = 0; j < BYTES.length; j++) {
                if (bytes[i + j] != BYTES[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
