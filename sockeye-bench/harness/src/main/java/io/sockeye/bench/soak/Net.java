package io.sockeye.bench.soak;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;

/**
 * The soak clients' network: one event loop for every client socket and every churn decision (so client
 * state needs no locks), source addresses by {@link SourceClass}, and a group of every open channel so
 * that leaving can wait until all of them are closed.
 */
final class Net implements AutoCloseable {

    final String host;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Map<SourceClass, long[]> nextAddress = new EnumMap<>(SourceClass.class);
    final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    Net(String host) {
        this.host = host;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        for (SourceClass c : SourceClass.values()) {
            nextAddress.put(c, new long[1]);
        }
    }

    EventLoop loop() {
        return group.next();
    }

    /** Connects a socket from the next address of {@code source} to {@code port}; the handler gets its events. */
    ChannelFuture connect(SourceClass source, int port, ChannelHandler handler) {
        long n = nextAddress.get(source)[0]++;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(handler);
        ChannelFuture f = b.connect(new InetSocketAddress(host, port), source.address(n));
        open.add(f.channel());
        return f;
    }

    /** Closes a channel; with {@code reset}, abortively (SO_LINGER 0: the peer gets a TCP RST, not a FIN). */
    static void close(Channel ch, boolean reset) {
        if (ch == null) {
            return;
        }
        if (reset && ch.isOpen()) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // not supported by this transport: a plain close then
            }
        }
        ch.close();
    }

    @Override
    public void close() {
        open.close().awaitUninterruptibly(10_000);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
}
