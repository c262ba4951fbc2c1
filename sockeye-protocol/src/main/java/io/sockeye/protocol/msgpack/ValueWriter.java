package io.sockeye.protocol.msgpack;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.MessageBufferPacker;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes Java values as notepack.io 2.2 (the library inside socket.io-msgpack-parser 3.x) writes the
 * JavaScript values they stand for, so that a client decodes exactly what a Node.js server would send
 * (rules in docs/protocol-notes.md, "msgpack parser"):
 * <ul>
 *   <li>numbers in the smallest integer form when integral, else float64 ({@code cb}), never float32;</li>
 *   <li>{@code byte[]} and {@link ByteBuffer} as {@code bin} (a Node.js {@code Buffer});</li>
 *   <li>{@link Date} and {@link Instant} as fixext 8 type 0 holding the milliseconds;</li>
 *   <li>{@link Undefined} as fixext 1 type 0 ({@code d4 00 00});</li>
 *   <li>map keys as strings, in the map's iteration order.</li>
 * </ul>
 * Anything else (POJOs, records, Jackson trees, primitive arrays, enums) is first turned into plain
 * values by the application's {@link ObjectMapper}, as the JSON encoder serialises it.
 */
final class ValueWriter {

    private static final byte[] UNDEFINED = {(byte) 0xd4, 0, 0};
    private static final byte EXT_TYPE_NOTEPACK = 0;
    private static final double TWO_POW_63 = 0x1p63;
    private static final double TWO_POW_64 = 0x1p64;
    /** Deeper than any real payload; a cyclic structure fails here instead of overflowing the stack. */
    static final int MAX_DEPTH = 1000;

    private final MessageBufferPacker out;
    private final ObjectMapper mapper;
    private final byte[] scratch = new byte[8];
    private int depth;

    ValueWriter(MessageBufferPacker out, ObjectMapper mapper) {
        this.out = out;
        this.mapper = mapper;
    }

    /** The packer written to. */
    MessageBufferPacker packer() {
        return out;
    }

    /** Forgets what was written (also after a failed encode), for the next value. */
    void reset() {
        out.clear();
        depth = 0;
    }

    void write(Object value) throws IOException {
        if (value == null) {
            out.packNil();
        } else if (value instanceof String s) {
            out.packString(s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof AtomicInteger || value instanceof AtomicLong) {
            out.packLong(((Number) value).longValue());
        } else if (value instanceof Double d) {
            writeDouble(d);
        } else if (value instanceof Boolean b) {
            out.packBoolean(b);
        } else if (value instanceof Map<?, ?> map) {
            enter();
            out.packMapHeader(map.size());
            int written = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.packString(String.valueOf(e.getKey()));
                write(e.getValue());
                written++;
            }
            checkSize(written, map.size());
            depth--;
        } else if (value instanceof Collection<?> list) {
            enter();
            out.packArrayHeader(list.size());
            int written = 0;
            for (Object element : list) {
                write(element);
                written++;
            }
            checkSize(written, list.size());
            depth--;
        } else if (value instanceof byte[] bytes) {
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (value instanceof ByteBuffer buffer) {
            writeByteBuffer(buffer);
        } else if (value instanceof Object[] array) {
            enter();
            out.packArrayHeader(array.length);
            for (Object element : array) {
                write(element);
            }
            depth--;
        } else {
            writeOther(value);
        }
    }

    // The header announced size() elements: a container changed by another thread would corrupt the packet.
    private static void checkSize(int written, int announced) {
        if (written != announced) {
            throw new IllegalArgumentException("a map or collection changed size while being encoded");
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("packet data nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
    }

    private void writeOther(Object value) throws IOException {
        if (value instanceof Undefined) {
            out.writePayload(UNDEFINED);
        } else if (value instanceof Float f) {
            // As the JSON encoder writes it ("0.1", not 0.10000000149011612): the float's decimal form.
            writeDouble(Double.parseDouble(Float.toString(f)));
        } else if (value instanceof BigInteger big) {
            writeBigInteger(big);
        } else if (value instanceof BigDecimal big) {
            writeDouble(big.doubleValue());
        } else if (value instanceof CharSequence || value instanceof Character) {
            out.packString(value.toString());
        } else if (value instanceof Date date) {
            writeDate(date.getTime());
        } else if (value instanceof Instant instant) {
            writeDate(instant.toEpochMilli());
        } else {
            Object plain = mapper.convertValue(value, Object.class);
            if (plain != null && plain.getClass() == value.getClass()) {
                throw new IllegalArgumentException("cannot encode a " + value.getClass().getName() + " as msgpack");
            }
            write(plain);
        }
    }

    /**
     * JavaScript has one number type: notepack writes an integral value as an integer (so {@code 2.0}
     * and {@code -0.0} become {@code 02} and {@code 00}) and anything else, NaN and infinities included,
     * as float64.
     */
    private void writeDouble(double d) throws IOException {
        if (d != Math.floor(d) || Double.isInfinite(d)) {
            out.packDouble(d); // NaN fails the comparison too
        } else if (d >= -TWO_POW_63 && d < TWO_POW_63) {
            out.packLong((long) d);
        } else if (d > 0 && d < TWO_POW_64) {
            out.packBigInteger(new BigDecimal(d).toBigInteger()); // uint 64
        } else {
            // notepack's integer forms stop at 64 bits (beyond, it writes wrapped garbage): keep the value.
            out.packDouble(d);
        }
    }

    private void writeBigInteger(BigInteger big) throws IOException {
        if (big.bitLength() <= 63 || (big.signum() > 0 && big.bitLength() == 64)) {
            out.packBigInteger(big);
        } else {
            out.packDouble(big.doubleValue());
        }
    }

    private void writeByteBuffer(ByteBuffer buffer) throws IOException {
        ByteBuffer view = buffer.duplicate(); // the caller's position stays where it was
        out.packBinaryHeader(view.remaining());
        if (view.hasArray()) {
            out.writePayload(view.array(), view.arrayOffset() + view.position(), view.remaining());
        } else {
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            out.writePayload(bytes);
        }
    }

    // notepack 2.2's Date: fixext 8, type 0, the milliseconds since the epoch as a big-endian int64.
    private void writeDate(long millis) throws IOException {
        out.packExtensionTypeHeader(EXT_TYPE_NOTEPACK, 8);
        for (int i = 7; i >= 0; i--) {
            scratch[i] = (byte) millis;
            millis >>= 8;
        }
        out.writePayload(scratch);
    }
}
