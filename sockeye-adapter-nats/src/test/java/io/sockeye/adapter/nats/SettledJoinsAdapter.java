package io.sockeye.adapter.nats;

import io.nats.client.Connection;
import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.protocol.socket.SocketPacket;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A dynamic-mode NATS adapter whose {@link #addAll} returns only once NATS confirmed the room
 * subscriptions it caused (a PING/PONG round trip on the node's connection). For the conformance kit
 * only.
 *
 * <p>Why: in dynamic mode a node subscribes to a room's subject when the room is created there, and
 * the subscription takes effect one round trip later. The kit joins a socket on one node and then, on
 * the same thread, broadcasts to that room from another node; without this wait the broadcast can
 * reach the NATS server before the subscription does (a documented property of dynamic mode, shared
 * with socket.io's). Blocking here is fine in a test and never done by the real adapter.
 */
final class SettledJoinsAdapter implements Adapter {

    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private final Adapter delegate;
    private final Connection connection;

    SettledJoinsAdapter(Adapter delegate, Connection connection) {
        this.delegate = delegate;
        this.connection = connection;
    }

    Adapter delegate() {
        return delegate;
    }

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        delegate.addAll(socketId, rooms);
        if (connection.getStatus() == Connection.Status.CONNECTED) {
            try {
                connection.flush(FLUSH_TIMEOUT);
            } catch (Exception e) {
                throw new AssertionError("NATS did not confirm the room subscriptions", e);
            }
        }
    }

    // ---- plain delegation ------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> init() {
        return delegate.init();
    }

    @Override
    public CompletableFuture<Void> close() {
        return delegate.close();
    }

    @Override
    public void del(String socketId, String room) {
        delegate.del(socketId, room);
    }

    @Override
    public void delAll(String socketId) {
        delegate.delAll(socketId);
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        return delegate.socketRooms(socketId);
    }

    @Override
    public Set<String> rooms() {
        return delegate.rooms();
    }

    @Override
    public Set<String> sockets(Set<String> rooms) {
        return delegate.sockets(rooms);
    }

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions opts) {
        delegate.broadcast(packet, opts);
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<List<Object>> ack) {
        delegate.broadcastWithAck(packet, opts, clientCount, ack);
    }

    @Override
    public CompletableFuture<List<List<Object>>> broadcastWithAck(SocketPacket packet, BroadcastOptions opts) {
        return delegate.broadcastWithAck(packet, opts);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        return delegate.fetchSockets(opts);
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> rooms) {
        delegate.addSockets(opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> rooms) {
        delegate.delSockets(opts, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        delegate.disconnectSockets(opts, close);
    }

    @Override
    public void serverSideEmit(List<Object> packet) {
        delegate.serverSideEmit(packet);
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmitWithAck(List<Object> packet, Duration timeout) {
        return delegate.serverSideEmitWithAck(packet, timeout);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return delegate.serverCount();
    }

    @Override
    public RecoveryBackend recovery(RecoveryContext context) {
        return delegate.recovery(context);
    }
}
