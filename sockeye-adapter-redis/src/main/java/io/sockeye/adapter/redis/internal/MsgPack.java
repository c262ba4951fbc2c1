package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MessagePack as notepack.io 3 writes and reads it (the parser of {@code @socket.io/redis-adapter},
 * PROTOCOL.md §4.3), so Node.js nodes decode what we publish and we publish the same bytes they do:
 * smallest integer forms, non-integral numbers as float64 ({@code cb}), binary as {@code bin}
 * ({@code c4 len …}), dates as timestamp extension -1, map keys in insertion order.
 *
 * <p>Decoding gives plain Java values: LinkedHashMap (String keys), ArrayList, String, Integer/Long
 * (BigInteger past Long), Double, Boolean, null, {@code byte[]}; a timestamp becomes the ISO string
 * JavaScript's {@code JSON.stringify} would send a client for that Date; notepack's old
 * {@code undefined} ({@code d4 00 00}) and other extensions become null.
 */
public final class MsgPack {

    /** msgpack's timestamp extension type, which notepack.io uses for {@code Date}. */
    private static final byte TIMESTAMP = -1;

    private MsgPack() {
    }

    public static byte[] encode(Object value, ObjectMapper mapper) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, value, mapper);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("msgpack encoding failed", e);
        }
    }

    private static void write(MessagePacker out, Object value, ObjectMapper mapper) throws IOException {
        if (value == null) {
            out.packNil();
        } else if (value instanceof String s) {
            out.packString(s);
        } else if (value instanceof Boolean b) {
            out.packBoolean(b);
        } else if (value instanceof Number n) {
            writeNumber(out, n);
        } else if (JsValues.isBinary(value)) {
            byte[] bytes = JsValues.bytes(value);
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (value instanceof Map<?, ?> map) {
            out.packMapHeader(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.packString(String.valueOf(entry.getKey()));
                write(out, entry.getValue(), mapper);
            }
        } else if (value instanceof Collection<?> list) {
            out.packArrayHeader(list.size());
            for (Object item : list) {
                write(out, item, mapper);
            }
        } else if (value instanceof Object[] array) {
            out.packArrayHeader(array.length);
            for (Object item : array) {
                write(out, item, mapper);
            }
        } else if (value instanceof CharSequence || value instanceof Character) {
            out.packString(value.toString());
        } else if (value instanceof java.time.Instant || value instanceof java.util.Date) {
            out.packTimestamp(JsValues.instant(value));
        } else {
            Object plain = JsValues.plain(value, mapper);
            if (plain != null && plain.getClass() == value.getClass()) {
                throw new IllegalArgumentException("cannot encode " + value.getClass().getName());
            }
            write(out, plain, mapper);
        }
    }

    private static void writeNumber(MessagePacker out, Number n) throws IOException {
        if (n instanceof BigInteger big) {
            if (big.bitLength() <= 63) {
                out.packLong(big.longValue());
            } else if (big.signum() > 0 && big.bitLength() <= 64) {
                out.packBigInteger(big);
            } else {
                out.packDouble(big.doubleValue());
            }
            return;
        }
        Number js = JsValues.isIntegral(n) ? n : JsValues.jsNumber(n);
        if (js instanceof Double d) {
            out.packDouble(d);
        } else {
            out.packLong(js.longValue());
        }
    }

    /** Decodes one value; throws on malformed input. */
    public static Object decode(byte[] bytes) {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
            return read(in, bytes.length);
        } catch (IOException | MessagePackException e) {
            throw new IllegalArgumentException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    /**
     * One value; {@code available} bounds every announced length, so that a corrupt header cannot make
     * us allocate more than the message could hold.
     */
    private static Object read(MessageUnpacker in, int available) throws IOException {
        MessageFormat format = in.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return in.unpackBoolean();
            }
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    BigInteger big = in.unpackBigInteger();
                    return big.bitLength() <= 63 ? narrow(big.longValue()) : big;
                }
                return narrow(in.unpackLong());
            }
            case FLOAT -> {
                return in.unpackDouble();
            }
            case STRING -> {
                return in.unpackString();
            }
            case BINARY -> {
                return in.readPayload(checked(in.unpackBinaryHeader(), available));
            }
            case ARRAY -> {
                int size = checked(in.unpackArrayHeader(), available);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(read(in, available));
                }
                return list;
            }
            case MAP -> {
                int size = checked(in.unpackMapHeader(), available);
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, size * 2));
                for (int i = 0; i < size; i++) {
                    Object key = read(in, available);
                    map.put(String.valueOf(key), read(in, available));
                }
                return map;
            }
            case EXTENSION -> {
                ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
                if (header.getType() == TIMESTAMP) {
                    return JsValues.isoDate(in.unpackTimestamp(header));
                }
                in.readPayload(checked(header.getLength(), available));
                return null; // notepack's legacy undefined (d4 00 00) and unknown extensions
            }
            default -> throw new IllegalArgumentException("unexpected msgpack format " + format);
        }
    }

    /** Every element takes at least one byte, so no length can exceed the message's. */
    private static int checked(int length, int available) {
        if (length < 0 || length > available) {
            throw new IllegalArgumentException("msgpack length " + length + " exceeds the message (" + available + " bytes)");
        }
        return length;
    }

    private static Object narrow(long value) {
        // Not a ternary: Integer and Long operands would be promoted to long.
        if (value == (int) value) {
            return Integer.valueOf((int) value);
        }
        return Long.valueOf(value);
    }
}
