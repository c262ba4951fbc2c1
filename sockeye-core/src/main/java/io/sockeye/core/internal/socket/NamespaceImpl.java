package io.sockeye.core.internal.socket;

import io.sockeye.core.AckTimeoutException;
import io.sockeye.core.Args;
import io.sockeye.core.ConnectError;
import io.sockeye.core.EventHandler;
import io.sockeye.core.Handshake;
import io.sockeye.core.Middleware;
import io.sockeye.core.Namespace;
import io.sockeye.core.Parser;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.AdapterTimeoutException;
import io.sockeye.core.adapter.NamespaceContext;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.msgpack.Undefined;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A namespace (socket.io's {@code Namespace}): its connected sockets, middlewares, connection
 * handlers, ack id counter and adapter. Thread-safe: sockets of many event loops connect and leave at
 * once.
 */
public final class NamespaceImpl extends BroadcastingNamespace implements NamespaceContext {

    private static final Logger log = LoggerFactory.getLogger(NamespaceImpl.class);

    private final ServerContext server;
    private final String name;
    private final Map<String, SocketImpl> sockets = new ConcurrentHashMap<>();
    private final List<RegisteredMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final Map<String, List<EventHandler>> serverSideHandlers = new ConcurrentHashMap<>();
    // socket.io's nsp._ids: shared by direct emits and broadcasts, so one id is never reused on a socket
    private final AtomicLong ackIds = new AtomicLong();
    private final List<NamespaceImpl> self = List.of(this);
    private Adapter adapter;
    private NamespaceRecovery recovery; // null when connection state recovery is off
    private volatile RoomHistory roomHistory; // created on first use

    private NamespaceImpl(ServerContext server, String name) {
        this.server = server;
        this.name = name;
    }

    /** A new namespace; a child of {@code parent} starts with copies of its middlewares and handlers. */
    static NamespaceImpl create(ServerContext server, String name, ParentNamespaceImpl parent) {
        NamespaceImpl nsp = new NamespaceImpl(server, name);
        if (parent != null) {
            // socket.io's ParentNamespace.createChild: "namespace._fns = this._fns.slice(0)" and the
            // connection listeners copied, so later additions to the child stay per child.
            nsp.middlewares.addAll(parent.middlewares());
            nsp.connectionHandlers.addAll(parent.connectionHandlers());
            parent.adopt(nsp);
        }
        nsp.adapter = server.options().adapterFactory().create(nsp);
        nsp.recovery = NamespaceRecovery.create(nsp, nsp.adapter, server);
        nsp.adapter.init().whenComplete((v, e) -> {
            if (e != null) {
                log.error("adapter of namespace {} failed to start", name, e);
            }
        });
        return nsp;
    }

    // ---- NamespaceContext (the adapter's view) -----------------------------------------------

    @Override
    public String name() {
        return name;
    }

    // Both the adapter's and the user's view: connected sockets only (added after CONNECT succeeded).
    @Override
    public SocketImpl socket(String id) {
        return sockets.get(id);
    }

    @Override
    public Collection<SocketImpl> sockets() {
        return java.util.Collections.unmodifiableCollection(sockets.values());
    }

    @Override
    public SocketPacketEncoder encoder() {
        return server.encoder();
    }

    @Override
    public MsgpackPacketEncoder msgpackEncoder() {
        return server.msgpackEncoder();
    }

    @Override
    public long nextAckId() {
        return ackIds.getAndIncrement();
    }

    @Override
    public void onServerSideEmit(List<Object> packet, Consumer<Object> ackOrNull) {
        if (packet.isEmpty()) {
            return;
        }
        String event = Emits.eventName(packet.get(0));
        List<EventHandler> handlers = serverSideHandlers.get(event);
        if (handlers == null || handlers.isEmpty()) {
            return;
        }
        Args args = server.args(packet.subList(1, packet.size()));
        // socket.io carries one reply value per node
        io.sockeye.core.Ack ack = ackOrNull == null ? AckImpl.NONE
                : new AckImpl(values -> ackOrNull.accept(values == null || values.length == 0 ? null : values[0]));
        server.runHandler(() -> {
            for (EventHandler h : handlers) {
                try {
                    h.handle(args, ack);
                } catch (Exception e) {
                    log.warn("server-side handler for event '{}' of namespace {} failed", event, name, e);
                }
            }
        });
    }

    // ---- connecting (on the client's event loop) ---------------------------------------------

    /**
     * A CONNECT for this namespace arrived on {@code client}: restore the session it names when recovery
     * is on and it carries a {@code pid}, else run the middlewares and connect a new socket.
     */
    void add(Client client, Map<String, Object> auth) {
        Handshake handshake = Handshakes.create(client.request(), auth, System.currentTimeMillis());
        if (recovery != null && auth.containsKey("pid")) {
            SessionRestore.start(this, recovery, client, auth, handshake);
        } else {
            connectFresh(client, handshake);
        }
    }

    /** Connects a new socket (also the fallback of a recovery that failed: every middleware runs). */
    void connectFresh(Client client, Handshake handshake) {
        SocketImpl socket = new SocketImpl(this, client, SocketIds.next(), handshake,
                recovery == null ? null : SocketSession.fresh());
        runMiddlewares(client, socket, false, error -> finishConnect(client, socket, error));
    }

    /**
     * Runs the middlewares for {@code socket} ({@code alwaysOnly}: only those registered with
     * {@code useAlways}), then calls {@code done} on the client's event loop with null or the rejection.
     */
    void runMiddlewares(Client client, SocketImpl socket, boolean alwaysOnly, Consumer<Exception> done) {
        List<Middleware> chain = new ArrayList<>(middlewares.size());
        for (RegisteredMiddleware registered : middlewares) {
            if (registered.always() || !alwaysOnly) {
                chain.add(registered.middleware());
            }
        }
        if (chain.isEmpty()) {
            done.accept(null);
            return;
        }
        // Middlewares are user code: they run where handlers run, and may finish later on any thread.
        MiddlewareChain<Middleware> run = new MiddlewareChain<>(chain, (mw, next) -> mw.handle(socket, next),
                error -> client.runOnLoop(() -> done.accept(error)), socket.dispatcher());
        socket.dispatcher().execute(run::start);
    }

    /** The middlewares finished: answer CONNECT_ERROR, or connect the socket and run the connection handlers. */
    void finishConnect(Client client, SocketImpl socket, Exception error) {
        if (!client.connectDone(name)) {
            return; // the connection closed meanwhile
        }
        if (error != null) {
            server.metrics().connectRejected("middleware");
            client.writePacket(SocketPacket.connectError(name, connectErrorPayload(error, client.parser())));
            return;
        }
        sockets.put(socket.id(), socket);
        client.connected(socket);
        socket.onConnect();
        fireConnection(socket);
    }

    /** Adds a socket that is being restored (it receives broadcasts, held until its replay is done). */
    boolean addRestoring(SocketImpl socket) {
        return sockets.putIfAbsent(socket.id(), socket) == null;
    }

    /** Runs the connection handlers for a socket that just connected or was restored. */
    void fireConnection(SocketImpl socket) {
        socket.dispatcher().execute(() -> {
            for (Consumer<Socket> handler : connectionHandlers) {
                try {
                    handler.accept(socket);
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    log.warn("connection handler of namespace {} failed for socket {}", name, socket.id(), e);
                }
            }
        });
    }

    /**
     * socket.io: {@code socket._error({message: err.message, data: err.data})}; an absent data is
     * undefined, which JSON drops and msgpack keeps.
     */
    private static Map<String, Object> connectErrorPayload(Exception error, Parser parser) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message", error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName());
        if (error instanceof ConnectError ce && ce.data() != null) {
            payload.put("data", ce.data());
        } else if (parser == Parser.MSGPACK) {
            payload.put("data", Undefined.INSTANCE);
        }
        return payload;
    }

    void remove(SocketImpl socket) {
        sockets.remove(socket.id(), socket);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return adapter().serverCount();
    }

    public Adapter adapter() {
        return adapter;
    }

    @Override
    public RoomHistory roomHistory() {
        NamespaceRecovery r = recovery;
        if (r == null) {
            return null;
        }
        RoomHistory h = roomHistory;
        if (h == null) {
            h = new NamespaceRoomHistory(r.backend().history(), context().decoderLimits());
            roomHistory = h; // a racing second one is equivalent
        }
        return h;
    }

    /** Connection state recovery of this namespace, or {@code null} when it is off. */
    NamespaceRecovery recovery() {
        return recovery;
    }

    /** The server is closing: stop the recovery timers (the adapter closes its stores). */
    void closeRecovery() {
        if (recovery != null) {
            recovery.close();
        }
    }

    ServerContext context() {
        return server;
    }

    @Override
    public SockeyeMetrics metrics() {
        return server.metrics();
    }

    List<RegisteredMiddleware> middlewares() {
        return middlewares;
    }

    // ---- public API --------------------------------------------------------------------------

    @Override
    public SocketIoServer server() {
        return server.server();
    }

    @Override
    public void on(String event, Consumer<Socket> handler) {
        ParentNamespaceImpl.checkConnectionEvent(event);
        onConnection(handler);
    }

    @Override
    public void onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(java.util.Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public void on(String event, EventHandler handler) {
        Emits.checkEventName(event);
        serverSideHandlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>())
                .add(java.util.Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public void use(Middleware middleware) {
        middlewares.add(new RegisteredMiddleware(java.util.Objects.requireNonNull(middleware, "middleware"), false));
    }

    @Override
    public void useAlways(Middleware middleware) {
        middlewares.add(new RegisteredMiddleware(java.util.Objects.requireNonNull(middleware, "middleware"), true));
    }

    @Override
    BroadcastOperatorImpl operator() {
        return BroadcastOperatorImpl.of(server, () -> self);
    }

    @Override
    public void serverSideEmit(String event, Object... args) {
        adapter.serverSideEmit(Emits.eventData(event, args));
    }

    @Override
    public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args) {
        CompletableFuture<List<Args>> result = new CompletableFuture<>();
        adapter.serverSideEmitWithAck(Emits.eventData(event, args), null).whenComplete((replies, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof AdapterTimeoutException timeout) {
                server.complete(result, null, new AckTimeoutException(timeout.getMessage(), asArgs(timeout.partialResults())));
            } else if (cause != null) {
                server.complete(result, null, cause);
            } else {
                server.complete(result, asArgs(replies), null);
            }
        });
        return result;
    }

    // One reply per node, each a single value: wrap each as a one-argument Args.
    private List<Args> asArgs(List<?> replies) {
        List<Args> out = new ArrayList<>(replies.size());
        for (Object reply : replies) {
            out.add(server.args(java.util.Collections.singletonList(reply)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Namespace(" + name + ")";
    }
}
