package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The generator's side of socket.io-msgpack-parser 3.x: one msgpack map {@code {type, nsp, data, id?}} per
 * binary WebSocket message (the Engine.IO packets around it stay text). What it sends is encoded by the
 * project's own encoder; what it receives is only walked, not decoded: the receive path of a fan-out must
 * cost the generator far less than the server, so a delivery yields its type, ack id and the payload's
 * {@code t} without building a single object. See docs/protocol-notes.md, "msgpack parser".
 */
public final class MsgpackFrames {

    /** The packet's type, ack id (-1: none) and, for an event whose second element is a map, its {@code t} (-1: none). */
    public record Packet(int type, long ackId, long timestamp) {
    }

    private static final MsgpackPacketEncoder ENCODER = new MsgpackPacketEncoder(new ObjectMapper());
    private static final byte[] TYPE = ascii("type");
    private static final byte[] ID = ascii("id");
    private static final byte[] DATA = ascii("data");
    private static final byte[] T = ascii("t");

    private MsgpackFrames() {
    }

    /** A CONNECT to the main namespace without auth. */
    public static byte[] connect() {
        return ENCODER.encode(SocketPacket.connect(SocketPacket.MAIN_NAMESPACE, null));
    }

    /** An EVENT to the main namespace; {@code ackId < 0} asks for no acknowledgement. */
    public static byte[] event(long ackId, String name, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        List<Object> data = Arrays.asList(all);
        return ENCODER.encode(ackId < 0 ? SocketPacket.event(SocketPacket.MAIN_NAMESPACE, data)
                : SocketPacket.event(SocketPacket.MAIN_NAMESPACE, ackId, data));
    }

