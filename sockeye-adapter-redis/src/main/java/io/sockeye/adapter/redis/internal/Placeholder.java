package io.sockeye.adapter.redis.internal;

import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.OffsetPlaceholder;
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
    private static final byte[] USER_BYTES = OffsetPlaceholder.VALUE.getBytes(StandardCharsets.US_ASCII);
    /** msgpack's fixstr marker for a string of the placeholder's length. */
    private static final byte USER_FIXSTR = (byte) (0xa0 | USER_BYTES.length);

    static {
        if (TEXT.length() != OffsetFormat.STANDARD_LENGTH || OTHER.length() != TEXT.length()
                || OffsetPlaceholder.VALUE.length() != TEXT.length()) {
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
        int first = indexOf(encoded, BYTES, 0);
        if (first >= 0 && indexOf(encoded, BYTES, first + 1) < 0) {
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

    /**
     * Where the offset goes in a broadcast's msgpack message: {@code trailing} (from {@link #locate}),
     * then every string value {@link OffsetPlaceholder#VALUE} among the arguments (a msgpack fixstr of
     * its length: that marker byte, then its text), each 0-based. The script overwrites each with the
     * offset, as the core does on delivery, so the message Redis keeps and publishes is complete.
     */
    public static int[] offsets(byte[] encoded, int trailing) {
        List<Integer> at = new ArrayList<>();
        at.add(trailing);
        for (int i = indexOf(encoded, USER_BYTES, 1); i >= 0; i = indexOf(encoded, USER_BYTES, i + USER_BYTES.length)) {
            if (encoded[i - 1] == USER_FIXSTR && i != trailing) {
                at.add(i);
            }
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code packet} with {@code text} appended to its arguments. */
    public static SocketPacket withLast(SocketPacket packet, String text) {
        List<Object> data = new ArrayList<>(packet.args().size() + 1);
        data.addAll(packet.args());
        data.add(text);
        return new SocketPacket(packet.type(), packet.nsp(), packet.id(), data);
    }

    private static int indexOf(byte[] bytes, byte[] wanted, int from) {
        outer:
        for (int i = from; i <= bytes.length - wanted.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
