package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.netty.CountingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket transport's side of the packet rules: a shared packet's frame is made once and freed with it. */
class WebSocketFrameHandlerTest {

    private static final String TEXT = "2[\"news\",\"héllo\"]";

    /** Counts the direct buffers asked for (every frame the handler makes is one). */
    private final CountingAllocator counting = new CountingAllocator(size -> true);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private WebSocketFrameHandler connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(counting);
        WebSocketFrameHandler handler = new WebSocketFrameHandler(channel, 1024);
        channel.pipeline().addLast(handler);
        channels.add(channel);
        return handler;
    }

    @Test
    void recipientsOfASharedPacketWriteOneFrameAndTheLastReleaseFreesIt() {
        List<WebSocketFrameHandler> recipients = List.of(connection(), connection(), connection());
        OutboundPacket packet = OutboundPacket.shared(TEXT, OutboundPacket.messageUtf8(TEXT));
        recipients.forEach(r -> packet.retain()); // each recipient's session queued it

        for (WebSocketFrameHandler recipient : recipients) {
            recipient.writeText(packet);
            recipient.flush();
            packet.release(); // the session's reference, released after the write
        }
        ByteBuf prepared = packet.prepared(WebSocketFrameHandler.TEXT_FRAME);
        packet.release(); // the broadcast's own reference

        assertThat(counting.count()).isEqualTo(1);
        assertThat(packet.refCnt()).isZero();
        for (EmbeddedChannel channel : channels) {
            assertThat(decode(channel.readOutbound())).isEqualTo("4" + TEXT);
        }
        assertThat(prepared.refCnt()).as("freed once every written share is").isZero();
    }

    @Test
    void aPacketWithASingleHolderIsWrittenWithoutKeepingAFrame() {
        WebSocketFrameHandler recipient = connection();
        OutboundPacket packet = OutboundPacket.message(TEXT);

        recipient.writeText(packet);
        recipient.flush();

        assertThat(packet.prepared(WebSocketFrameHandler.TEXT_FRAME)).isNull();
        packet.release();
        assertThat(decode(channels.get(0).readOutbound())).isEqualTo("4" + TEXT);
        assertThat(counting.count()).isEqualTo(1);
    }

    private static String decode(ByteBuf frame) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        try {
            client.writeInbound(frame);
            TextWebSocketFrame text = client.readInbound();
            try {
                return text.content().toString(StandardCharsets.UTF_8);
            } finally {
                text.release();
            }
        } finally {
            client.finishAndReleaseAll();
        }
    }
}
