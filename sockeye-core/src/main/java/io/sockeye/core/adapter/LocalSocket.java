package io.sockeye.core.adapter;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.Parser;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A connected socket of this node, as an {@link Adapter} sees it. Implemented by the Socket.IO layer.
 *
 * <p>Obligations of the implementation:
 * <ol>
 *   <li><b>Threading.</b> The adapter calls the {@code write} methods, {@link #expectAck}, {@link #join},
 *       {@link #leave} and {@link #disconnect} only on {@link #executor()} (it groups the recipients
 *       of a broadcast per event loop and runs one task per loop). {@link #id()},
 *       {@link #executor()}, {@link #parser()}, {@link #handshake()} and {@link #data()} may be called
 *       from any thread.</li>
 *   <li><b>Non-blocking.</b> No method blocks.</li>
 *   <li><b>Disconnected sockets.</b> Calls on a socket that has meanwhile disconnected are ignored,
 *       never thrown.</li>
 * </ol>
 */
public interface LocalSocket {

    /** The Socket.IO socket id (also the name of the socket's own room). */
    String id();

    /** The event loop the socket's connection is pinned to. */
    EventExecutor executor();

    /**
     * The handshake details, in a Jackson-serialisable form that mirrors socket.io's
     * ({@code headers, time, address, xdomain, secure, issued, url, query, auth}) so that
     * cluster backends can ship it to other nodes.
     */
    Object handshake();

    /** The application's {@code socket.data} (may be null). */
    Object data();

    /**
     * The packet format of the socket's connection, {@link Parser#JSON} or {@link Parser#MSGPACK} (never
     * {@code AUTO}: a connection's parser is settled before any of its sockets exists). A broadcast is
     * encoded once for each parser its recipients use.
     */
    default Parser parser() {
        return Parser.JSON;
    }

    /**
     * Queues a broadcast's packet. The same {@link BroadcastPacket} instance goes to every recipient of
     * the broadcast on this event loop: queue the message for the socket's parser
     * ({@link BroadcastPacket#message()} or {@link BroadcastPacket#msgpackMessage()}; the session takes a
     * reference of its own) and do not keep the packet after this returns. When {@code isVolatile} and
     * the connection is not writable, drop the packet silently.
     */
    void write(BroadcastPacket packet, boolean isVolatile);


    /**
     * Registers the callback for the client's acknowledgement of packet {@code ackId}. Called right
     * before the {@link #write} of that packet. The callback receives the acknowledgement's arguments
     * and is called at most once; the registration is dropped after {@code timeout} without a call
     * (the broadcast's caller reports the timeout).
     */
    void expectAck(long ackId, Duration timeout, Consumer<List<Object>> ack);

    /** Joins the rooms (as {@code socket.join(rooms)}, which in turn calls {@link Adapter#addAll}). */
    void join(Set<String> rooms);

    /** Leaves the room (as {@code socket.leave(room)}, which in turn calls {@link Adapter#del}). */
    void leave(String room);

    /**
     * Disconnects the socket from its namespace with reason {@code server namespace disconnect};
     * with {@code close}, closes the whole underlying connection.
     */
    void disconnect(boolean close);
}
