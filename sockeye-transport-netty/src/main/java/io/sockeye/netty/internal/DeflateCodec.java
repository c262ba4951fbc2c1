package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The DEFLATE side of permessage-deflate (RFC 7692 §7.2) without context takeover: every message is
 * compressed and inflated on its own, so no connection keeps zlib state. The deflater is one per thread
 * (an event loop), reset after each message; an inflater lives for the one message it inflates.
 */
public final class DeflateCodec {

    /** RFC 7692 §7.2.2: the receiver appends these four octets before inflating. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private static final FastThreadLocal<Deflater> DEFLATERS = new FastThreadLocal<>() {
        @Override
        protected Deflater initialValue() {
            return new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }

        @Override
        protected void onRemoval(Deflater deflater) {
            deflater.end();
        }
    };

    private DeflateCodec() {
    }

    /** The inflated message would be larger than the limit: RFC 6455 close code 1009. */
    public static final class TooBigException extends Exception {
        TooBigException(int limit) {
            super("inflated message larger than " + limit + " bytes", null, false, false);
        }
    }

    /**
     * {@code payload} compressed as one message (RFC 7692 §7.2.1): DEFLATE with a sync flush, whose
     * trailing {@code 00 00 ff ff} is removed.
     */
    public static byte[] deflate(byte[] payload) {
        Deflater deflater = DEFLATERS.get();
        try {
            deflater.setInput(payload);
            byte[] out = new byte[Math.max(64, payload.length / 2)];
            int n = 0;
            while (true) {
                n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
                if (n < out.length) {
                    break; // a sync flush that did not fill the buffer has written everything
                }
                out = Arrays.copyOf(out, out.length * 2);
            }
            return Arrays.copyOf(out, n - TAIL.length);
        } finally {
            deflater.reset();
        }
    }

    /**
     * Inflates one compressed message into a new heap buffer, stopping as soon as it would pass
     * {@code limit} bytes: a small frame that inflates to gigabytes (a compression bomb) costs at most
     * {@code limit} bytes of memory.
     *
     * @throws TooBigException     the message inflates to more than {@code limit} bytes
     * @throws DataFormatException the payload is not valid DEFLATE data
     */
    public static ByteBuf inflate(ByteBufAllocator alloc, ByteBuf compressed, int limit)
            throws TooBigException, DataFormatException {
        Inflater inflater = new Inflater(true);
        int initial = (int) Math.min((long) limit + 1, Math.max(256L, compressed.readableBytes() * 4L));
        ByteBuf out = alloc.heapBuffer(initial);
        boolean done = false;
        try {
            inflater.setInput(compressed.nioBuffer());
            boolean tailGiven = false;
            while (true) {
                if (!out.isWritable()) {
                    if (out.writerIndex() > limit) {
                        throw new TooBigException(limit);
                    }
                    out.ensureWritable((int) Math.min((long) limit + 1 - out.writerIndex(), out.capacity()));
                }
                int n = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes());
                out.writerIndex(out.writerIndex() + n);
                if (out.writerIndex() > limit) {
                    throw new TooBigException(limit);
                }
                if (n == 0 && out.isWritable()) {
                    if (inflater.finished()) {
                        break;
                    } else if (inflater.needsDictionary()) {
                        throw new DataFormatException("a preset dictionary is not allowed");
                    } else if (!inflater.needsInput()) {
                        throw new DataFormatException("the inflater made no progress"); // never loop on an event loop
                    } else if (tailGiven) {
                        break;
                    }
                    inflater.setInput(TAIL);
                    tailGiven = true;
                }
            }
            done = true;
            return out;
        } finally {
            inflater.end();
            if (!done) {
                out.release();
            }
        }
    }
}
