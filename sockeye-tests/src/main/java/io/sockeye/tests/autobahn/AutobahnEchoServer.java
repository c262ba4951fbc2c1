package io.sockeye.tests.autobahn;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket echo server for the Autobahn fuzzing client (RFC 6455 conformance), started by the
 * {@code autobahntestsuite-maven-plugin} during the sockeye-tests build.
 *
 * <p>The plugin calls {@link #main} with the port on a thread of the Maven JVM, connects to
 * {@code ws://<this host's address>:<port>/} once the port accepts connections, and interrupts the
 * thread when the suite is done; the server then shuts down. It listens on every local address
 * because the plugin connects to the host's address, not necessarily to 127.0.0.1.
 */
public final class AutobahnEchoServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private AutobahnEchoServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Runs until interrupted: {@code AutobahnEchoServer [port]} (default 9001). */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9001;
        AutobahnEchoServer server = start(port);
        System.out.println("Autobahn echo server listening on port " + server.port());
        try {
            server.channel.closeFuture().await();
        } catch (InterruptedException suiteDone) {
            // The plugin interrupts this thread when the suite is done and does not wait for it. A
            // graceful shutdown now would race Maven disposing of the plugin's class loader (and fail
            // loading Netty classes); the event loop threads are daemons and end with the JVM.
            Thread.currentThread().interrupt();
        }
    }

    /** Binds {@code port} (0 for any free one) on every local address. */
    public static AutobahnEchoServer start(int port) throws InterruptedException {
        // Daemon threads: the server runs inside the Maven JVM and must never keep it alive.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                new DefaultThreadFactory("autobahn-echo", true), NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new AutobahnServerInitializer())
                    .bind(port).sync().channel();
            return new AutobahnEchoServer(group, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
