package io.sockeye.adapter.nats.internal;

import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * msgpack for plain trees (see {@link PlainValues}), with the conventions of notepack.io, the
 * encoder socket.io's adapters use (PROTOCOL.md §4.3): integers in their smallest form, every other
 * number as float64, {@code byte[]} as {@code bin}, map keys in insertion order. Reading accepts what
 * notepack and @msgpack/msgpack write: {@code bin} becomes {@code byte[]}, a timestamp (ext -1) the
 * ISO-8601 text JavaScript's {@code Date#toJSON} gives, any other extension {@code null}.
 */
final class MsgpackValues {

    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private MsgpackValues() {
    }

    static byte[] write(Object tree) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, tree);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory buffer does not fail
        }
    }

    private static void write(MessagePacker packer, Object value) throws IOException {
        if (value == null) {
            packer.packNil();
        } else if (value instanceof String s) {
            packer.packString(s);
        } else if (value instanceof Boolean b) {
            packer.packBoolean(b);
        } else if (value instanceof Integer || value instanceof Long) {
            packer.packLong(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            packer.packBigInteger(big);
        } else if (value instanceof Double || value instanceof BigDecimal) {
            packer.packDouble(((Number) value).doubleValue());
        } else if (value instanceof byte[] bytes) {
            packer.packBinaryHeader(bytes.length);
            packer.writePayload(bytes);
        } else if (value instanceof Map<?, ?> map) {
            packer.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                packer.packString((String) e.getKey());
                write(packer, e.getValue());
            }
        } else if (value instanceof List<?> list) {
            packer.packArrayHeader(list.size());
            for (Object element : list) {
                write(packer, element);
            }
        } else {
            throw new IllegalArgumentException("not a plain value: " + value.getClass().getName());
        }
    }

    /** Reads one value; the bytes are not retained. */
    static Object read(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            return read(unpacker, 0);
        } catch (IOException | MessagePackException e) {
            // Truncated input, a reserved format byte, an invalid string...
            throw new IllegalArgumentException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    private static Object read(MessageUnpacker unpacker, int depth) throws IOException {
        if (depth > PlainValues.MAX_DEPTH) {
            throw new IllegalArgumentException("msgpack nested deeper than " + PlainValues.MAX_DEPTH + " levels");
        }
        MessageFormat format = unpacker.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                unpacker.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return unpacker.unpackBoolean();
            }
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    BigInteger big = unpacker.unpackBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                long value = unpacker.unpackLong();
                return value == (int) value ? (Object) (int) value : value;
            }
            case FLOAT -> {
                return unpacker.unpackDouble();
            }
            case STRING -> {
                return unpacker.unpackString();
            }
            case BINARY -> {
                return unpacker.readPayload(unpacker.unpackBinaryHeader());
            }
            case ARRAY -> {
                int size = unpacker.unpackArrayHeader();
                List<Object> list = new ArrayList<>(Math.min(size, 1024));
                for (int i = 0; i < size; i++) {
                    list.add(read(unpacker, depth + 1));
                }
                return list;
            }
            case MAP -> {
                int size = unpacker.unpackMapHeader();
                Map<String, Object> map = new LinkedHashMap<>(Math.min(size * 2, 1024));
                for (int i = 0; i < size; i++) {
                    Object key = read(unpacker, depth + 1);
                    map.put(String.valueOf(key), read(unpacker, depth + 1));
                }
                return map;
            }
            case EXTENSION -> {
                ExtensionTypeHeader header = unpacker.unpackExtensionTypeHeader();
                if (header.getType() == -1) {
                    return JS_DATE.format(unpacker.unpackTimestamp(header));
                }
                // notepack's old "undefined" (d4 00 00) and unknown extensions: no JSON equivalent.
                unpacker.readPayload(header.getLength());
                return null;
            }
            default -> throw new IllegalArgumentException("unsupported msgpack format " + format);
        }
    }
}
