package io.sockeye.tests.interop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyMount;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NettyMount} in a Netty server of the application's own: its handler serves {@code /hello}, and the
 * npm socket.io-client 4.8 talks to Sockeye on the same port (polling, WebSocket, upgrade), in
 * {@code src/test/node/mount/mount.test.mjs}.
 */
class NettyMountTest {

    @BeforeAll
    static void installClient() {
        NodeRunner.ensureInstalled(NodeInteropTest.PROJECT);
    }

    @Test
    void servesTheApplicationsOwnPathsAndSocketIoOnOnePort() throws Exception {
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        io.of("/").on("connection", socket -> socket.on("echo", (args, ack) -> ack.send(args.toArray())));
        NettyMount sockeye = NettyMount.of(io);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec());
                            sockeye.addTo(ch.pipeline());
                            ch.pipeline().addLast(new HttpObjectAggregator(4 << 20), new Hello());
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
            String url = "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
            try (ChildProcess node = ChildProcess.command(List.of(NodeRunner.node().toString(), "--test",
                            "--test-reporter=spec", "--test-force-exit", "mount/mount.test.mjs"))
                    .directory(NodeInteropTest.PROJECT).name("node-mount")
                    .env("SOCKEYE_URL", url).env("NO_COLOR", "1").start()) {
                int exit = node.awaitExit(Duration.ofMinutes(2));
                assertThat(exit).as(() -> "node's report (" + node.logFile() + "):\n" + String.join("\n", node.lines()))
                        .isZero();
            }
        } finally {
            sockeye.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** The application's handler: everything Sockeye does not serve. */
    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            int length = req.content().readableBytes();
            String text = "hello from netty" + (length > 0 ? ", " + length + " bytes" : "");
            HttpResponseStatus status = req.uri().startsWith("/hello") ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND;
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}
