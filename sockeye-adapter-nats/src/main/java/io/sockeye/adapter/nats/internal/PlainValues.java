package io.sockeye.adapter.nats.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns whatever an application put in a packet, a handshake or {@code socket.data} into a plain tree
 * that both JSON and msgpack can carry: {@code LinkedHashMap<String,Object>}, {@code ArrayList},
 * String, Integer/Long/BigInteger, Double/BigDecimal, Boolean, {@code null} and {@code byte[]}.
 *
 * <p>Plain values are copied directly; anything else (POJOs, records, enums, primitive arrays) goes
 * through Jackson's {@code convertValue}, whose token buffer keeps {@code byte[]} and
 * {@link ByteBuffer} fields as {@code byte[]}, so binary nested in a POJO still travels as binary.
 */
final class PlainValues {

    /** Deeper trees are refused: a cycle or a hostile payload must not overflow the stack. */
    static final int MAX_DEPTH = 500;

    private final ObjectMapper mapper;

    PlainValues(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The plain tree of {@code value}. */
    Object toPlain(Object value) {
        return toPlain(value, 0);
    }

    private Object toPlain(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof byte[]
                || value instanceof Integer || value instanceof Long || value instanceof Double
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            // Read without moving the caller's position.
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(String.valueOf(e.getKey()), toPlain(e.getValue(), depth + 1));
            }
            return copy;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            for (Object element : collection) {
                copy.add(toPlain(element, depth + 1));
            }
            return copy;
        }
        if (value instanceof Object[] array) {
            List<Object> copy = new ArrayList<>(array.length);
            for (Object element : array) {
                copy.add(toPlain(element, depth + 1));
            }
            return copy;
        }
        // POJOs, records, enums, int[]...: Jackson knows how the application wants them serialised.
        Object converted = mapper.convertValue(value, Object.class);
        return converted == value ? String.valueOf(value) : toPlain(converted, depth + 1);
    }

    /** Whether a plain tree holds a {@code byte[]} anywhere. */
    static boolean hasBinary(Object tree) {
        if (tree instanceof byte[]) {
            return true;
        }
        if (tree instanceof Map<?, ?> map) {
            for (Object element : map.values()) {
                if (hasBinary(element)) {
                    return true;
                }
            }
        } else if (tree instanceof List<?> list) {
            for (Object element : list) {
                if (hasBinary(element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
