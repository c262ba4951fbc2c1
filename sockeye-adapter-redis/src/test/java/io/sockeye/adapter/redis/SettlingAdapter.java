package io.sockeye.adapter.redis;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A sharded dynamic-mode adapter as the conformance kit should see it: after a join, wait until
 * Redis confirmed the room channel subscription. The kit joins on one node and broadcasts from
 * another within microseconds, faster than the dynamic mode's subscribe-on-first-join can follow
 * (a race socket.io's sharded adapter has too, see ShardedRedisAdapter#roomSubscriptionsSettled);
 * everything else is passed through untouched.
 */
final class SettlingAdapter implements Adapter {

    private final ShardedRedisAdapter delegate;

    SettlingAdapter(ShardedRedisAdapter delegate) {
        this.delegate = delegate;
    }

    RedisAdapter delegate() {
        return delegate;
    }

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        delegate.addAll(socketId, rooms);
        try {
            delegate.roomSubscriptionsSettled().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("room subscription not confirmed", e);
        }
    }

    @Override public CompletableFuture<Void> init() { return delegate.init(); }
    @Override public CompletableFuture<Void> close() { return delegate.close(); }
    @Override public void del(String socketId, String room) { delegate.del(socketId, room); }
    @Override public void delAll(String socketId) { delegate.delAll(socketId); }
    @Override public Set<String> socketRooms(String socketId) { return delegate.socketRooms(socketId); }
    @Override public Set<String> rooms() { return delegate.rooms(); }
    @Override public Set<String> sockets(Set<String> rooms) { return delegate.sockets(rooms); }
    @Override public void broadcast(SocketPacket packet, BroadcastOptions opts) { delegate.broadcast(packet, opts); }
    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<List<Object>> ack) {
        delegate.broadcastWithAck(packet, opts, clientCount, ack);
    }
    @Override
    public CompletableFuture<List<List<Object>>> broadcastWithAck(SocketPacket packet, BroadcastOptions opts) {
        return delegate.broadcastWithAck(packet, opts);
    }
    @Override public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) { return delegate.fetchSockets(opts); }
    @Override public void addSockets(BroadcastOptions opts, Set<String> rooms) { delegate.addSockets(opts, rooms); }
    @Override public void delSockets(BroadcastOptions opts, Set<String> rooms) { delegate.delSockets(opts, rooms); }
    @Override public void disconnectSockets(BroadcastOptions opts, boolean close) { delegate.disconnectSockets(opts, close); }
    @Override public void serverSideEmit(List<Object> packet) { delegate.serverSideEmit(packet); }
    @Override
    public CompletableFuture<List<Object>> serverSideEmitWithAck(List<Object> packet, Duration timeout) {
        return delegate.serverSideEmitWithAck(packet, timeout);
    }
    @Override public CompletableFuture<Integer> serverCount() { return delegate.serverCount(); }
    @Override public RecoveryBackend recovery(RecoveryContext context) { return delegate.recovery(context); }
}
