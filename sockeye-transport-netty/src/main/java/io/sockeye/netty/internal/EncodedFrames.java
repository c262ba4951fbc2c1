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

/**
 * RFC 6455 framing for the server side, as plain bytes. A message becomes one complete frame
 * (header + payload) in one direct buffer, {@link #encode(ByteBufAllocator, byte[])} for text and
 * {@link #encodeBinary(ByteBufAllocator, byte[])} for binary; the WebSocket transport prepares it once per
 * shared packet and writes retained duplicates of it (the packet owns it, see
 * {@code io.sockeye.core.spi.transport.OutboundPacket}). Every other frame (close, pong) passes one
 * shared stateless encoder, {@link #encode(ByteBufAllocator, WebSocketFrame)}.
 * The frame on the wire is exactly this one: the only extension Sockeye negotiates, permessage-deflate,
 * is applied before framing ({@link #encodeCompressed}), never by a handler after this.
 */
public final class EncodedFrames {

    private EncodedFrames() {
    }

    /** A complete text frame carrying {@code payload} (UTF-8), in a new direct buffer of exactly its size. */
    public static ByteBuf encode(ByteBufAllocator alloc, byte[] payload) {
        return frame(alloc, 0x81, payload); // FIN, opcode 1 (text)
    }

    /** A complete binary frame carrying {@code payload}, in a new direct buffer of exactly its size. */
    public static ByteBuf encodeBinary(ByteBufAllocator alloc, byte[] payload) {
        return frame(alloc, 0x82, payload); // FIN, opcode 2 (binary)
    }

    /**
     * A complete compressed message frame (RFC 7692 §6: RSV1 set on its only frame) carrying
     * {@code compressed}, the output of {@link DeflateCodec#deflate}.
     */
    public static ByteBuf encodeCompressed(ByteBufAllocator alloc, boolean text, byte[] compressed) {
        return frame(alloc, text ? 0xC1 : 0xC2, compressed); // FIN, RSV1, opcode 1 or 2
    }

    private static ByteBuf frame(ByteBufAllocator alloc, int first, byte[] payload) {
        ByteBuf frame = alloc.directBuffer(headerLength(payload.length) + payload.length);
        writeHeader(frame, first, payload.length);
        return frame.writeBytes(payload);
    }

    /** Below this, a frame's payload is copied next to its header; above, the two go out as one composite. */
    private static final int COPY_THRESHOLD = 1024;

    /**
     * Any frame the server sends (text, binary, close, pong...) as wire bytes; releases {@code frame}.
     * This is the whole of RFC 6455 framing for a server without extensions.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, WebSocketFrame frame) {
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
