package io.sockeye.adapter.redis;

import io.sockeye.adapter.redis.internal.ClassicCodec;
import io.sockeye.adapter.redis.internal.ClassicCodec.AllRoomsQuery;
import io.sockeye.adapter.redis.internal.ClassicCodec.AllRoomsResponse;
import io.sockeye.adapter.redis.internal.ClassicCodec.Incoming;
import io.sockeye.adapter.redis.internal.ClassicCodec.LegacySocketOp;
import io.sockeye.adapter.redis.internal.ClassicCodec.Message;
import io.sockeye.adapter.redis.internal.ClassicCodec.SocketsQuery;
import io.sockeye.adapter.redis.internal.Counters;
import io.sockeye.adapter.redis.internal.Ids;
import io.sockeye.adapter.redis.internal.Outgoing;
import io.sockeye.adapter.redis.internal.Placeholder;
import io.sockeye.adapter.redis.internal.RoomHistory;
import io.sockeye.adapter.redis.internal.SharedRecovery;
import io.sockeye.adapter.redis.internal.RedisBus;
import io.sockeye.adapter.redis.internal.RedisBus.Kind;
import io.sockeye.core.adapter.AdapterTimeoutException;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.NamespaceContext;
import io.sockeye.core.adapter.PendingRequest;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.protocol.socket.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A namespace adapter byte-compatible with {@code @socket.io/redis-adapter} 8.3's classic adapter
 * ({@code createAdapter(pub, sub, {key})}, see docs/protocol-notes.md, "Cluster messages"): Node.js
 * socket.io servers using that package and Sockeye nodes can share one Redis and one key prefix.
 *
 * <p>Subscriptions (on the node's shared subscriber connection): {@code PSUBSCRIBE <key>#<nsp>#*}
 * for broadcasts, {@code SUBSCRIBE} of the request channel, the response channel and this node's
 * specific response channel. Broadcasts to one room go to that room's channel; a node drops a room
 * channel's messages unless it has the room (or a socket with that id) locally, without decoding them.
 */
public final class ClassicRedisAdapter extends RedisAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClassicRedisAdapter.class);

    private final String redisUid = Ids.uid2(6);
    private final ClassicCodec codec;
    private final ConcurrentHashMap<String, PendingRequest> allRoomsRequests = new ConcurrentHashMap<>();
    private volatile RoomHistory history; // set before init when recovery is on

    ClassicRedisAdapter(NamespaceContext namespace, RedisBus bus, Counters counters, RedisAdapterOptions options) {
        super(namespace, bus, counters, options);
        this.codec = new ClassicCodec(options.key(), namespace.name(), redisUid,
                options.publishOnSpecificResponseChannel(), options.objectMapper());
    }

    /** This node's id in the classic messages (6 characters, redis-adapter's {@code uid}). */
    public String redisUid() {
        return redisUid;
    }

    // ---- backend -----------------------------------------------------------------------------

    @Override
    protected CompletableFuture<Void> doInit() {
        RoomHistory stream = history;
        CompletableFuture<Void> head = stream == null ? CompletableFuture.completedFuture(null)
                : stream.start().exceptionally(e -> {
                    // Sessions started meanwhile do not recover; the first broadcast delivered fixes the head.
                    log.warn("namespace {}: the recovery stream's head is unknown until Redis answers: {}",
                            namespace.name(), e.toString());
                    return null;
                });
        return CompletableFuture.allOf(head,
                bus.subscribe(Kind.PATTERN, codec.broadcastPattern(), this::onBroadcast),
                bus.subscribe(Kind.CHANNEL, codec.requestChannel(), this::onRequest),
                bus.subscribe(Kind.CHANNEL, codec.responseChannel(), this::onResponse),
                bus.subscribe(Kind.CHANNEL, codec.specificResponseChannel(), this::onResponse));
    }

    @Override
    protected CompletableFuture<Void> doClose() {
        IllegalStateException closed = new IllegalStateException("adapter closed");
        allRoomsRequests.values().forEach(request -> request.fail(closed));
        return CompletableFuture.allOf(
                bus.unsubscribe(Kind.PATTERN, codec.broadcastPattern()),
                bus.unsubscribe(Kind.CHANNEL, codec.requestChannel()),
                bus.unsubscribe(Kind.CHANNEL, codec.responseChannel()),
                bus.unsubscribe(Kind.CHANNEL, codec.specificResponseChannel()));
    }

    @Override
    protected CompletableFuture<String> doPublish(ClusterMessage message) {
        RoomHistory stream = history;
        if (stream != null && message.data() instanceof Broadcast broadcast && broadcast.requestId() == null
                && sequenced(broadcast.packet())) {
            return publishPositioned(stream, message, broadcast);
        }
        return send(codec.encode(message), false);
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        sendResponse(codec.encodeResponse(requesterUid, response), false);
    }

    /** {@code PUBSUB NUMSUB <key>-request#<nsp>#}: every node, Node.js or Sockeye, subscribes to it. */
    @Override
    public CompletableFuture<Integer> serverCount() {
        return bus.subscriberCount(codec.requestChannel(), false);
    }

    // ---- connection state recovery -----------------------------------------------------------

    /**
     * History and sessions in Redis, shared by the cluster (see docs/recovery.md, "Cluster"): a script
     * positions each broadcast, keeps it in its rooms' logs and publishes it with its offset inside, and
     * every node, this one included, delivers it from its subscription in that one order. A ghost of a
     * restored session on another node is disconnected through the request channel.
     */
    @Override
    protected RecoveryBackend newRecoveryBackend(RecoveryContext context) {
        RoomHistory stream = SharedRecovery.history(bus, redisOptions.key(), namespace, context, false,
                payload -> {
                    ClusterMessage message = codec.decodeBroadcast(payload, true);
                    return message == null ? null : (Broadcast) message.data();
                });
        history = stream;
        return RecoveryBackend.shared(stream, SharedRecovery.sessions(bus, redisOptions.key(), namespace.name(),
                redisOptions.objectMapper()),
                this::disconnectRemote);
    }

    private CompletableFuture<String> publishPositioned(RoomHistory stream, ClusterMessage message, Broadcast broadcast) {
        Function<String, Outgoing> encode = placeholder -> codec.encode(new ClusterMessage(message.uid(), message.nsp(),
                new Broadcast(Placeholder.withLast(broadcast.packet(), placeholder), broadcast.opts(), null)));
        Outgoing out = encode.apply(Placeholder.TEXT);
        int at = Placeholder.locate(out.payload(), placeholder -> encode.apply(placeholder).payload());
        return stream.publish(out, Placeholder.offsets(out.payload(), at), broadcast.opts().rooms(),
                        !broadcast.opts().flags().isVolatile())
                .whenComplete((offset, error) -> {
                    if (error == null) {
                        counters.published();
                    } else {
                        counters.publishError();
                    }
                });
    }

    /** A broadcast of the shared stream: its offset is its packet's last argument, put there by Redis. */
    private void onPositioned(ClusterMessage message) {
        if (message == null) {
            return;
        }
        Broadcast broadcast = (Broadcast) message.data();
        String sender = redisUid.equals(message.uid()) ? uid() : message.uid();
        SocketPacket packet = broadcast.packet();
        List<Object> args = packet.args();
        if (EMITTER_UID.equals(sender) || !sequenced(packet) || args.isEmpty()
                || !(args.get(args.size() - 1) instanceof String offset) || OffsetFormat.STANDARD.parse(offset) == null) {
            // Not positioned by the script: an emitter's or a Node.js server's broadcast, published straight to the
            // channel (its last argument is its own). Every node delivers it live; it is not kept for recovery.
            onMessage(new ClusterMessage(sender, message.nsp(), broadcast), null);
            return;
        }
        SocketPacket without = new SocketPacket(packet.type(), packet.nsp(), packet.id(), args.subList(0, args.size() - 1));
        onMessage(new ClusterMessage(sender, message.nsp(), new Broadcast(without, broadcast.opts(), null)), offset);
    }

    private static boolean sequenced(SocketPacket packet) {
        return packet.type().isEvent() && !packet.hasId();
    }

    // ---- allRooms ----------------------------------------------------------------------------

    /**
     * The names of the rooms that have a member on any node (redis-adapter's {@code allRooms()}).
     * Socket ids are rooms too. Waits for every node up to {@code requestsTimeout}; then fails with
     * {@link AdapterTimeoutException} whose partial results are the room names received.
     */
    public CompletableFuture<Set<String>> allRooms() {
        List<String> local = List.copyOf(rooms());
        return serverCount().thenCompose(count -> {
            String requestId = Ids.uid2(6);
            PendingRequest request = PendingRequest.byCount(requestId, count - 1, local);
            if (request.completeIfNothingAwaited()) {
                return request.future();
            }
            allRoomsRequests.put(requestId, request);
            request.future().whenComplete((r, e) -> {
                allRoomsRequests.remove(requestId);
                if (e instanceof AdapterTimeoutException) {
                    // The core's requests are counted by ClusterAdapter; this one is the classic format's own.
                    namespace.metrics().clusterRequestTimedOut("ALL_ROOMS");
                }
            });
            request.setTimer(redisOptions.scheduler().schedule(request::onTimeout,
                    redisOptions.requestsTimeout().toNanos(), TimeUnit.NANOSECONDS));
            send(codec.allRoomsRequest(requestId), false).whenComplete((v, e) -> {
                if (e != null) {
                    request.fail(e);
                }
            });
            return request.future();
        }).thenApply(names -> {
            Set<String> rooms = new LinkedHashSet<>();
            names.forEach(name -> rooms.add((String) name));
            return rooms;
        });
    }

    // ---- receiving ---------------------------------------------------------------------------

    private void onBroadcast(String channel, byte[] payload) {
        String room = codec.roomOf(channel);
        // redis-adapter: "ignore unknown room" — only nodes with the room decode its messages.
        if (room == null || (!room.isEmpty() && !hasLocalRoom(room))) {
            return;
        }
        try {
            if (history != null) {
                onPositioned(codec.decodeBroadcast(payload, true));
                return;
            }
            ClusterMessage message = codec.decodeBroadcast(payload);
            if (message != null) {
                onMessage(message);
            }
        } catch (RuntimeException e) {
            dropped(channel, e);
        }
    }

    private boolean hasLocalRoom(String room) {
        // A socket id is an implicit room even when the socket left it (BroadcastOptions rule 3).
        return rooms().contains(room) || namespace.socket(room) != null;
    }

    private void onRequest(String channel, byte[] payload) {
        Incoming incoming;
        try {
            incoming = codec.decodeRequest(payload);
        } catch (RuntimeException e) {
            dropped(channel, e);
            return;
        }
        if (incoming instanceof Message message) {
            onMessage(message.message());
        } else if (incoming instanceof SocketsQuery query) {
            sendResponse(codec.socketsResponse(query.uid(), query.requestId(), sockets(query.rooms())), false);
        } else if (incoming instanceof AllRoomsQuery query) {
            sendResponse(codec.allRoomsResponse(query.uid(), query.requestId(), List.copyOf(rooms())), false);
        } else if (incoming instanceof LegacySocketOp op) {
            onLegacySocketOp(op);
        }
    }

    /** Pre-v7 single-socket requests (still sent by old emitters): act if the socket is here, then confirm. */
    private void onLegacySocketOp(LegacySocketOp op) {
        if (namespace.socket(op.sid()) == null) {
            return;
        }
        BroadcastOptions thatSocket = new BroadcastOptions(Set.of(op.sid()), Set.of(),
                BroadcastFlags.NONE.withLocal(true));
        switch (op.type()) {
            case 2 -> addSockets(thatSocket, op.room() == null ? Set.of() : Set.of(op.room()));
            case 3 -> delSockets(thatSocket, op.room() == null ? Set.of() : Set.of(op.room()));
            default -> disconnectSockets(thatSocket, op.close());
        }
        if (op.requestId() != null) {
            sendResponse(codec.legacyResponse(op.uid(), op.requestId()), false);
        }
    }

    private void onResponse(String channel, byte[] payload) {
        Incoming incoming;
        try {
            incoming = codec.decodeResponse(payload);
        } catch (RuntimeException e) {
            dropped(channel, e);
            return;
        }
        if (incoming instanceof Message message) {
            onMessage(message.message());
        } else if (incoming instanceof AllRoomsResponse response) {
            PendingRequest request = allRoomsRequests.get(response.requestId());
            if (request != null) {
                request.onResponse(response.sender(), response.rooms());
            }
        }
    }
}
