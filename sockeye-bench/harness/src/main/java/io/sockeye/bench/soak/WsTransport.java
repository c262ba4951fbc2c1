package io.sockeye.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.sockeye.bench.generator.Generator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A soak client's WebSocket: {@code /socket.io/?EIO=4&transport=websocket}, with the session id when it is
 * the target of an upgrade. Each text frame is one Engine.IO packet; large events (the bulk room's) are
 * only counted, not decoded. Not reading is Netty's auto-read turned off: the socket's receive buffer
 * fills and the server's writes back up, as with a client that stopped reading.
 */
final class WsTransport extends SimpleChannelInboundHandler<WebSocketFrame> implements Transport {

    /** Frames longer than this that carry an event are counted without being decoded. */
    private static final int LARGE_FRAME = 1024;

    private final EioClient client;
    private Channel channel;
    private boolean reported;

    private WsTransport(EioClient client) {
        this.client = client;
    }

    /** Opens a WebSocket for {@code client}; {@code sid} is null for a new session, else the session to upgrade. */
    static WsTransport open(Net net, EioClient client, SourceClass source, int port, String sid) {
        URI uri = URI.create("ws://" + net.host + ":" + port + "/socket.io/?EIO=4&transport=websocket"
                + (sid == null ? "" : "&sid=" + sid));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .maxFramePayloadLength(16 << 20)
                .handleCloseFrames(true)
                .withUTF8Validator(false)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(10_000)
                .absoluteUpgradeUrl(false)
                .generateOriginHeader(false)
                .build();
        WsTransport t = new WsTransport(client);
        net.connect(source, port, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
                        new WebSocketClientProtocolHandler(config), t);
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                t.closed("connect: " + Generator.describe(f.cause()));
            }
        });
        return t;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            client.transportReady(this);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            closed("websocket handshake timeout");
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame)) {
            return;
        }
        ByteBuf c = frame.content();
        int at = c.readerIndex();
        if (c.readableBytes() > LARGE_FRAME && c.getByte(at) == '4' && c.getByte(at + 1) == '2') {
            client.onLargeEvent(c.readableBytes());
        } else {
            client.onPacket(this, c.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed("connection closed");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closed(Generator.describe(cause));
        ctx.close();
    }

    private void closed(String why) {
        if (!reported) {
            reported = true;
            client.transportClosed(this, why);
        }
    }

    @Override
    public void send(String packet) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(packet));
        }
    }

    @Override
    public void stopReading() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        if (channel != null) {
            channel.config().setAutoRead(true);
            channel.read();
        }
    }

    @Override
    public void closeGracefully() {
        if (channel == null || !channel.isActive()) {
            abort(false);
            return;
        }
        // The server answers the close frame and closes; a server that does not is closed on after 3 s.
        channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        channel.eventLoop().schedule(() -> abort(false), 3, TimeUnit.SECONDS);
    }

    @Override
    public void abort(boolean reset) {
        if (channel != null) {
            Net.close(channel, reset);
        } else {
            closed("aborted before connecting");
        }
    }

    @Override
    public String name() {
        return "websocket";
    }
}
