package io.sockeye.client.msgpack;

import io.socket.parser.DecodingException;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * Reads msgpack values into what the Java client hands to applications: {@link JSONObject},
 * {@link JSONArray}, String, Integer/Long (BigInteger past Long), Double, Boolean, {@link JSONObject#NULL},
 * {@code byte[]} for {@code bin} and notepack's ArrayBuffer (extension type 0), {@link Date} for
 * notepack's date (fixext 8, type 0). notepack's {@code undefined} (fixext 1, type 0) leaves a key out of
 * an object, as JavaScript's {@code JSON.stringify} does, and is {@code null} in an array. A number that
 * org.json cannot hold in an object (NaN, infinities) becomes {@code null} there, as in JSON.
 *
 * <p>Every announced length is checked against the bytes left before anything is read or allocated.
 */
final class ValueReader {

    /** What notepack's {@code undefined} reads as, before its container decides what it becomes. */
    static final Object UNDEFINED = new Object();
    private static final int MAX_DEPTH = 1000;

    private final MessageUnpacker in;
    private final int length;
    private int depth;

    ValueReader(MessageUnpacker in, int length) {
        this.in = in;
        this.length = length;
    }

    boolean atEnd() throws IOException {
        return !in.hasNext();
    }

    /** Reads one value; may return {@link #UNDEFINED}. */
    Object read() throws IOException {
        MessageFormat format = in.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                in.unpackNil();
                return JSONObject.NULL;
            case BOOLEAN:
                return in.unpackBoolean();
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger big = in.unpackBigInteger();
                    return big.bitLength() <= 63 ? narrow(big.longValue()) : big;
                }
                return narrow(in.unpackLong());
            case FLOAT:
                return in.unpackDouble();
            case STRING:
                return new String(payload(in.unpackRawStringHeader()), StandardCharsets.UTF_8);
            case BINARY:
                return payload(in.unpackBinaryHeader());
            case ARRAY:
                return array(in.unpackArrayHeader());
            case MAP:
                return object(in.unpackMapHeader());
            case EXTENSION:
                return extension(format, in.unpackExtensionTypeHeader());
            default:
                throw new DecodingException("invalid msgpack: format " + format);
        }
    }

    private JSONArray array(int n) throws IOException {
        check(n);
        enter();
        JSONArray array = new JSONArray();
        for (int i = 0; i < n; i++) {
            Object value = read();
            array.put(value == UNDEFINED ? JSONObject.NULL : value);
        }
        depth--;
        return array;
    }

    JSONObject object(int n) throws IOException {
        check(n);
        enter();
        JSONObject object = new JSONObject();
        for (int i = 0; i < n; i++) {
            Object key = read();
            if (!(key instanceof String)) {
                throw new DecodingException("invalid msgpack: a map key is not a string");
            }
            Object value = read();
            if (value == UNDEFINED) {
                continue;
            }
            if (value instanceof Double && (((Double) value).isNaN() || ((Double) value).isInfinite())) {
                value = JSONObject.NULL;
            }
            try {
                object.put((String) key, value);
            } catch (JSONException e) {
                throw new DecodingException("invalid value for key " + key + ": " + e.getMessage());
            }
        }
        depth--;
        return object;
    }

    private Object extension(MessageFormat format, ExtensionTypeHeader header) throws IOException {
        if (header.getType() != 0) {
            throw new DecodingException("invalid msgpack: extension type " + header.getType()
                    + " is not one the msgpack parser writes");
        }
        byte[] data = payload(header.getLength());
        if (format == MessageFormat.FIXEXT1) {
            return UNDEFINED;
        }
        if (format == MessageFormat.FIXEXT8) {
            long millis = 0;
            for (byte b : data) {
                millis = millis << 8 | (b & 0xff);
            }
            return new Date(millis);
        }
        return data; // an ArrayBuffer
    }

    private byte[] payload(int n) throws IOException {
        check(n);
        return in.readPayload(n);
    }

    /** Every element takes at least one byte: no count or length may exceed what is left. */
    private void check(int n) {
        if (n < 0 || n > length - in.getTotalReadBytes()) {
            throw new DecodingException("invalid msgpack: " + n + " announced, fewer bytes left");
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new DecodingException("invalid msgpack: nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static Object narrow(long v) {
        if (v == (int) v) {
            return (int) v;
        }
        return v;
    }
}
