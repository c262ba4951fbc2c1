package io.sockeye.adapter.redis;

import io.sockeye.adapter.redis.internal.Counters;
import io.sockeye.adapter.redis.internal.RedisBus;
import io.sockeye.adapter.redis.internal.RedisBus.Kind;
import io.sockeye.adapter.redis.internal.ShardedCodec;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.NamespaceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A namespace adapter compatible with {@code @socket.io/redis-adapter} 8.3's sharded adapter
 * ({@code createShardedAdapter(pub, sub, {channelPrefix, subscriptionMode})}, see
 * docs/protocol-notes.md, "Cluster messages"), on Redis 7 sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}).
 *
 * <p>Subscriptions: the namespace's main channel and this node's response channel; in the dynamic
 * modes also one channel per room that has a member here (public rooms only in
 * {@link SubscriptionMode#DYNAMIC}), subscribed when the room is created and unsubscribed when it is
 * deleted, so a broadcast to one room reaches only the nodes that have members in it.
 */
public final class ShardedRedisAdapter extends RedisAdapter {

    private final ShardedCodec codec;
    private final SubscriptionMode mode;
    /** Rooms whose channel we subscribed to; guarded by itself for the create/delete race. */
    private final Set<String> roomChannels = ConcurrentHashMap.newKeySet();
    /**
     * Completes when every room (un)subscription made so far is confirmed. Not just the latest one: on a
     * Redis Cluster each room channel lives on its own shard's connection, and those answer in no
     * common order. Guarded by {@code roomChannels}; completed commands are dropped, so it only holds
     * what is still pending.
     */
    private volatile CompletableFuture<Void> pendingRoomCommands = CompletableFuture.completedFuture(null);

    ShardedRedisAdapter(NamespaceContext namespace, RedisBus bus, Counters counters, RedisAdapterOptions options,
                        ClusterMessageCodec messages) {
        super(namespace, bus, counters, options);
        this.mode = options.subscriptionMode();
        this.codec = new ShardedCodec(options.channelPrefix(), namespace.name(), mode, messages);
    }

    @Override
    protected CompletableFuture<Void> doInit() {
        List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
        subscriptions.add(bus.subscribe(Kind.SHARD_CHANNEL, codec.mainChannel(), this::onRaw));
        subscriptions.add(bus.subscribe(Kind.SHARD_CHANNEL, codec.responseChannel(uid()), this::onRaw));
        // Room channels are subscribed by the room hooks, also for rooms created before init.
        return CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new));
    }

    @Override
    protected CompletableFuture<Void> doClose() {
        List<CompletableFuture<Void>> unsubscriptions = new ArrayList<>();
        unsubscriptions.add(bus.unsubscribe(Kind.SHARD_CHANNEL, codec.mainChannel()));
        unsubscriptions.add(bus.unsubscribe(Kind.SHARD_CHANNEL, codec.responseChannel(uid())));
        synchronized (roomChannels) {
            for (String room : roomChannels) {
                unsubscriptions.add(bus.unsubscribe(Kind.SHARD_CHANNEL, codec.roomChannel(room)));
            }
            roomChannels.clear();
        }
        return CompletableFuture.allOf(unsubscriptions.toArray(CompletableFuture[]::new));
    }

    @Override
    protected CompletableFuture<String> doPublish(ClusterMessage message) {
        return send(codec.encode(message), true);
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        sendResponse(codec.encodeResponse(requesterUid, response), true);
    }

    /** {@code PUBSUB SHARDNUMSUB <prefix>#<nsp>#}. */
    @Override
    public CompletableFuture<Integer> serverCount() {
        return bus.subscriberCount(codec.mainChannel(), true);
    }

    // ---- dynamic room channels ---------------------------------------------------------------

    @Override
    protected void onRoomCreated(String room) {
        syncRoomChannel(room);
    }

    @Override
    protected void onRoomDeleted(String room) {
        syncRoomChannel(room);
    }

    /**
     * Makes the room channel's subscription match the room's current state. The hooks of one room
     * may run concurrently (created on one event loop while deleted on another), so each call looks at
     * the state now, under a lock, instead of trusting the event it was called for.
     */
    private void syncRoomChannel(String room) {
        if (mode == SubscriptionMode.STATIC) {
            return;
        }
        synchronized (roomChannels) {
            boolean wanted = !isClosed() && rooms().contains(room)
                    // socket.io: "isPublicRoom = !this.sids.has(room)"
                    && (mode == SubscriptionMode.DYNAMIC_PRIVATE || socketRooms(room) == null);
            if (wanted && roomChannels.add(room)) {
                pending(bus.subscribe(Kind.SHARD_CHANNEL, codec.roomChannel(room), this::onRaw));
            } else if (!wanted && roomChannels.remove(room)) {
                pending(bus.unsubscribe(Kind.SHARD_CHANNEL, codec.roomChannel(room)));
            }
        }
    }

    /**
     * Completes once Redis confirmed every room (un)subscription made so far. Dynamic mode has the
     * race of socket.io's: a broadcast to a room published by another node in the moment between a
     * first join here and Redis processing our {@code SSUBSCRIBE} does not reach the new member. Tests
     * that join and broadcast within microseconds wait on this.
     */
    CompletableFuture<Void> roomSubscriptionsSettled() {
        return pendingRoomCommands;
    }

    @Override
    int roomSubscriptionCount() {
        return roomChannels.size();
    }

    private void pending(CompletableFuture<Void> command) {
        CompletableFuture<Void> before = pendingRoomCommands;
        pendingRoomCommands = before.isDone() ? command : CompletableFuture.allOf(before, command);
    }

    // ---- receiving ---------------------------------------------------------------------------

    private void onRaw(String channel, byte[] payload) {
        try {
            ClusterMessage message = codec.decode(payload);
            if (message != null) {
                onMessage(message);
            }
        } catch (RuntimeException e) {
            dropped(channel, e);
        }
    }
}
