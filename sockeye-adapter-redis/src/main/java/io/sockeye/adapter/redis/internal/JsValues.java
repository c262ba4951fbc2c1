package io.sockeye.adapter.redis.internal;

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

/**
 * What the two wire writers ({@link MsgPack}, {@link Json}) agree on about Java values, so that a value
 * looks on the bus the way the same value would if a Node.js server had sent it:
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

    /** JavaScript's {@code Date.prototype.toISOString()}: always three fraction digits, always UTC. */
    private static final DateTimeFormatter JS_ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

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
     */
    public static Object plain(Object value, ObjectMapper mapper) {
        return mapper.convertValue(value, Object.class);
    }

    /** socket.io's {@code hasBinary}: is there a binary value anywhere inside? */
    public static boolean hasBinary(Object value, ObjectMapper mapper) {
        if (isBinary(value)) {
            return true;
        }
        if (isScalar(value)) {
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            for (Object item : map.values()) {
                if (hasBinary(item, mapper)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (hasBinary(item, mapper)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Object[] array) {
            for (Object item : array) {
                if (hasBinary(item, mapper)) {
                    return true;
                }
            }
            return false;
        }
        Object plain = plain(value, mapper);
        return isContainer(plain) || isBinary(plain) ? hasBinary(plain, mapper) : false;
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
                || number instanceof Byte || number instanceof BigInteger
                || number instanceof java.util.concurrent.atomic.AtomicInteger
                || number instanceof java.util.concurrent.atomic.AtomicLong;
    }

    /** A date as JavaScript's {@code JSON.stringify} writes it, e.g. {@code 2024-03-05T10:15:30.000Z}. */
    public static String isoDate(Instant instant) {
        return JS_ISO.format(instant);
    }

    public static Instant instant(Object dateValue) {
        return dateValue instanceof Date date ? date.toInstant() : (Instant) dateValue;
    }
}
