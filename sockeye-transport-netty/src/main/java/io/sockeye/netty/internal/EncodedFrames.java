package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Complete WebSocket text frames (RFC 6455 header + payload), encoded once per payload and event loop.
 * A broadcast hands every recipient the same payload bytes, one recipient after the other on each
 * loop; so each loop remembers the last payload it encoded, and the next recipients get a retained
 * duplicate of that frame instead of a frame object, an encoder pass, a buffer and a copy of their own.
 *
 * <p>The frames go down the pipeline as plain {@link ByteBuf}s, which Netty's WebSocket encoder lets
 * through untouched. That is only right because Sockeye negotiates no extension (no permessage-deflate):
 * the frame on the wire is exactly this one.
 */
final class EncodedFrames {

    private static final FastThreadLocal<EncodedFrames> LAST = new FastThreadLocal<>() {
        @Override
        protected EncodedFrames initialValue() {
            return new EncodedFrames();
        }

        @Override
        protected void onRemoval(EncodedFrames value) {
            value.clear(); // the loop is going away: release the remembered frame
        }
    };

    private byte[] payload;
    private ByteBuf frame;

    private EncodedFrames() {
    }

    /** A text frame carrying {@code payload} (UTF-8), for the caller to write (and the pipeline to release). */
    static ByteBuf text(ByteBufAllocator alloc, byte[] payload) {
        EncodedFrames last = LAST.get();
        if (last.payload != payload) {
            last.clear();
            last.frame = encode(alloc, payload);
            last.payload = payload;
        }
        return last.frame.retainedDuplicate();
    }

    private void clear() {
        if (frame != null) {
            frame.release();
            frame = null;
            payload = null;
        }
    }

    static ByteBuf encode(ByteBufAllocator alloc, byte[] payload) {
        int length = payload.length;
        int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = alloc.directBuffer(header + length);
        frame.writeByte(0x81); // FIN, opcode 1 (text); a server's frames are never masked
        if (length <= 125) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        return frame.writeBytes(payload);
    }
}
