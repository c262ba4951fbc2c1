package io.sockeye.netty.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.spi.transport.EngineEndpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The WebSocket path of a connection, end to end on an {@link EmbeddedChannel}: HTTP upgrade, RFC 6455
 * frame decoder, fragmentation and UTF-8 checks, then Engine.IO and Socket.IO decoding in a real server
 * (the reference handlers echo {@code message}). The input is a sequence of client frames (see
 * {@link #frames}). Contract: nothing reaches the pipeline's tail as an exception; a close frame from
 * the server carries a documented code (1000, 1002, 1007, 1009) or echoes the client's; every buffer
 * of the connection is released once it is gone. Seeds: the official suites' WebSocket cases.
 */
class WebSocketFuzzTest {

    private static final int MAX_MESSAGE = 1024;
    private static final Set<Integer> SERVER_CLOSE_CODES = Set.of(1000, 1002, 1007, 1009);
    private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};
    private static final byte[] UPGRADE = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            + "Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    // Timers far away: the embedded event loop is driven by this thread only.
    private static final SocketIoServer IO = SocketIoServer.create(ServerOptions.builder()
            .maxHttpBufferSize(MAX_MESSAGE).pingInterval(Duration.ofHours(1)).connectTimeout(Duration.ofHours(1))
            .build());

    static {
        IO.on("connection", socket -> socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray())));
    }

    /**
     * Each frame is a header byte (bits 0-3 opcode, bit 4 FIN, bits 5-6 RSV1-2, bit 7 "unmasked"), a
     * 2-byte payload length and the payload, sent masked as a client must; header {@code 0xFF} sends
     * its payload as raw bytes instead (broken framing).
     */
    @FuzzTest
    void frames(byte[] input) {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        List<EngineEndpoint> engines = List.of(IO.engine());
        channel.pipeline().addLast(new HttpServerCodec(),
                new FrontendChannelInitializer.EngineAwareAggregator(MAX_MESSAGE, engines),
                new EngineHttpHandler(engines, (ctx, req, info) -> false, null));
        Set<Integer> clientCodes = new HashSet<>();
        try {
            send(channel, alloc, UPGRADE, clientCodes);
            int at = 0;
            while (at + 3 <= input.length && channel.isOpen()) {
                int header = input[at] & 0xFF;
                int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
                byte[] payload = new byte[length];
                System.arraycopy(input, at + 3, payload, 0, length);
                at += 3 + length;
                if ((header & 0x0F) == 8 && length >= 2) {
                    clientCodes.add(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
                }
                send(channel, alloc, header == 0xFF ? payload : frame(header, payload), clientCodes);
            }
        } finally {
            channel.close();
            channel.runPendingTasks();
            checkOutbound(channel, clientCodes);
            channel.finishAndReleaseAll();
        }
        long held = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
        if (held != 0) {
            throw new AssertionError(held + " bytes of the connection's buffers were never released");
        }
    }

    private static void send(EmbeddedChannel channel, UnpooledByteBufAllocator alloc, byte[] bytes, Set<Integer> codes) {
        ByteBuf buf = alloc.heapBuffer(bytes.length).writeBytes(bytes);
        channel.writeInbound(buf); // rethrows what reached the pipeline's tail
        channel.runPendingTasks();
        checkOutbound(channel, codes);
    }

    private static byte[] frame(int header, byte[] payload) {
        boolean masked = (header & 0x80) == 0;
        int len = payload.length;
        int lengthBytes = len < 126 ? 0 : len <= 0xFFFF ? 2 : 8;
        byte[] out = new byte[2 + lengthBytes + (masked ? 4 : 0) + len];
        out[0] = (byte) (((header & 0x10) << 3) | ((header & 0x60) >> 1) | (header & 0x0F));
        out[1] = (byte) ((masked ? 0x80 : 0) | (len < 126 ? len : lengthBytes == 2 ? 126 : 127));
        int at = 2;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            out[at++] = (byte) (len >>> (8 * i));
        }
        if (masked) {
            System.arraycopy(MASK, 0, out, at, 4);
            at += 4;
        }
        for (int i = 0; i < len; i++) {
            out[at + i] = (byte) (masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return out;
    }

    // Server frames are unmasked: a close frame is 0x88, its length, then the status code.
    private static void checkOutbound(EmbeddedChannel channel, Set<Integer> clientCodes) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            try {
                if (out instanceof ByteBuf buf && buf.readableBytes() >= 4
                        && (buf.getByte(buf.readerIndex()) & 0xFF) == 0x88) {
                    int code = buf.getUnsignedShort(buf.readerIndex() + 2);
                    if (!SERVER_CLOSE_CODES.contains(code) && !clientCodes.contains(code)) {
                        throw new AssertionError("server closed with undocumented code " + code);
                    }
                }
            } finally {
                ReferenceCountUtil.release(out);
            }
        }
    }
}
