package io.sockeye.cluster.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MessagePack as notepack.io 3 writes and reads it (the parser of socket.io's Redis adapters, see
 * docs/protocol-notes.md, "Cluster messages"), so Node.js nodes decode what we publish and we publish
 * the same bytes they do: smallest integer forms, non-integral numbers as float64 ({@code cb}), binary
 * as {@code bin} ({@code c4 len …}), dates as timestamp extension -1, map keys in insertion order.
 *
 * <p>Decoding gives plain Java values: LinkedHashMap (String keys), ArrayList, String, Integer/Long
 * (BigInteger past Long), Double, Boolean, null, {@code byte[]}; a timestamp becomes the ISO string
 * JavaScript's {@code JSON.stringify} would send a client for that Date; notepack's old
 * {@code undefined} ({@code d4 00 00}) and other extensions become null. Every announced length is
 * checked against the bytes left before anything is allocated for it, and nesting is bounded by
 * {@link JsValues#MAX_DEPTH}, so no input makes the decoder allocate much more than its own size.
 */
public final class MsgPack {

    /** msgpack's timestamp extension type, which notepack.io uses for {@code Date}. */
    private static final byte TIMESTAMP = -1;
    /**
     * Containers are pre-sized to at most this many slots and grow as elements arrive: a nest of
     * containers each announcing as many elements as there are bytes left must not cost kilobytes
     * per byte of input.
     */
    private static final int MAX_PRESIZE = 16;

    private MsgPack() {
    }

    /**
     * The msgpack of {@code value} (see {@link JsValues} for how Java values are written).
     *
     * @throws ClusterCodecException when a value cannot be written
     */
    public static byte[] encode(Object value, ObjectMapper mapper) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            new Writer(packer, mapper).write(value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("msgpack encoding failed", e); // an in-memory buffer does not fail
        }
    }

    /** Java values as notepack.io writes the JavaScript values they stand for. */
    private static final class Writer extends ValueWriter {

        private final MessagePacker out;

        Writer(MessagePacker out, ObjectMapper mapper) {
            super(mapper);
            this.out = out;
        }

        @Override
        void writeNull() throws IOException {
            out.packNil();
        }

        @Override
        void writeString(String value) throws IOException {
            out.packString(value);
        }

        @Override
        void writeBoolean(boolean value) throws IOException {
            out.packBoolean(value);
        }

        @Override
        void writeNumber(Number n) throws IOException {
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

        @Override
        void writeBinary(byte[] value) throws IOException {
            out.packBinaryHeader(value.length);
            out.writePayload(value);
        }

        @Override
        void writeDate(Instant value) throws IOException {
            out.packTimestamp(value);
        }

        @Override
        void startMap(int size) throws IOException {
            out.packMapHeader(size);
        }

        @Override
        void writeKey(String key) throws IOException {
            out.packString(key);
        }

        @Override
        void endMap() {
            // msgpack maps are sized up front
        }

        @Override
        void startArray(int size) throws IOException {
            out.packArrayHeader(size);
        }

        @Override
        void endArray() {
            // msgpack arrays are sized up front
        }
    }

    /**
     * Decodes the first value of {@code bytes} (anything after it is ignored, as notepack does).
     *
     * @throws ClusterCodecException when the bytes are not msgpack, or announce more than they hold
     */
    public static Object decode(byte[] bytes) {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes)) {
            return read(in, bytes.length, 0);
        } catch (IOException | MessagePackException e) {
            throw new ClusterCodecException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    /** One value; {@code size} is the message's length, against which every announced length is checked. */
    private static Object read(MessageUnpacker in, int size, int depth) throws IOException {
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
                int length = checked(in.unpackRawStringHeader(), in, size, 1);
                return length == 0 ? "" : new String(in.readPayload(length), StandardCharsets.UTF_8);
            }
            case BINARY -> {
                return in.readPayload(checked(in.unpackBinaryHeader(), in, size, 1));
            }
            case ARRAY -> {
                int count = checked(in.unpackArrayHeader(), in, size, 1);
                checkDepth(depth);
                List<Object> list = new ArrayList<>(Math.min(count, MAX_PRESIZE));
                for (int i = 0; i < count; i++) {
                    list.add(read(in, size, depth + 1));
                }
                return list;
            }
            case MAP -> {
                int count = checked(in.unpackMapHeader(), in, size, 2); // a key and a value
                checkDepth(depth);
                Map<String, Object> map = new LinkedHashMap<>(Math.min(count, MAX_PRESIZE) * 2);
                for (int i = 0; i < count; i++) {
                    String key = key(read(in, size, depth + 1));
                    map.put(key, read(in, size, depth + 1));
                }
                return map;
            }
            case EXTENSION -> {
                ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
                byte[] payload = in.readPayload(checked(header.getLength(), in, size, 1));
                // notepack's legacy undefined (d4 00 00) and unknown extensions have no JSON equivalent.
                return header.getType() == TIMESTAMP ? timestamp(payload) : null;
            }
            default -> throw new ClusterCodecException("unexpected msgpack format " + format);
        }
    }

    /**
     * A map key as the JavaScript property name it becomes: strings as they are, scalars as their text.
     * A container as a key is refused: its text would cost time and memory out of all proportion.
     */
    private static String key(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key == null || key instanceof Number || key instanceof Boolean) {
            return String.valueOf(key);
        }
        throw new ClusterCodecException("msgpack map key is a " + key.getClass().getSimpleName() + ", not a string");
    }

    /**
     * No element takes less than {@code bytesEach} bytes, so a length the bytes left cannot hold is a
     * lie: refused before anything is allocated for it.
     */
    private static int checked(int length, MessageUnpacker in, int size, int bytesEach) {
        long left = size - in.getTotalReadBytes();
        if (length < 0 || (long) length * bytesEach > left) {
            throw new ClusterCodecException("msgpack length " + Integer.toUnsignedString(length)
                    + " exceeds the message (" + Math.max(left, 0) + " bytes left)");
        }
        return length;
    }

    private static void checkDepth(int depth) {
        if (depth >= JsValues.MAX_DEPTH) {
            throw new ClusterCodecException("msgpack nested deeper than " + JsValues.MAX_DEPTH + " levels");
        }
    }

    /** The msgpack timestamp extension: 32-bit seconds, or 30-bit nanos + 34-bit seconds, or 32-bit nanos + 64-bit seconds. */
    private static String timestamp(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        return switch (payload.length) {
            case 4 -> JsValues.jsDate(b.getInt() & 0xffffffffL, 0);
            case 8 -> {
                long data = b.getLong();
                yield JsValues.jsDate(data & 0x3ffffffffL, data >>> 34);
            }
            case 12 -> {
                long nanos = b.getInt() & 0xffffffffL;
                yield JsValues.jsDate(b.getLong(), nanos);
            }
            default -> throw new ClusterCodecException("msgpack timestamp of " + payload.length + " bytes");
        };
    }

    private static Object narrow(long value) {
        // Not a ternary: Integer and Long operands would be promoted to long.
        if (value == (int) value) {
            return Integer.valueOf((int) value);
        }
        return Long.valueOf(value);
    }
}
