package io.sockeye.core;

import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One client connected to one namespace. A single connection (Engine.IO session) carries one
 * socket per namespace it joined.
 *
 * <p>Threading: handlers run on the connection's event loop, or — when
 * {@link ServerOptions#handlerExecutor()} is set — on that executor, one at a time and in order for
 * each socket. Every method may be called from any thread; calls that touch the connection hop to
 * its event loop. Exceptions thrown by handlers are logged with the event name and socket id and do
 * not close the connection.
 */
public interface Socket extends SocketEmitter {

    /** The public socket id: 20 characters, base64url, distinct from the secret Engine.IO session id. */
    String id();

    Namespace namespace();

    Handshake handshake();

    /**
     * The HTTP request that opened the connection (socket.io's {@code socket.request}): its
     * {@link RequestInfo#remoteAddress()} is the client, as in {@link Handshake#address()}, and its
     * {@link RequestInfo#peerAddress()} the direct peer — the load balancer, behind a trusted one.
     */
    RequestInfo request();

    /** {@code "polling"} or {@code "websocket"}, as the connection is now. */
    String transport();

    /** Application data attached to this socket; thread-safe, mutable, shared with {@code fetchSockets()}. */
    Map<String, Object> data();

    /** Whether the socket is connected (false from the moment it starts disconnecting). */
    boolean connected();

    /**
     * Whether this socket was restored by connection state recovery: same id, rooms and {@code data} as
     * before its client's connection dropped, the events it missed sent before its CONNECT reply (see
     * {@link ServerOptions.Builder#connectionStateRecovery}). Already true while middlewares run.
     */
    boolean recovered();

    /**
     * Joins {@code room} and first sends this socket the room's messages after {@code since} that the
     * history holds, as they were broadcast (each with its offset), in order; live messages for the socket
     * are held meanwhile and written after the replay without those it contained, so none is lost or
     * doubled. When the history no longer reaches back to {@code since} (pruned, another epoch, ahead of
     * the stream) the socket still joins and nothing is replayed ({@code recovered == false}). Catch-ups
     * of one socket run one after the other. Needs {@link io.sockeye.core.Namespace#roomHistory()};
     * completes with {@code recovered == false} and reason {@code unavailable} without it.
     */
    CompletableFuture<RoomHistory.Replay> joinSince(
            String room, StreamPosition since);

    // --- rooms -------------------------------------------------------------------------------

    /** The rooms the socket is in, including the room named after its own id. A snapshot. */
    Set<String> rooms();

    void join(String... rooms);

    void join(Collection<String> rooms);

    void leave(String room);

    // --- handlers ----------------------------------------------------------------------------

    /** Registers a handler for an event; several handlers for one event run in registration order. */
    void on(String event, EventHandler handler);

    /** Registers a handler whose first argument is mapped to {@code type} (see {@link TypedEventHandler}). */
    <T> void on(String event, Class<T> type, TypedEventHandler<T> handler);

    /** Removes one handler, or with {@code null} every handler, of {@code event}. */
    void off(String event, EventHandler handler);

    /** Sees every incoming event before the packet middlewares and handlers. */
    void onAny(AnyEventListener listener);

    /** Removes one catch-all listener, or all of them with {@code null}. */
    void offAny(AnyEventListener listener);

    /** Sees every event sent to this socket (direct emits and broadcasts) just before it is sent. */
    void onAnyOutgoing(AnyEventListener listener);

    void offAnyOutgoing(AnyEventListener listener);

    /** Adds a middleware that runs for every incoming event. */
    void use(PacketMiddleware middleware);

    /** Receives the errors of rejected packet middlewares. */
    void onError(Consumer<Exception> listener);

    /** Called when the socket starts disconnecting, with its rooms still readable. */
    void onDisconnecting(Consumer<String> listener);

    /** Called once the socket is disconnected, with one of the {@link DisconnectReason} values. */
    void onDisconnect(Consumer<String> listener);

    // --- broadcasting from this socket (the socket itself is always excluded) -----------------

    /** Selects the sockets in {@code rooms}, except this one. */
    BroadcastOperator to(String... rooms);

    BroadcastOperator in(String... rooms);

    BroadcastOperator except(String... rooms);

    /** Every other socket of the namespace. */
    BroadcastOperator broadcast();

    // --- leaving -----------------------------------------------------------------------------

    /** Same as {@code disconnect(false)}. */
    void disconnect();

    /**
     * Disconnects this socket from its namespace ({@code server namespace disconnect}); the client
     * receives a DISCONNECT packet. With {@code close}, every socket of the connection is disconnected
     * and the connection itself is closed.
     */
    void disconnect(boolean close);

    /**
     * Closes this socket's whole connection without a DISCONNECT packet, as a server shutdown does:
     * the client sees {@code transport close} and reconnects by itself, with its own backoff (after
     * {@link #disconnect(boolean)} it would not). Every socket of the connection leaves with
     * {@code reason}, e.g. {@link DisconnectReason#SERVER_SHUTTING_DOWN} when draining a node.
     */
    void closeConnection(String reason);

    /**
     * Runs {@code task}, on any thread, once this socket's connection has closed and its network
     * connection is gone (at once if that already happened). A WebSocket's TCP socket can outlive the
     * disconnect event: a client that stopped reading keeps it until the server cuts it off. For limits
     * that count a connection until its socket is gone (a slot per client address, say).
     */
    void whenConnectionReleased(Runnable task);
}
