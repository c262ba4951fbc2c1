package io.sockeye.netty.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The only class that names Netty's io_uring classes: they come from an optional jar, so the JVM must not
 * load them unless io_uring was asked for ({@link TransportSelection} catches the {@link LinkageError}).
 */
final class IoUringSupport {

    private IoUringSupport() {
    }

    /** Why io_uring cannot run here, or {@code null} when it can. */
    static String unavailability() {
        return IoUring.isAvailable() ? null : TransportSelection.describe(IoUring.unavailabilityCause());
    }

    static IoHandlerFactory ioHandlerFactory() {
        return IoUringIoHandler.newFactory();
    }

    static Class<? extends ServerChannel> serverChannel() {
        return IoUringServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socketChannel() {
        return IoUringSocketChannel.class;
    }
}
