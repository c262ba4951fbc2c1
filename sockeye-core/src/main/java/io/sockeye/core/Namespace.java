package io.sockeye.core;

import io.sockeye.core.recovery.RoomHistory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A communication channel multiplexed over every connection, e.g. {@code /} or {@code /chat}.
 * Obtained from {@link SocketIoServer#of(String)}. Thread-safe.
 *
 * <p>A namespace created with {@link SocketIoServer#of(java.util.regex.Pattern)} (or a predicate) is a
 * parent: its middlewares and connection handlers are copied to every child namespace it creates,
 * and its broadcasts reach the sockets of all its children.
 */
public interface Namespace {

    /** The name, always starting with {@code /}; for a parent namespace, a description of its matcher. */
    String name();

    SocketIoServer server();

    /**
     * Registers a connection handler. {@code event} must be {@code "connection"} (or its alias
     * {@code "connect"}); the lambda's single parameter is the new socket. Use
     * {@link #on(String, EventHandler)} for events sent by other servers.
     */
    void on(String event, Consumer<Socket> handler);

    /** Same as {@code on("connection", handler)}. */
    void onConnection(Consumer<Socket> handler);

    /** Registers a handler for events that other servers of the cluster send with {@link #serverSideEmit}. */
    void on(String event, EventHandler handler);

    /**
     * Adds a middleware run for every connecting socket — except a socket restored by connection state
     * recovery when recovery skips middlewares (its default, as in socket.io).
     */
    void use(Middleware middleware);

    /**
     * Adds a middleware run for every connecting socket, including one restored by connection state
     * recovery that skips middlewares: for checks that must hold on every (re)connection, such as
     * authentication — an expired token is not revived by recovery. It runs in registration order
     * among the others; a restored socket already has its id, rooms-to-be and {@code data} when it runs.
     */
    void useAlways(Middleware middleware);

    /**
     * This server's connected sockets of this namespace: an unmodifiable, weakly consistent live view
     * (safe to iterate while sockets come and go).
     */
    Collection<? extends Socket> sockets();

    /** This server's connected socket with this id, or {@code null}. */
    Socket socket(String id);

    // --- broadcasting (see BroadcastOperator) -------------------------------------------------

    BroadcastOperator to(String... rooms);

    BroadcastOperator to(Collection<String> rooms);

    BroadcastOperator in(String... rooms);

    BroadcastOperator except(String... rooms);

    BroadcastOperator asVolatile();

    BroadcastOperator local();

    BroadcastOperator compress(boolean compress);

    BroadcastOperator timeout(Duration timeout);

    /** Sends an event to every socket of the namespace. */
    void emit(String event, Object... args);

    /** See {@link BroadcastOperator#emitWithAck}; needs a {@link #timeout(Duration)} first. */
    CompletableFuture<List<Args>> emitWithAck(String event, Object... args);

    CompletableFuture<List<RemoteSocket>> fetchSockets();

    void socketsJoin(String... rooms);

    void socketsLeave(String... rooms);

    void disconnectSockets(boolean close);

    /** Sends an event to the other servers of the cluster (never to clients). */
    void serverSideEmit(String event, Object... args);

    /**
     * Sends an event to the other servers and collects one reply each; fails with
     * {@link AckTimeoutException} (partial replies inside) when they do not all answer in time.
     */
    CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args);

    /**
     * How many servers the namespace's adapter counts in the cluster, this one included (1 on a single
     * node). With a cluster adapter, a node that stopped without saying goodbye leaves the count after
     * the adapter's heartbeat timeout. Fails for a parent of dynamic namespaces, which has no adapter.
     */
    CompletableFuture<Integer> serverCount();

    /**
     * The history of this namespace's rooms (for clients that catch up with an offset instead of
     * connection state recovery), or {@code null} when recovery is off or the adapter has no history.
     */
    RoomHistory roomHistory();
}
