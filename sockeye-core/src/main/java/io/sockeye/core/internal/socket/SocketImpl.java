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
import io.sockeye.core.Parser;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketEmitter;
import io.sockeye.core.TypedEventHandler;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.BroadcastPacket;
import io.sockeye.core.adapter.LocalSocket;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.protocol.msgpack.Undefined;
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
    static final String SLOW_CONSUMER = "slow consumer";

    // RESTORING: connection state recovery is replaying its missed packets; live ones are held.
    private enum State { CONNECTING, RESTORING, CONNECTED, DISCONNECTING, DISCONNECTED }

    private final NamespaceImpl nsp;
    private final ServerContext server;
    private final Client client;
    private final String id;
    private final Handshake handshake;
    private final SocketSession session; // connection state recovery; null when it is off
    private final HandlerDispatcher dispatcher;
    private final SocketListeners listeners;
    private SocketEmitterImpl emitter; // created on first use (immutable: a racing second one is harmless)
    private volatile List<PacketMiddleware> middlewares;
    private volatile Map<String, Object> data;
    private volatile State state = State.CONNECTING;
    private AckTable acks; // event loop only; created by the first emit with an ack
    RoomCatchUp.Queue catchUps; // event loop only; created by the first joinSince

    SocketImpl(NamespaceImpl nsp, Client client, String id, Handshake handshake, SocketSession session) {
        this.nsp = nsp;
        this.session = session;
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

    // ---- for SocketInbound and NamespaceRecovery ----------------------------------------------

    ServerContext server() { return server; }
    Client client() { return client; }
    SocketListeners listeners() { return listeners; }
    /** The packet middlewares, or null when none was added. */
    List<PacketMiddleware> packetMiddlewares() { return middlewares; }
    /** The acks awaited from the client, or null when none ever was. Event loop only. */
    AckTable awaitedAcks() { return acks; }
    /** Whether the socket is leaving (disconnecting listeners may still be running). */
    boolean disconnecting() { return state == State.DISCONNECTING; }

    // ---- identity ----------------------------------------------------------------------------

    @Override public String id() { return id; }
    @Override public NamespaceImpl namespace() { return nsp; }
    @Override public Handshake handshake() { return handshake; }
    @Override public RequestInfo request() { return client.request(); }
    @Override public String transport() { return client.transport(); }
    @Override public EventExecutor executor() { return client.loop(); }
    @Override public boolean connected() { return state == State.CONNECTED; }
    @Override public boolean recovered() { return session != null && session.restored(); }
    @Override public void whenConnectionReleased(Runnable task) { client.engine().whenReleased(task); }

    /** Connection state recovery's state of this socket, or {@code null} when recovery is off. */
    SocketSession session() {
        return session;
    }

    /** A copy of {@code data} (empty if never used), for a session record. */
    Map<String, Object> dataSnapshot() {
        Map<String, Object> d = data;
        return d == null || d.isEmpty() ? Map.of() : new LinkedHashMap<>(d);
    }

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

    /**
     * Encodes on the calling thread (keeping the event loop free), writes on the loop. With recovery on,
     * a private emit is a broadcast to the socket's own room (as socket.io does), so it takes a
     * position in the stream, carries its offset and can be replayed.
     */
    void send(String event, Object[] args, boolean isVolatile) {
        if (session != null) {
            nsp.adapter().broadcast(SocketPacket.event(nsp.name(), Emits.eventData(event, args)),
                    new BroadcastOptions(Set.of(id), Set.of(), BroadcastFlags.NONE.withVolatile(isVolatile)));
            return;
        }
        OutgoingPacket encoded = client.encode(SocketPacket.event(nsp.name(), Emits.eventData(event, args)));
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
        OutgoingPacket encoded = client.encode(SocketPacket.event(nsp.name(), ackId, data));
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

    // ---- LocalSocket: the adapter's calls, on the event loop ---------------------------------

    @Override
    public void write(BroadcastPacket packet, boolean isVolatile) {
        if (session != null) {
            if (state == State.RESTORING) {
                // Held until the replay is written (a reference to the loop's message kept meanwhile).
                if (!session.hold(packet, client.messageFor(packet), isVolatile, server.options().maxBufferedBytes())) {
                    client.closeConnection(SLOW_CONSUMER, SLOW_CONSUMER);
                }
                return;
            }
            if (session.coveredByReplay(packet.sequence())
                    || catchUps != null && catchUps.intercept(packet, isVolatile, server.options().maxBufferedBytes())) {
                return;
            }
        }
        deliver(packet, null, isVolatile);
    }

    /**
     * Writes a live packet to the client (and its outgoing listeners) if the socket is connected, as
     * {@code held} (the message a catch-up held) or, when null, the loop's message for its parser.
     */
    void deliver(BroadcastPacket packet, OutboundPacket held, boolean isVolatile) {
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
        client.write(packet, held != null ? held : client.messageFor(packet), isVolatile);
    }

    @Override
    public void expectAck(long ackId, Duration timeout, Consumer<List<Object>> ack) {
        if (state != State.CONNECTED && state != State.RESTORING) {
            return;
        }
        acks().expect(ackId, timeout, AckTable.forBroadcast(ack));
    }

    // ---- rooms -------------------------------------------------------------------------------

    @Override
    public Parser parser() {
        return client.parser();
    }

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
        if (session != null) {
            session.joining(rooms, nsp.recovery().head().sequence()); // before the join: nothing later is missed
        }
        nsp.adapter().addAll(id, Set.copyOf(rooms));
        if (state == State.DISCONNECTED) {
            nsp.adapter().delAll(id);
        } else if (session != null && state == State.CONNECTED) {
            nsp.recovery().roomsChanged(this);
        }
    }

    @Override
    public void leave(String room) {
        nsp.adapter().del(id, room);
        if (session != null) {
            session.left(room);
            if (state == State.CONNECTED) {
                nsp.recovery().roomsChanged(this);
            }
        }
    }

    @Override
    public CompletableFuture<RoomHistory.Replay> joinSince(String room, StreamPosition since) {
        return RoomCatchUp.start(this, Objects.requireNonNull(room, "room"), Objects.requireNonNull(since, "since"));
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
        if (session == null) {
            join(Set.of(id));
            client.writePacket(connectReply());
            return;
        }
        StreamPosition head = nsp.recovery().head();
        session.startAt(head); // a client that receives nothing before it drops replays from here
        session.joining(Set.of(id), head.sequence());
        nsp.adapter().addAll(id, Set.of(id));
        client.writePacket(connectReply());
        nsp.recovery().connected(this);
    }

    /** socket.io's CONNECT reply: {@code {"sid"}}, plus {@code "pid"} with recovery on. */
    private SocketPacket connectReply() {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("sid", id);
        if (session != null) {
            reply.put("pid", session.pid());
        } else if (client.parser() == Parser.MSGPACK) {
            // As a Node.js server writes it: {sid, pid: undefined}, which JSON drops and msgpack keeps.
            reply.put("pid", Undefined.INSTANCE);
        }
        return SocketPacket.connect(nsp.name(), reply);
    }

    // ---- connection state recovery, on the event loop ----------------------------------------

    /** The socket is being restored: live packets are held until {@link #restored}. */
    void restoring() {
        state = State.RESTORING;
    }

    /**
     * The restore gave up before answering: leave the namespace and drop what was held; leave the rooms
     * too unless {@code keepRooms} (the session was put back and keeps its memberships on this node).
     */
    void abandonRestore(boolean keepRooms) {
        state = State.DISCONNECTED;
        session.abandon();
        if (!keepRooms) {
            nsp.adapter().delAll(id);
        }
        nsp.remove(this);
    }

    /**
     * The missed packets are written: answer the CONNECT, then write the held packets the replay did not
     * cover; the socket is connected from then on, under its session's new incarnation.
     */
    void restored(StreamPosition through) {
        List<SocketSession.Held> live = session.replayed(through.sequence());
        session.startAt(through);
        state = State.CONNECTED;
        server.metrics().socketConnected(nsp.name());
        client.connected(this);
        client.writePacket(connectReply());
        for (SocketSession.Held held : live) {
            try {
                client.write(held.packet(), held.message(), held.isVolatile());
            } finally {
                held.message().release(); // the session took a reference of its own
            }
        }
        nsp.recovery().connected(this);
    }

    void onPacket(SocketPacket packet) {
        SocketInbound.onPacket(this, packet);
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
        dispatcher.execute(() -> {
            listeners.fireDisconnecting(reason);
            client.runOnLoop(() -> {
                state = State.DISCONNECTED;
                // The record is written while the socket is still in its rooms and findable by a restore.
                SessionRecord last = session == null ? null : nsp.recovery().leaving(this, reason);
                if (session == null || !nsp.recovery().keepsRooms(this, reason)) {
                    nsp.adapter().delAll(id);
                }
                nsp.remove(this);
                if (session != null) {
                    nsp.recovery().gone(this, last);
                }
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