    /**
     * Walks the packet between the reader and writer index without moving them; null when it is not a
     * well-formed msgpack map with an integer {@code type}.
     */
    public static Packet read(ByteBuf frame) {
        try {
            Walker w = new Walker(frame);
            int entries = w.mapHeader();
            long type = -1;
            long ackId = -1;
            long t = -1;
            for (int i = 0; i < entries; i++) {
                int keyLength = w.stringHeader();
                if (w.keyIs(keyLength, TYPE)) {
                    type = w.number();
                } else if (w.keyIs(keyLength, ID)) {
                    ackId = w.number();
                } else if (w.keyIs(keyLength, DATA)) {
                    t = w.timestampOfData();
                } else {
                    w.skip(keyLength);
                    w.skipValue();
                }
            }
            return type < 0 ? null : new Packet((int) type, ackId, t);
        } catch (IndexOutOfBoundsException | IllegalStateException malformed) {
            return null;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A cursor over one message; throws IndexOutOfBoundsException past its end, IllegalStateException on a type it does not expect. */
    private static final class Walker {
        private final ByteBuf in;
        private final int end;
        private int pos;

        Walker(ByteBuf in) {
            this.in = in;
            this.pos = in.readerIndex();
            this.end = in.writerIndex();
        }

        private int u8() {
            if (pos >= end) {
                throw new IndexOutOfBoundsException("truncated");
            }
            return in.getByte(pos++) & 0xff;
        }

        private long be(int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        private int peek() {
            if (pos >= end) {
                throw new IndexOutOfBoundsException("truncated");
            }
            return in.getByte(pos) & 0xff;
        }

        void skip(long bytes) {
            if (bytes < 0 || bytes > end - pos) {
                throw new IndexOutOfBoundsException("truncated");
            }
            pos += (int) bytes;
        }

        int mapHeader() {
            int b = u8();
            if ((b & 0xf0) == 0x80) {
                return b & 0x0f;
            }
            return switch (b) {
                case 0xde -> (int) be(2);
                case 0xdf -> (int) be(4);
                default -> throw new IllegalStateException("not a map");
            };
        }

        private int arrayHeader() {
            int b = u8();
            if ((b & 0xf0) == 0x90) {
                return b & 0x0f;
            }
            return switch (b) {
                case 0xdc -> (int) be(2);
                case 0xdd -> (int) be(4);
                default -> throw new IllegalStateException("not an array");
            };
        }

        int stringHeader() {
            int b = u8();
            if ((b & 0xe0) == 0xa0) {
                return b & 0x1f;
            }
            return switch (b) {
                case 0xd9 -> (int) be(1);
                case 0xda -> (int) be(2);
                case 0xdb -> (int) be(4);
                default -> throw new IllegalStateException("not a string");
            };
        }

        /** Consumes the key's bytes when they are {@code name}; otherwise leaves them for {@link #skip}. */
        boolean keyIs(int length, byte[] name) {
            if (length != name.length || end - pos < length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (in.getByte(pos + i) != name[i]) {
                    return false;
                }
            }
            pos += length;
            return true;
        }

        /** An integer in any width, or a float with an integral value (how JavaScript numbers come back), as a long. */
        long number() {
            int b = u8();
            if (b <= 0x7f) {
                return b;
            }
            if (b >= 0xe0) {
                return (byte) b;
            }
            return switch (b) {
                case 0xcc -> be(1);
                case 0xcd -> be(2);
                case 0xce -> be(4);
                case 0xcf, 0xd3 -> be(8);
                case 0xd0 -> (byte) be(1);
                case 0xd1 -> (short) be(2);
                case 0xd2 -> (int) be(4);
                case 0xca -> (long) Float.intBitsToFloat((int) be(4));
                case 0xcb -> (long) Double.longBitsToDouble(be(8));
                default -> throw new IllegalStateException("not a number");
            };
        }

        /** In {@code data} = {@code [name, {…, t: <number>, …}, …]}: the map's {@code t}, or -1; the value is consumed whole. */
        long timestampOfData() {
            int b = peek();
            if ((b & 0xf0) != 0x90 && b != 0xdc && b != 0xdd) {
                skipValue();
                return -1;
            }
            int elements = arrayHeader();
            long t = -1;
            for (int i = 0; i < elements; i++) {
                int first = peek();
                boolean map = (first & 0xf0) == 0x80 || first == 0xde || first == 0xdf;
                if (i == 1 && map) {
                    int entries = mapHeader();
                    for (int e = 0; e < entries; e++) {
                        int keyLength = stringHeader();
                        if (t < 0 && keyIs(keyLength, T)) {
                            t = number();
                        } else {
                            skip(keyLength);
                            skipValue();
                        }
                    }
                } else {
                    skipValue();
                }
            }
            return t;
        }

        /** Skips one value, containers included, whatever its type. */
        void skipValue() {
            long pending = 1;
            while (pending-- > 0) {
                int b = u8();
                if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
                    continue; // fixint, nil, booleans: the byte alone
                }
                switch (b & 0xf0) {
                    case 0x80 -> {
                        pending += 2L * (b & 0x0f);
                        continue;
                    }
                    case 0x90 -> {
                        pending += b & 0x0f;
                        continue;
                    }
                    case 0xa0, 0xb0 -> {
                        skip(b & 0x1f);
                        continue;
                    }
                    default -> { }
                }
                switch (b) {
                    case 0xc4, 0xd9 -> skip(be(1));
                    case 0xc5, 0xda -> skip(be(2));
                    case 0xc6, 0xdb -> skip(be(4));
                    case 0xc7 -> skip(be(1) + 1);
                    case 0xc8 -> skip(be(2) + 1);
                    case 0xc9 -> skip(be(4) + 1);
                    case 0xca, 0xce, 0xd2 -> skip(4);
                    case 0xcb, 0xcf, 0xd3 -> skip(8);
                    case 0xcc, 0xd0 -> skip(1);
                    case 0xcd, 0xd1 -> skip(2);
                    case 0xd4 -> skip(2);
                    case 0xd5 -> skip(3);
                    case 0xd6 -> skip(5);
                    case 0xd7 -> skip(9);
                    case 0xd8 -> skip(17);
                    case 0xdc -> pending += be(2);
                    case 0xdd -> pending += be(4);
                    case 0xde -> pending += 2 * be(2);
                    case 0xdf -> pending += 2 * be(4);
                    default -> throw new IllegalStateException("never used byte");
                }
            }
        }
    }
}
