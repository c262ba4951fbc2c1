package io.sockeye.bench.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ceiling: a plain Netty WebSocket server with the benchmark app's behaviour and no Socket.IO or
 * Engine.IO framing, no heartbeats, no JSON. Text frames at {@code /ws}:
 * <ul>
 *   <li>{@code J<room>}: join the room, answer {@code ok};</li>
 *   <li>{@code P<room>\n<payload>}: send {@code <payload>} to everyone in the room: one encoded frame for
 *       all (retained duplicates, void promises), members flushed once per read batch of the publisher;</li>
 *   <li>{@code E<payload>}: answer {@code <payload>}.</li>
 * </ul>
 * Same server settings as the Sockeye peer: epoll, backlog 4096, TCP_NODELAY, 1 MB frames, no compression.
 * Args: {@code --port P [--threads 1] [--max-lifetime-s S]}.
 */
public final class RawNettyPeer {

    private final Map<String, ChannelGroup> rooms = new ConcurrentHashMap<>();
    // Rooms written to during the current read batch of this event loop (see channelReadComplete).
    private static final io.netty.util.concurrent.FastThreadLocal<java.util.Set<ChannelGroup>> UNFLUSHED =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected java.util.Set<ChannelGroup> initialValue() {
                    return java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                }
            };
    private final AtomicInteger connections = new AtomicInteger();

    private RawNettyPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(PeerConsole.arg(args, "--port", "3000"));
        int threads = Integer.parseInt(PeerConsole.arg(args, "--threads", "1"));
        long lifetime = Long.parseLong(PeerConsole.arg(args, "--max-lifetime-s", "3600"));
        new RawNettyPeer().run(port, threads, lifetime);
    }

    private void run(int port, int threads, long lifetime) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(true)
                .maxFramePayloadLength(1_000_000)
                .allowExtensions(false)
                .build();
        RoomHandler handler = new RoomHandler();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketServerProtocolHandler(ws), handler);
                    }
                })
                .bind(new InetSocketAddress(port)).syncUninterruptibly().channel();
        PeerConsole.serve(((InetSocketAddress) server.localAddress()).getPort(), connections::get, () -> {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }, lifetime);
    }

    @ChannelHandler.Sharable
    private final class RoomHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                connections.incrementAndGet();
                ctx.channel().closeFuture().addListener(f -> connections.decrementAndGet());
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ByteBuf content = frame.content();
            if (!content.isReadable()) {
                return;
            }
            int start = content.readerIndex();
            switch (content.getByte(start)) {
                case 'J' -> {
                    String room = content.toString(start + 1, content.readableBytes() - 1, StandardCharsets.UTF_8);
                    rooms.computeIfAbsent(room, r -> new DefaultChannelGroup(r, GlobalEventExecutor.INSTANCE))
                            .add(ctx.channel());
                    ctx.writeAndFlush(new TextWebSocketFrame("ok"), ctx.voidPromise());
                }
                case 'P', 'Q' -> {
                    int newline = content.indexOf(start, content.writerIndex(), (byte) '\n');
                    if (newline < 0) {
                        return;
                    }
                    String room = content.toString(start + 1, newline - start - 1, StandardCharsets.UTF_8);
                    ChannelGroup group = rooms.get(room);
                    if (group != null) {
                        broadcast(group, content, newline + 1, content.writerIndex() - newline - 1);
                    }
                    if (content.getByte(start) == 'Q') { // a publish that asks for an ack: "A" once broadcast
                        ctx.writeAndFlush(new TextWebSocketFrame("A"), ctx.voidPromise());
                    }
                }
                case 'E' -> ctx.writeAndFlush(new TextWebSocketFrame(
                        content.retainedSlice(start + 1, content.readableBytes() - 1)), ctx.voidPromise());
                default -> { }
            }
        }

        /**
         * The frame is encoded once (RFC 6455 header + payload in one buffer) and every member gets a
         * retained duplicate of it, written past the WebSocket encoder (a ByteBuf is not a frame, so the
         * encoder lets it through); all writes first, then one flush per member: the same shape as
         * Sockeye's broadcast path, so this stays a ceiling for it.
         */
        private void broadcast(ChannelGroup group, ByteBuf content, int from, int length) {
            int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
            ByteBuf frame = content.alloc().directBuffer(header + length);
            frame.writeByte(0x81); // FIN + text
            if (length <= 125) {
                frame.writeByte(length);
            } else if (length <= 0xFFFF) {
                frame.writeByte(126).writeShort(length);
            } else {
                frame.writeByte(127).writeLong(length);
            }
            frame.writeBytes(content, from, length);
            try {
                for (Channel member : group) {
                    member.write(frame.retainedDuplicate(), member.voidPromise());
                }
            } finally {
                frame.release();
            }
            UNFLUSHED.get().add(group);
        }

        /**
         * Members are flushed once the publisher's read batch is done, not once per message: several
         * publishes read together go out in one system call per member, as Sockeye does them.
         */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            java.util.Set<ChannelGroup> groups = UNFLUSHED.get();
            if (!groups.isEmpty()) {
                for (ChannelGroup group : groups) {
                    for (Channel member : group) {
                        member.flush();
                    }
                }
                groups.clear();
            }
            ctx.fireChannelReadComplete();
        }
    }
}
