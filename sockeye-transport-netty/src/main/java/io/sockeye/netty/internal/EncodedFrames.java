package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Complete WebSocket text frames (RFC 6455 header + payload), encoded once per payload and event loop.
 * A broadcast hands every recipient the same payload bytes, one recipient after the other on each
 * loop; so each loop remembers the last payload it encoded, and the next recipients get a retained
 * duplicate of that frame instead of a frame object, an encoder pass, a buffer and a copy of their own.
 *
 * <p>These frames go down the pipeline as plain bytes; {@link #encode(ByteBufAllocator, WebSocketFrame)}
 * frames the rest (close, pong, binary) in one shared stateless encoder. That is only right because
 * Sockeye negotiates no extension (no permessage-deflate): the frame on the wire is exactly this one.
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
        ByteBuf frame = alloc.directBuffer(headerLength(payload.length) + payload.length);
        writeHeader(frame, 0x81, payload.length); // FIN, opcode 1 (text)
        return frame.writeBytes(payload);
    }

    /** Below this, a frame's payload is copied next to its header; above, the two go out as one composite. */
    private static final int COPY_THRESHOLD = 1024;

    /**
     * Any frame the server sends (text, binary, close, pong...) as wire bytes; releases {@code frame}.
     * This is the whole of RFC 6455 framing for a server without extensions.
     */
    static ByteBuf encode(ByteBufAllocator alloc, WebSocketFrame frame) {
        int opcode = frame instanceof TextWebSocketFrame ? 0x1
                : frame instanceof BinaryWebSocketFrame ? 0x2
                : frame instanceof ContinuationWebSocketFrame ? 0x0
                : frame instanceof CloseWebSocketFrame ? 0x8
                : frame instanceof PingWebSocketFrame ? 0x9
                : frame instanceof PongWebSocketFrame ? 0xA
                : -1;
        if (opcode < 0) {
            frame.release();
            throw new IllegalArgumentException("cannot encode " + frame.getClass().getName());
        }
        int first = (frame.isFinalFragment() ? 0x80 : 0) | (frame.rsv() & 0x7) << 4 | opcode;
        ByteBuf content = frame.content();
        int length = content.readableBytes();
        try {
            if (length <= COPY_THRESHOLD) {
                ByteBuf out = alloc.directBuffer(headerLength(length) + length);
                writeHeader(out, first, length);
                return out.writeBytes(content, content.readerIndex(), length);
            }
            ByteBuf header = alloc.directBuffer(headerLength(length));
            writeHeader(header, first, length);
            return alloc.compositeDirectBuffer(2).addComponents(true, header, content.retain());
        } finally {
            frame.release();
        }
    }

    private static int headerLength(int length) {
        return length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    // A server's frames are never masked (RFC 6455 §5.1).
    private static void writeHeader(ByteBuf out, int first, int length) {
        out.writeByte(first);
        if (length <= 125) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
    }
}
