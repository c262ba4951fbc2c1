package io.sockeye.server.rooms;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

/**
 * Measures a decoded payload against a byte limit without encoding it: the size of its JSON text
 * (strings counted as UTF-16 units plus quotes — exact for ASCII, an undercount of at most 2x for
 * other scripts, which the protocol's own {@code maxHttpBufferSize} still caps), with binary parts at
 * their byte length. Stops as soon as the limit is passed, so a huge payload costs no more than the
 * limit.
 */
final class PayloadSize {

    private PayloadSize() {
    }

    /** Whether {@code value} measures more than {@code limit} bytes. */
    static boolean exceeds(Object value, long limit) {
        return measure(value, limit, 0) > limit;
    }

    // Returns the running total, or anything > limit once passed.
    private static long measure(Object value, long limit, long total) {
        if (total > limit) {
            return total;
        }
        if (value == null) {
            return total + 4;
        }
        if (value instanceof String s) {
            return total + s.length() + 2;
        }
        if (value instanceof byte[] bytes) {
            return total + bytes.length;
        }
        if (value instanceof ByteBuffer buffer) {
            return total + buffer.remaining();
        }
        if (value instanceof Map<?, ?> map) {
            total += 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                total += String.valueOf(e.getKey()).length() + 4; // quotes, colon, comma
                total = measure(e.getValue(), limit, total);
                if (total > limit) {
                    return total;
                }
            }
            return total;
        }
        if (value instanceof Collection<?> list) {
            total += 2;
            for (Object item : list) {
                total = measure(item, limit, total + 1);
                if (total > limit) {
                    return total;
                }
            }
            return total;
        }
        // numbers, booleans
        return total + String.valueOf(value).length();
    }
}
