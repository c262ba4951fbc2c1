package io.sockeye.cluster.codec;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the two wire writers ({@link MsgPack}, {@link Json}) agree on about Java values, so that a value
 * looks on the bus the way the same value would if a Node.js server had sent it (see
 * docs/protocol-notes.md, "Cluster messages"):
 * <ul>
 *   <li>{@code byte[]} and {@link ByteBuffer} are binary (Node's {@code Buffer});</li>
 *   <li>a floating-point number with an integral value is written as an integer, because JavaScript
 *       has one number type and notepack.io writes {@code 2.0} as {@code 02};</li>
 *   <li>{@link Instant} and {@link Date} are dates (msgpack timestamp, JSON ISO string);</li>
 *   <li>anything else that is not a Map, Collection, array or scalar (a POJO, a record, a Jackson tree)
 *       is first turned into plain values by the application's {@link ObjectMapper}.</li>
 * </ul>
 */
public final class JsValues {

    /** Deeper values are refused, both ways: a cycle or a hostile message must not overflow the stack. */
    public static final int MAX_DEPTH = 500;

    /** JavaScript's {@code Date.prototype.toISOString()}: always three fraction digits, always UTC. */
    private static final DateTimeFormatter JS_ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The range of a JavaScript {@code Date}: ±10^8 days around the epoch, in milliseconds. */
    private static final long JS_DATE_LIMIT_MS = 8_640_000_000_000_000L;

    /** Doubles beyond this magnitude are not written as 64-bit integers. */
    private static final double LONG_RANGE = 9.2e18;

    private JsValues() {
    }

    public static boolean isBinary(Object value) {
        return value instanceof byte[] || value instanceof ByteBuffer;
    }

    /** The bytes of a binary value; a ByteBuffer's remaining bytes, its position untouched. */
    public static byte[] bytes(Object binary) {
        if (binary instanceof byte[] bytes) {
            return bytes;
        }
        ByteBuffer copy = ((ByteBuffer) binary).duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Scalars both writers handle themselves. */
    public static boolean isScalar(Object value) {
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof CharSequence || value instanceof Character || value instanceof Instant
                || value instanceof Date;
    }

    /** Whether the writers walk into {@code value} themselves (no Jackson conversion needed). */
    public static boolean isContainer(Object value) {
        return value instanceof Map || value instanceof Collection || value instanceof Object[];
    }

    /**
     * Plain values (LinkedHashMap, ArrayList, String, numbers, Boolean, null, {@code byte[]}) for an
     * object the writers do not know, by the application's mapper. Binary fields stay {@code byte[]}.
     *
     * @throws ClusterCodecException when the mapper cannot serialise it
     */
    public static Object plain(Object value, ObjectMapper mapper) {
        try {
            return mapper.convertValue(value, Object.class);
        } catch (IllegalArgumentException e) {
            throw new ClusterCodecException("cannot encode a " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** socket.io's {@code hasBinary}: is there a binary value anywhere inside? */
    public static boolean hasBinary(Object value, ObjectMapper mapper) {
        return hasBinary(value, mapper, 0);
    }

    private static boolean hasBinary(Object value, ObjectMapper mapper, int depth) {
        if (isBinary(value)) {
            return true;
        }
        if (isScalar(value)) {
            return false;
        }
        checkDepth(depth);
        if (value instanceof Map<?, ?> map) {
            for (Object item : map.values()) {
                if (hasBinary(item, mapper, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (hasBinary(item, mapper, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Object[] array) {
            for (Object item : array) {
                if (hasBinary(item, mapper, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        Object plain = plain(value, mapper);
        return (isContainer(plain) || isBinary(plain)) && hasBinary(plain, mapper, depth + 1);
    }

    /** @throws ClusterCodecException past {@link #MAX_DEPTH} */
    static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new ClusterCodecException("value nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
    }

    /**
     * A floating-point number as JavaScript would hold it: a {@code Long} when it has an integral value
     * (and fits), else a {@code Double} (NaN and infinities included).
     */
    public static Number jsNumber(Number number) {
        double d = number instanceof BigDecimal big ? big.doubleValue() : number.doubleValue();
        if (!Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < LONG_RANGE) {
            return (long) d;
        }
        return d;
    }

    /** Whether the number is an integer type (as opposed to floating point). */
    public static boolean isIntegral(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger || number instanceof AtomicInteger
                || number instanceof AtomicLong;
    }

    /** A date as JavaScript's {@code JSON.stringify} writes it, e.g. {@code 2024-03-05T10:15:30.000Z}. */
    public static String isoDate(Instant instant) {
        return JS_ISO.format(instant);
    }

    /**
     * A received date as the JSON a Node.js server would send for it: its ISO string, or {@code null}
     * (JavaScript's invalid date) outside the range of a JavaScript {@code Date}.
     */
    public static String jsDate(long epochSecond, long nanos) {
        // Not Math.abs: it leaves Long.MIN_VALUE negative.
        if (epochSecond > JS_DATE_LIMIT_MS / 1000 || epochSecond < -JS_DATE_LIMIT_MS / 1000) {
            return null;
        }
        return isoDate(Instant.ofEpochSecond(epochSecond, nanos));
    }

    public static Instant instant(Object dateValue) {
        return dateValue instanceof Date date ? date.toInstant() : (Instant) dateValue;
    }
}
