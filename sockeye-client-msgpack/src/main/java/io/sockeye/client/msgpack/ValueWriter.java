package io.sockeye.client.msgpack;

import org.json.JSONArray;
import org.json.JSONObject;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes the values the Java client puts in packets (org.json's {@link JSONObject} and {@link JSONArray},
 * strings, numbers, booleans, {@link JSONObject#NULL}, {@code byte[]}) as notepack.io, inside
 * socket.io-msgpack-parser, writes the JavaScript values they stand for: integral numbers in the
 * smallest integer form and other numbers as float64; {@code byte[]} as {@code bin}; {@link Date} as
 * notepack's date (fixext 8, type 0, milliseconds). Plain {@link Map}s, {@link Collection}s and arrays
 * are written too.
 */
final class ValueWriter {

    private static final double TWO_POW_63 = 0x1p63;
    private static final int MAX_DEPTH = 1000;

    private final MessagePacker out;
    private int depth;

    ValueWriter(MessagePacker out) {
        this.out = out;
    }

    void write(Object value) throws IOException {
        if (value == null || value == JSONObject.NULL) {
            out.packNil();
        } else if (value instanceof String) {
            out.packString((String) value);
        } else if (value instanceof Boolean) {
            out.packBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.packLong(((Number) value).longValue());
        } else if (value instanceof BigInteger && ((BigInteger) value).bitLength() <= 63) {
            out.packBigInteger((BigInteger) value);
        } else if (value instanceof Number) {
            writeDouble(value instanceof Float ? Double.parseDouble(value.toString())
                    : value instanceof BigDecimal ? ((BigDecimal) value).doubleValue() : ((Number) value).doubleValue());
        } else if (value instanceof byte[]) {
            byte[] bytes = (byte[]) value;
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (value instanceof JSONObject) {
            writeObject((JSONObject) value);
        } else if (value instanceof JSONArray) {
            JSONArray array = (JSONArray) value;
            enter();
            out.packArrayHeader(array.length());
            for (int i = 0; i < array.length(); i++) {
                write(array.opt(i));
            }
            depth--;
        } else if (value instanceof Date) {
            writeDate(((Date) value).getTime());
        } else if (value instanceof Map) {
            writeMap((Map<?, ?>) value);
        } else if (value instanceof Collection) {
            writeArray(((Collection<?>) value).toArray());
        } else if (value instanceof Object[]) {
            writeArray((Object[]) value);
        } else {
            out.packString(value.toString()); // as org.json writes an unknown object: its string form
        }
    }

    private void writeObject(JSONObject object) throws IOException {
        enter();
        out.packMapHeader(object.length());
        Iterator<?> keys = object.keys();
        while (keys.hasNext()) {
            String key = String.valueOf(keys.next());
            out.packString(key);
            write(object.opt(key));
        }
        depth--;
    }

    private void writeMap(Map<?, ?> map) throws IOException {
        enter();
        Object[] entries = map.entrySet().toArray();
        out.packMapHeader(entries.length);
        for (Object e : entries) {
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
            out.packString(String.valueOf(entry.getKey()));
            write(entry.getValue());
        }
        depth--;
    }

    private void writeArray(Object[] array) throws IOException {
        enter();
        out.packArrayHeader(array.length);
        for (Object element : array) {
            write(element);
        }
        depth--;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("packet data nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
    }

    /** JavaScript has one number type: an integral value is written as an integer, anything else as float64. */
    private void writeDouble(double d) throws IOException {
        if (d == Math.floor(d) && !Double.isInfinite(d) && d >= -TWO_POW_63 && d < TWO_POW_63) {
            out.packLong((long) d);
        } else {
            out.packDouble(d);
        }
    }

    private void writeDate(long millis) throws IOException {
        out.packExtensionTypeHeader((byte) 0, 8);
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) millis;
            millis >>= 8;
        }
        out.writePayload(bytes);
    }
}
