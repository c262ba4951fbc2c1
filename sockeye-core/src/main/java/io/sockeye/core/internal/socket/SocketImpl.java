package io.sockeye.core.internal.socket;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.Ack;
import io.sockeye.core.AnyEventListener;
import io.sockeye.core.Args;
import io.sockeye.core.BroadcastOperator;
import io.sockeye.core.DisconnectReason;
import io.sockeye.core.EventHandler;
import io.sockeye.core.Handshake;
import io.sockeye.core.PacketMiddleware;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketEmitter;
import io.sockeye.core.TypedEventHandler;
import io.sockeye.core.adapter.BroadcastPacket;
import io.sockeye.core.adapter.LocalSocket;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One socket (socket.io's {@code Socket}): a client's membership of one namespace. Connection state
 * (ack table, writes, state transitions) lives on the connection's event loop; user code runs
 * through the socket's {@link HandlerDispatcher}; public methods may be called from any thread.
 * Listeners live in {@link SocketListeners}, awaited acks in {@link AckTable}, per-event middlewares
 * run through {@link MiddlewareChain}.
 */
final class SocketImpl implements Socket, LocalSocket {

    private static final Logger log = LoggerFactory.getLogger(SocketImpl.class);

    private enum State { CONNECTING, CONNECTED, DISCONNECTING, DISCONNECTED }

    private final NamespaceImpl nsp;
    private final ServerContext server;
    private final Client client;
    private final String id;
    private final Handshake handshake;
    // Connection state recovery (PROTOCOL §3.1) will set a private session id here; while it is null
    // the CONNECT reply is exactly {"sid":…}.
    private final String pid = null;
    private final HandlerDispatcher dispatcher;
    private final SocketListeners listeners;
    private SocketEmitterImpl emitter; // created on first use (immutable: a racing second one is harmless)
    private volatile List<PacketMiddleware> middlewares;
    private volatile Map<String, Object> data;
    private volatile State state = State.CONNECTING;
    private AckTable acks; // event loop only; created by the first emit with an ack

    SocketImpl(NamespaceImpl nsp, Client client, String id, Handshake handshake) {
        this.nsp = nsp;
        this.server = nsp.context();
        this.client = client;
        this.id = id;
        this.handshake = handshake;
        this.dispatcher = HandlerDispatcher.create(client.loop(), server.options().handlerExecutor());
        this.listeners = new SocketListeners(id, nsp.name());
    }

    HandlerDispatcher dispatcher() {
        return dispatcher;
    }

    // ---- identity ----------------------------------------------------------------------------

    @Override public String id() { return id; }
    @Override public NamespaceImpl namespace() { return nsp; }
    @Override public Handshake handshake() { return handshake; }
    @Override public String transport() { return client.transport(); }
    @Override public EventExecutor executor() { return client.loop(); }
    @Override public boolean connected() { return state == State.CONNECTED; }
    @Override public boolean recovered() { return false; }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> d = data;
        if (d == null) {
            synchronized (this) {
                if (data == null) {
                    data = new ConcurrentHashMap<>();
                }
                d = data;
            }
        }
        return d;
    }

    // ---- emitting ----------------------------------------------------------------------------

    private SocketEmitterImpl emitter() {
        SocketEmitterImpl e = emitter;
        if (e == null) {
            e = new SocketEmitterImpl(this, null, false, true);
            emitter = e;
        }
        return e;
    }

    @Override public void emit(String event, Object... args) { emitter().emit(event, args); }
    @Override public CompletableFuture<Args> emitWithAck(String event, Object... args) { return emitter().emitWithAck(event, args); }
    @Override public SocketEmitter timeout(Duration timeout) { return emitter().timeout(timeout); }
    @Override public SocketEmitter asVolatile() { return emitter().asVolatile(); }
    @Override public SocketEmitter compress(boolean compress) { return emitter().compress(compress); }

    /** Encodes on the calling thread (keeping the event loop free), writes on the loop. */
    void send(String event, Object[] args, boolean isVolatile) {
        EncodedPacket encoded = server.encoder().encode(SocketPacket.event(nsp.name(), Emits.eventData(event, args)));
        client.runOnLoop(() -> {
            if (state == State.CONNECTED) {
                notifyOutgoing(event, args);
                client.write(encoded, isVolatile);
            }
        });
    }

    CompletableFuture<Args> sendWithAck(String event, Object[] args, boolean isVolatile, Duration timeout) {
        List<Object> data = Emits.eventData(event, args); // checks the name before an id is taken
        long ackId = nsp.nextAckId();
        EncodedPacket encoded = server.encoder().encode(SocketPacket.event(nsp.name(), ackId, data));
        CompletableFuture<Args> result = new CompletableFuture<>();
        client.runOnLoop(() -> {
            if (state != State.CONNECTED) {
                dispatcher.execute(() -> result.completeExceptionally(
                        new IllegalStateException("socket " + id + " is not connected")));
                return;
            }
            String what = "'" + event + "' from socket " + id;
            acks().expect(ackId, timeout, AckTable.completing(result, what, timeout, server, dispatcher));
            notifyOutgoing(event, args);
            client.write(encoded, isVolatile);
        });
        return result;
    }

    private AckTable acks() {
        if (acks == null) {
            acks = new AckTable(client.engine(), server.metrics());
        }
        return acks;
    }

    private void notifyOutgoing(String event, Object[] args) {
        if (listeners.hasOutgoing()) {
            Args a = server.args(args == null ? List.of() : Arrays.asList(args));
            dispatcher.execute(() -> listeners.fireOutgoing(event, a));
        }
    }

    private void sendAck(long ackId, Object[] args) {
        EncodedPacket encoded = server.encoder().encode(SocketPacket.ack(nsp.name(), ackId, Emits.ackData(args)));
        client.runOnLoop(() -> {
            if (state == State.CONNECTED) {
                client.write(encoded, false);
            }
        });
    }

    // ---- LocalSocket: the adapter's calls, on the event loop ---------------------------------

    @Override
    public void write(BroadcastPacket packet, boolean isVolatile) {
        if (state != State.CONNECTED) {
            return;
        }
        if (listeners.hasOutgoing() && packet.packet().type().isEvent()) {
            // The broadcast's own packet: its arguments as emitted (offset included), never decoded back.
            List<Object> all = packet.packet().args();
            Args a = server.args(all.subList(1, all.size()));
            String event = Emits.eventName(all.get(0));
            dispatcher.execute(() -> listeners.fireOutgoing(event, a));
        }
        client.write(packet, isVolatile);
    }

    @Override
    public void expectAck(long ackId, Duration timeout, Consumer<List<Object>> ack) {
        if (state != State.CONNECTED) {
            return;
        }
        acks().expect(ackId, timeout, AckTable.forBroadcast(ack));
    }

    // ---- rooms -------------------------------------------------------------------------------

    @Override
    public Set<String> rooms() {
        Set<String> rooms = nsp.adapter().socketRooms(id);
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }

    @Override
    public void join(String... rooms) {
        join(Arrays.asList(rooms));
    }

    @Override
    public void join(Set<String> rooms) {
        join((Collection<String>) rooms);
    }

    /**
     * Joins directly through the thread-safe adapter, so a broadcast right after {@code join} on the
     * same thread sees the membership. A join racing with the disconnect cleanup is undone here.
     */
    @Override
    public void join(Collection<String> rooms) {
        if (state == State.DISCONNECTED) {
            return;
        }
        nsp.adapter().addAll(id, Set.copyOf(rooms));
        if (state == State.DISCONNECTED) {
            nsp.adapter().delAll(id);
        }
    }

    @Override
    public void leave(String room) {
        nsp.adapter().del(id, room);
    }

    // ---- handlers ----------------------------------------------------------------------------

    @Override public void on(String event, EventHandler handler) { listeners.on(event, handler); }
    @Override public void off(String event, EventHandler handler) { listeners.off(event, handler); }
    @Override public void onAny(AnyEventListener listener) { listeners.onAny(listener); }
    @Override public void offAny(AnyEventListener listener) { listeners.offAny(listener); }
    @Override public void onAnyOutgoing(AnyEventListener listener) { listeners.onAnyOutgoing(listener); }
    @Override public void offAnyOutgoing(AnyEventListener listener) { listeners.offAnyOutgoing(listener); }
    @Override public void onError(Consumer<Exception> listener) { listeners.onError(listener); }
    @Override public void onDisconnecting(Consumer<String> listener) { listeners.onDisconnecting(listener); }
    @Override public void onDisconnect(Consumer<String> listener) { listeners.onDisconnect(listener); }

    @Override
    public <T> void on(String event, Class<T> type, TypedEventHandler<T> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        listeners.on(event, (args, ack) -> handler.handle(args.isEmpty() ? null : args.as(0, type), ack));
    }

    @Override
    public synchronized void use(PacketMiddleware middleware) {
        Objects.requireNonNull(middleware, "middleware");
        if (middlewares == null) {
            middlewares = new CopyOnWriteArrayList<>();
        }
        middlewares.add(middleware);
    }

    // ---- broadcasting from this socket -------------------------------------------------------

    // socket.io: new BroadcastOperator(adapter, rooms, new Set([this.id]), flags)
    @Override public BroadcastOperator broadcast() { return nsp.operator().except(id); }
    @Override public BroadcastOperator to(String... rooms) { return broadcast().to(rooms); }
    @Override public BroadcastOperator in(String... rooms) { return broadcast().to(rooms); }
    @Override public BroadcastOperator except(String... rooms) { return broadcast().except(rooms); }

    // ---- leaving -----------------------------------------------------------------------------

    @Override
    public void disconnect() {
        disconnect(false);
    }

    @Override
    public void disconnect(boolean close) {
        client.runOnLoop(() -> {
            if (close) {
                client.disconnectAll();
            } else {
                disconnectNow();
            }
        });
    }

    @Override
    public void closeConnection(String reason) {
        java.util.Objects.requireNonNull(reason, "reason");
        client.runOnLoop(() -> client.closeConnection(reason, DisconnectReason.FORCED_CLOSE));
    }

    /** On the loop: tells the client, then leaves with {@code server namespace disconnect}. */
    void disconnectNow() {
        if (state != State.CONNECTED) {
            return;
        }
        client.writePacket(SocketPacket.disconnect(nsp.name()));
        onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    }

    // ---- inbound, on the event loop ----------------------------------------------------------

    /** The middlewares accepted the socket: join its own room and answer the CONNECT. */
    void onConnect() {
        state = State.CONNECTED;
        server.metrics().socketConnected(nsp.name());
        join(Set.of(id));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("sid", id);
        if (pid != null) {
            reply.put("pid", pid);
        }
        client.writePacket(SocketPacket.connect(nsp.name(), reply));
    }

    void onPacket(SocketPacket packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> onEvent(packet);
            case ACK, BINARY_ACK -> onAck(packet);
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
            default -> log.debug("ignoring {} packet for socket {}", packet.type(), id);
        }
    }

    private void onEvent(SocketPacket packet) {
        List<Object> all = packet.args();
        String event = Emits.eventName(all.get(0));
        server.metrics().eventReceived(nsp.name(), event);
        Args args = server.args(all.subList(1, all.size()));
        long ackId = packet.id();
        Ack ack = packet.hasId() ? new AckImpl(values -> sendAck(ackId, values)) : AckImpl.NONE;
        dispatcher.execute(() -> dispatchEvent(event, args, ack));
    }

    // socket.io's onevent + dispatch: catch-all listeners, then the middlewares, then the handlers.
    private void dispatchEvent(String event, Args args, Ack ack) {
        listeners.fireAny(event, args);
        List<PacketMiddleware> chain = middlewares;
        if (chain == null || chain.isEmpty()) {
            deliver(event, args, ack);
            return;
        }
        new MiddlewareChain<>(List.copyOf(chain), (mw, next) -> mw.handle(event, args, next), error -> {
            if (error != null) {
                listeners.fireError(error);
            } else {
                deliver(event, args, ack);
            }
        }, dispatcher).start();
    }

    private void deliver(String event, Args args, Ack ack) {
        if (state != State.CONNECTED) {
            log.debug("ignoring event '{}' received by socket {} after disconnection", event, id);
            return;
        }
        if (!listeners.fireEvent(event, args, ack)) {
            log.trace("no handler for event '{}' of socket {}", event, id);
        }
    }

    private void onAck(SocketPacket packet) {
        if (acks == null || !acks.complete(packet.id(), packet.args())) {
            log.debug("ignoring ack {} for socket {}: not awaited", packet.id(), id);
        }
    }

    /**
     * Leaves the namespace: {@code disconnecting} listeners run first with the rooms intact, then the
     * socket leaves its rooms and the namespace, pending acks fail, and {@code disconnect} listeners run.
     */
    void onClose(String reason) {
        if (state != State.CONNECTED) {
            return;
        }
        state = State.DISCONNECTING;
        server.metrics().socketDisconnected(nsp.name(), reason);
        client.forget(this);
        // Connection state recovery will persist {sid, pid, rooms, data} here for recoverable reasons.
        dispatcher.execute(() -> {
            listeners.fireDisconnecting(reason);
            client.runOnLoop(() -> {
                state = State.DISCONNECTED;
                nsp.adapter().delAll(id);
                nsp.remove(this);
                if (acks != null) {
                    acks.disconnected(reason);
                }
                dispatcher.execute(() -> listeners.fireDisconnect(reason));
            });
        });
    }

    @Override
    public String toString() {
        return "Socket(" + id + " in " + nsp.name() + ")";
    }
}
