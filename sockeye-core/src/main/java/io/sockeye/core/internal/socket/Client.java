package io.sockeye.core.internal.socket;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.DisconnectReason;
import io.sockeye.core.Parser;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.adapter.BroadcastPacket;
import io.sockeye.core.engine.EngineListener;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;
import io.sockeye.protocol.socket.SocketPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Socket.IO side of one Engine.IO connection (socket.io's {@code Client}): decodes packets,
 * enforces the connection rules, multiplexes namespaces, and writes encoded packets to the session.
 * All state is touched only on the session's event loop.
 */
final class Client implements EngineListener, InboundPackets.Sink {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private final ServerContext server;
    private final EngineSocket engine;
    private final InboundPackets inbound;
    private final SockeyeMetrics metrics;
    // By namespace name. Immutable, replaced on (rare) connect and leave: Map.of holds the usual one
    // namespace in one small object, where a HashMap would take a table and a node.
    private Map<String, SocketImpl> sockets = Map.of();
    private Set<String> connecting; // namespaces whose middlewares are running
    private EngineTimer.Cancellable connectTimer;
    private boolean closed;

    Client(ServerContext server, EngineSocket engine) {
        this.server = server;
        this.engine = engine;
        this.metrics = server.metrics();
        this.inbound = new InboundPackets(server, engine, this);
    }

    void start() {
        engine.setListener(this);
        // "connectTimeout closes a connection that joins no namespace"
        connectTimer = engine.schedule(this::onConnectTimeout, server.options().connectTimeout().toMillis());
    }

    EngineSocket engine() {
        return engine;
    }

    EventExecutor loop() {
        return engine.executor();
    }

    RequestInfo request() {
        return engine.request();
    }

    String transport() {
        return engine.transportName();
    }

    /** Runs {@code task} on this connection's event loop (inline when already there). */
    boolean runOnLoop(Runnable task) {
        EventExecutor loop = engine.executor();
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            log.debug("event loop is shutting down; task for session dropped", e);
            return false;
        }
    }

    // ---- writing (event loop only) -----------------------------------------------------------

    /** The packet format of this connection: decided by its first packet under parser auto, JSON until then. */
    Parser parser() {
        return inbound.parser();
    }

    /** Encodes a packet for this connection's parser, on the calling thread (keeping the event loop free). */
    OutgoingPacket encode(SocketPacket packet) {
        return encode(packet, MsgpackPacketEncoder.Origin.SOCKET);
    }

    private OutgoingPacket encode(SocketPacket packet, MsgpackPacketEncoder.Origin origin) {
        if (parser() == Parser.MSGPACK) {
            return OutgoingPacket.msgpack(packet.type(), server.msgpackEncoder().encode(packet, origin));
        }
        EncodedPacket json = server.encoder().encode(packet);
        return OutgoingPacket.json(SocketPacketType.fromCode(json.text().charAt(0)), json);
    }

    /**
     * Writes one encoded packet of this connection. Volatile packets are dropped while the session is
     * above its high-water mark ("slow consumers: volatile packets are dropped").
     */
    void write(OutgoingPacket packet, boolean isVolatile) {
        if (admit(isVolatile)) {
            if (metrics.enabled()) {
                metrics.packetSent(packet.type(), packet.bytes());
            }
            packet.sendTo(engine);
        }
    }

    /** The loop's message of a broadcast for this connection's parser. */
    OutboundPacket messageFor(BroadcastPacket packet) {
        return parser() == Parser.MSGPACK ? packet.msgpackMessage() : packet.message();
    }

    /**
     * Writes a broadcast's packet: the session queues the loop's shared message for this connection's
     * parser, whose wire frames are prepared once for every recipient on this loop. Same volatile rule.
     */
    void write(BroadcastPacket packet, boolean isVolatile) {
        write(packet, messageFor(packet), isVolatile);
    }

    /** {@link #write(BroadcastPacket, boolean)} with the message a restoring socket held ({@link #messageFor}). */
    void write(BroadcastPacket packet, OutboundPacket message, boolean isVolatile) {
        if (!admit(isVolatile)) {
            return;
        }
        if (message.isBinary()) {
            if (metrics.enabled()) {
                metrics.packetSent(packet.packet().type(), message.binary().length);
            }
            engine.send(message, List.of());
        } else {
            EncodedPacket json = packet.encoded();
            if (metrics.enabled()) {
                metrics.packetSent(SocketPacketType.fromCode(json.text().charAt(0)), OutgoingPacket.bytes(json));
            }
            engine.send(message, json.attachments());
        }
    }

    /**
     * A packet replayed from the recovery history, which keeps the JSON encoding: as is for a JSON
     * connection; for a msgpack one decoded back (with its attachments) and encoded as msgpack.
     */
    OutgoingPacket replayed(EncodedPacket json) {
        if (parser() != Parser.MSGPACK) {
            return OutgoingPacket.json(SocketPacketType.fromCode(json.text().charAt(0)), json);
        }
        SocketPacketDecoder decoder = new SocketPacketDecoder(server.decoderLimits());
        SocketPacket packet = decoder.decodeText(json.text());
        for (byte[] attachment : json.attachments()) {
            packet = decoder.decodeBinary(attachment);
        }
        return encode(packet, MsgpackPacketEncoder.Origin.BROADCAST);
    }

    // Whether a packet goes out: not on a closed connection, and not when it is volatile and the
    // session is over its high-water mark.
    private boolean admit(boolean isVolatile) {
        if (closed || !engine.isOpen()) {
            return false;
        }
        if (isVolatile && !engine.isWritable()) {
            log.trace("volatile packet dropped: session not writable");
            metrics.volatileDropped();
            return false;
        }
        return true;
    }

    void writePacket(SocketPacket packet) {
        write(encode(packet), false);
    }

    // ---- EngineListener ----------------------------------------------------------------------

    @Override
    public void onMessage(String text) {
        if (!closed) {
            inbound.onText(text);
        }
    }

    @Override
    public void onBinary(byte[] data) {
        if (!closed) {
            inbound.onBinary(data);
        }
    }

    @Override
    public void onParseError(String detail) {
        log.debug("invalid packet on session {}: {}", engine.id(), detail);
        closeConnection(DisconnectReason.PARSE_ERROR, DisconnectReason.PARSE_ERROR);
    }

    @Override
    public void onRefused(String reason) {
        closeConnection(DisconnectReason.TRANSPORT_ERROR, DisconnectReason.TRANSPORT_ERROR);
    }

    @Override
    public void onClose(String reason) {
        if (!closed) {
            closed = true;
            disconnectSockets(reason);
        }
        cleanup();
    }

    // ---- the connection rules (docs/protocol-notes.md; socket.io's client.ts ondecoded) -------------------

    @Override
    public void onPacket(SocketPacket packet, long bytes) {
        metrics.packetReceived(packet.type(), bytes);
        String nsp = packet.nsp();
        if (nsp.length() > Namespaces.MAX_NAME_LENGTH) {
            // Checked before any lookup: no namespace has such a name, and none is looked for.
            if (packet.type() == SocketPacketType.CONNECT) {
                rejectNamespace(Namespaces.truncated(nsp));
            } else {
                invalidState(packet);
            }
            return;
        }
        SocketImpl socket = sockets.get(nsp);
        boolean pending = connecting != null && connecting.contains(nsp);
        if (packet.type() == SocketPacketType.CONNECT) {
            // "a CONNECT for an already joined one closes the whole connection"
            if (socket != null || pending) {
                invalidState(packet);
            } else {
                connect(nsp, packet.data());
            }
        } else if (socket != null && packet.type() != SocketPacketType.CONNECT_ERROR) {
            socket.onPacket(packet);
        } else {
            // "first packet must be a CONNECT; a non-CONNECT for an unjoined namespace closes"
            invalidState(packet);
        }
    }

    private void invalidState(SocketPacket packet) {
        log.debug("invalid state on session {}: {} packet for namespace {}", engine.id(), packet.type(),
                Namespaces.truncated(packet.nsp()));
        closeConnection(DisconnectReason.FORCED_SERVER_CLOSE, DisconnectReason.FORCED_SERVER_CLOSE);
    }

    @SuppressWarnings("unchecked")
    private void connect(String name, Object payload) {
        Map<String, Object> auth = payload instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        NamespaceImpl nsp = server.namespaces().resolve(name, auth);
        if (nsp == null) {
            rejectNamespace(name);
            return;
        }
        if (connecting == null) {
            connecting = new HashSet<>(2);
        }
        connecting.add(name);
        nsp.add(this, auth);
    }

    // "Unknown namespace → 44/<nsp>,{"message":"Invalid namespace"}"
    private void rejectNamespace(String name) {
        metrics.connectRejected("invalid_namespace");
        // Sent by the connection, before any socket exists (socket.io's Client#_packet).
        write(encode(SocketPacket.connectError(name, Map.of("message", "Invalid namespace")),
                MsgpackPacketEncoder.Origin.CONNECTION), false);
    }

    /** Whether the connection is still open. */
    boolean open() {
        return !closed && engine.isOpen();
    }

    /**
     * Closes the connection if no socket uses it and none is connecting (a connection whose only socket
     * was taken over by connection state recovery is a dead one the client already left).
     */
    void closeIfIdle() {
        if (!closed && sockets.isEmpty() && connecting == null) {
            closeConnection(DisconnectReason.FORCED_CLOSE, DisconnectReason.FORCED_CLOSE);
        }
    }

    /** The middlewares of {@code nsp} finished; false when the connection closed meanwhile. */
    boolean connectDone(String nsp) {
        if (connecting != null && connecting.remove(nsp) && connecting.isEmpty()) {
            connecting = null; // an idle connection keeps no empty set
        }
        return !closed && engine.isOpen();
    }

    void connected(SocketImpl socket) {
        Map<String, SocketImpl> more = new HashMap<>(sockets);
        more.put(socket.namespace().name(), socket);
        sockets = Map.copyOf(more);
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
    }

    /** The socket left its namespace; the connection stays open ("leaving all namespaces does not close it"). */
    void forget(SocketImpl socket) {
        if (sockets.get(socket.namespace().name()) == socket) {
            Map<String, SocketImpl> fewer = new HashMap<>(sockets);
            fewer.remove(socket.namespace().name());
            sockets = Map.copyOf(fewer);
        }
    }

    private void onConnectTimeout() {
        connectTimer = null;
        if (!closed && sockets.isEmpty()) {
            log.debug("session {} joined no namespace within connectTimeout; closing", engine.id());
            closeConnection(DisconnectReason.FORCED_CLOSE, DisconnectReason.FORCED_CLOSE);
        }
    }

    // ---- closing -----------------------------------------------------------------------------

    /** {@code socket.disconnect(true)}: every socket leaves with a DISCONNECT packet, then the connection closes. */
    void disconnectAll() {
        if (closed) {
            return;
        }
        for (SocketImpl socket : sockets.values()) { // an immutable snapshot
            socket.disconnectNow();
        }
        closeConnection(DisconnectReason.FORCED_SERVER_CLOSE, DisconnectReason.FORCED_SERVER_CLOSE);
    }

    /** The server is closing: sockets go with {@code server shutting down}, then the session. */
    void shutdown() {
        closeConnection(DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.FORCED_CLOSE);
    }

    /** Closes the connection without DISCONNECT packets: sockets leave with {@code socketReason}. */
    void closeConnection(String socketReason, String engineReason) {
        if (closed) {
            return;
        }
        closed = true;
        disconnectSockets(socketReason);
        cleanup();
        engine.close(engineReason);
    }

    private void disconnectSockets(String reason) {
        List<SocketImpl> all = new ArrayList<>(sockets.values());
        sockets = Map.of();
        for (SocketImpl socket : all) {
            socket.onClose(reason);
        }
    }

    private void cleanup() {
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
        inbound.close();
        server.removeClient(this);
    }
}
