package io.sockeye.netty.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sockeye.netty.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which transport the front's event loops use: the one asked for when it loads, else the next one along
 * io_uring → epoll → NIO, with a note saying why ({@link Transport}).
 *
 * @param transport    the transport chosen, never {@link Transport#AUTO}
 * @param fallbackNote one log line when a transport asked for by name did not load, else {@code null}
 */
public record TransportSelection(Transport transport, String fallbackNote) {

    /** What {@link Transport#AUTO} tries, best first: io_uring joins once it measures better than epoll. */
    static final List<Transport> AUTO_ORDER = List.of(Transport.EPOLL, Transport.NIO);

    private static final List<Transport> FALLBACK_ORDER = List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);

    /** Chooses among the transports that load in this JVM. */
    public static TransportSelection select(Transport requested) {
        return select(requested, TransportSelection::unavailability);
    }

    /**
     * @param unavailability why a transport cannot run here, or {@code null} when it can
     */
    static TransportSelection select(Transport requested, Function<Transport, String> unavailability) {
        List<Transport> candidates = requested == Transport.AUTO ? AUTO_ORDER
                : FALLBACK_ORDER.subList(FALLBACK_ORDER.indexOf(requested), FALLBACK_ORDER.size());
        List<String> refused = new ArrayList<>();
        for (Transport t : candidates) {
            String why = t == Transport.NIO ? null : unavailability.apply(t);
            if (why == null) {
                String note = requested == Transport.AUTO || refused.isEmpty() ? null
                        : "transport " + requested.configName() + " is not available here (" + String.join("; ", refused)
                                + "); using " + t.configName();
                return new TransportSelection(t, note);
            }
            refused.add(t.configName() + ": " + why);
        }
        throw new IllegalStateException("no transport loads: " + refused); // unreachable: NIO always runs
    }

    /** Why {@code t} cannot run in this JVM, or {@code null} when it can. */
    static String unavailability(Transport t) {
        try {
            return switch (t) {
                case IO_URING -> IoUringSupport.unavailability();
                case EPOLL -> Epoll.isAvailable() ? null : describe(Epoll.unavailabilityCause());
                default -> null;
            };
        } catch (LinkageError e) { // the optional classes jar is not on the class path
            return "netty-transport-classes-" + t.configName() + " is not on the class path";
        }
    }

    /** The event-loop I/O of the chosen transport. */
    public IoHandlerFactory ioHandlerFactory() {
        return switch (transport) {
            case IO_URING -> IoUringSupport.ioHandlerFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    /** The listening channel type of the chosen transport. */
    public Class<? extends ServerChannel> serverChannel() {
        return switch (transport) {
            case IO_URING -> IoUringSupport.serverChannel();
            case EPOLL -> EpollServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }

    /** The outbound (client) channel type of the chosen transport. */
    public Class<? extends SocketChannel> socketChannel() {
        return switch (transport) {
            case IO_URING -> IoUringSupport.socketChannel();
            case EPOLL -> EpollSocketChannel.class;
            default -> NioSocketChannel.class;
        };
    }

    /** The innermost message of a load failure, on one line and short enough for a log line. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == null ? "unknown reason" : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
