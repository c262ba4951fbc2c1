package io.sockeye.protocol.msgpack;

import io.sockeye.protocol.ProtocolException;
import org.msgpack.core.MessageFormat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads msgpack values from one message as notepack.io 2.2 does, strictly. Plain Java values come out:
 * LinkedHashMap (string keys, in wire order), ArrayList, String, Integer/Long/BigInteger, Double, Boolean,
 * {@code null}, {@code byte[]} for {@code bin} and for extension type 0 (a JavaScript ArrayBuffer), and
 * {@link Date} for notepack's date (fixext 8, type 0); its {@code undefined} (fixext 1, type 0) reads as
 * {@link #UNDEFINED}, which callers turn into {@code null} or an absent key.
 *
 * <p>Every rule broken throws {@link ProtocolException}: truncated input, a length larger than the bytes
 * left (checked before anything is allocated, so a forged header costs nothing), nesting deeper than
 * the limit, non-string map keys, the never-used byte {@code c1}, and extension types other than 0
 * (notepack writes no others). One instance per message; not thread-safe.
 */
final class ValueReader {

    /** What notepack's {@code undefined} reads as, before the caller decides what it becomes. */
    static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    private final byte[] in;
    private final int maxDepth;
    private int pos;
    private int depth;

    ValueReader(byte[] in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    boolean atEnd() {
        return pos == in.length;
    }

    int remaining() {
        return in.length - pos;
    }

    /** Reads the header of a map and returns its entry count; throws if the next value is not a map. */
    int readMapHeader() {
        int b = u8();
        MessageFormat format = MessageFormat.valueOf((byte) b);
        int n = switch (format) {
            case FIXMAP -> b & 0x0f;
            case MAP16 -> u16();
            case MAP32 -> length(u32());
            default -> throw new ProtocolException("invalid packet: not a msgpack map");
        };
        return checkCount(n, 2);
    }

    /** Reads a map key: notepack writes an object's keys, which are always strings. */
    String readKey() {
        Object key = read();
        if (key instanceof String s) {
            return s;
        }
        throw new ProtocolException("invalid packet: a msgpack map key is not a string");
    }

    /** Reads one value; containers are read whole. May return {@link #UNDEFINED}. */
    Object read() {
        int b = u8();
        MessageFormat format = MessageFormat.valueOf((byte) b);
        switch (format) {
            case POSFIXINT:
                return b;
            case NEGFIXINT:
                return (int) (byte) b;
            case FIXSTR:
                return string(b & 0x1f);
            case FIXARRAY:
                return array(b & 0x0f);
            case FIXMAP:
                return map(b & 0x0f);
            case NIL:
                return null;
            case BOOLEAN:
                return b == 0xc3;
            case UINT8:
                return u8();
            case UINT16:
                return u16();
            case UINT32:
                return narrow(u32());
            case UINT64:
                return uint64();
            case INT8:
                return (int) (byte) u8();
            case INT16:
                return (int) (short) u16();
            case INT32:
                return (int) u32();
            case INT64:
                return narrow(s64());
            case FLOAT32:
                return (double) Float.intBitsToFloat((int) u32());
            case FLOAT64:
                return Double.longBitsToDouble(s64());
            case STR8:
                return string(u8());
            case STR16:
                return string(u16());
            case STR32:
                return string(length(u32()));
            case BIN8:
                return bytes(u8());
            case BIN16:
                return bytes(u16());
            case BIN32:
                return bytes(length(u32()));
            case ARRAY16:
                return array(u16());
            case ARRAY32:
                return array(length(u32()));
            case MAP16:
                return map(u16());
            case MAP32:
                return map(length(u32()));
            case FIXEXT1:
                return fixext1();
            case FIXEXT2:
                return extension(2, false);
            case FIXEXT4:
                return extension(4, false);
            case FIXEXT8:
                return extension(8, true);
            case FIXEXT16:
                return extension(16, false);
            case EXT8:
                return extension(u8(), false);
            case EXT16:
                return extension(u16(), false);
            case EXT32:
                return extension(length(u32()), false);
            default: // NEVER_USED (c1)
                throw new ProtocolException("invalid msgpack: byte 0xc1 is never used");
        }
    }

    private List<Object> array(int n) {
        checkCount(n, 1);
        enter();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object value = read();
            list.add(value == UNDEFINED ? null : value);
        }
        depth--;
        return list;
    }

    private Map<String, Object> map(int n) {
        checkCount(n, 2);
        enter();
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            String key = readKey();
            Object value = read();
            map.put(key, value == UNDEFINED ? null : value);
        }
        depth--;
        return map;
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw new ProtocolException("invalid msgpack: nested deeper than " + maxDepth + " levels");
        }
    }

    // notepack's undefined: fixext 1 of type 0, whatever its data byte.
    private Object fixext1() {
        byte type = (byte) u8();
        need(1);
        pos++;
        if (type != 0) {
            throw unsupportedExtension(type);
        }
        return UNDEFINED;
    }

    // Type 0 is notepack's own: fixext 8 is a Date (int64 milliseconds), any other length an ArrayBuffer.
    private Object extension(int length, boolean fixext8) {
        byte type = (byte) u8();
        if (type != 0) {
            throw unsupportedExtension(type);
        }
        if (fixext8) {
            return new Date(s64());
        }
        return bytes(length);
    }

    private static ProtocolException unsupportedExtension(byte type) {
        return new ProtocolException("invalid msgpack: extension type " + type + " is not one the msgpack parser writes");
    }

    /** Each element takes at least {@code minBytes} bytes, so no count may exceed what is left. */
    private int checkCount(int n, int minBytes) {
        if ((long) n * minBytes > remaining()) {
            throw new ProtocolException("invalid msgpack: " + n + " elements announced, " + remaining() + " bytes left");
        }
        return n;
    }

    private String string(int length) {
        need(length);
        String s = new String(in, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    private byte[] bytes(int length) {
        need(length);
        byte[] out = new byte[length];
        System.arraycopy(in, pos, out, 0, length);
        pos += length;
        return out;
    }

    private Object uint64() {
        long v = s64();
        return v >= 0 ? narrow(v) : new BigInteger(Long.toUnsignedString(v));
    }

    private static Object narrow(long v) {
        // Not a ternary: Integer and Long operands would both be promoted to long.
        if (v == (int) v) {
            return (int) v;
        }
        return v;
    }

    /** A 32-bit length as an int; lengths past 2^31-1 cannot fit in one message anyway. */
    private int length(long n) {
        if (n > Integer.MAX_VALUE) {
            throw new ProtocolException("invalid msgpack: length " + n + " exceeds the message");
        }
        return (int) n;
    }

    private void need(int n) {
        if (n > remaining()) {
            throw new ProtocolException("invalid msgpack: truncated (" + n + " bytes announced, " + remaining() + " left)");
        }
    }

    private int u8() {
        need(1);
        return in[pos++] & 0xff;
    }

    private int u16() {
        need(2);
        int v = (in[pos] & 0xff) << 8 | (in[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private long u32() {
        need(4);
        long v = (in[pos] & 0xffL) << 24 | (in[pos + 1] & 0xff) << 16 | (in[pos + 2] & 0xff) << 8 | (in[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    private long s64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (in[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }
}
