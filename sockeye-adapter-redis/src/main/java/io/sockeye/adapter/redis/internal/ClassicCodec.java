package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.cluster.codec.ClusterCodecException;
import io.sockeye.cluster.codec.Json;
import io.sockeye.cluster.codec.MsgPack;
import io.sockeye.cluster.codec.WireShapes;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.BroadcastClientCount;
import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmit;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmitResponse;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.core.adapter.ClusterPayload.SocketsLeave;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wire format of {@code @socket.io/redis-adapter} 8.3's classic adapter for one namespace (see
 * docs/protocol-notes.md, "Cluster messages"), mapped to and from the core's {@link ClusterMessage}s,
 * on the value conventions and object shapes of the shared cluster codec:
 * <ul>
 *   <li>broadcasts: msgpack {@code [uid, {type, data, nsp}, {rooms, except, flags}]} on
 *       {@code <key>#<nsp>#}, or {@code <key>#<nsp>#<room>#} when exactly one room is targeted;</li>
 *   <li>requests (JSON, except broadcast-with-ack: msgpack) on {@code <key>-request#<nsp>#}, types 0–7;</li>
 *   <li>responses on {@code <key>-response#<nsp>#} (or {@code …#<uid>#}): JSON without a type for
 *       fetchSockets/allRooms, typed JSON for 6 and 8, msgpack for 9.</li>
 * </ul>
 * Classic responses carry no sender id, so each decoded response gets a fresh synthetic one: the core
 * counts responses per distinct sender.
 */
public final class ClassicCodec {

    // socket.io redis-adapter RequestType
    static final int SOCKETS = 0;
    static final int ALL_ROOMS = 1;
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;
    static final int REMOTE_FETCH = 5;
    static final int SERVER_SIDE_EMIT = 6;
    static final int BROADCAST = 7;
    static final int BROADCAST_CLIENT_COUNT = 8;
    static final int BROADCAST_ACK = 9;

    /** What a received request or response asks of the adapter. */
    public sealed interface Incoming {
    }

    /** A message the core handles. */
    public record Message(ClusterMessage message) implements Incoming {
    }

    /** Type 0 (legacy {@code allSockets}): answer with the ids of the local sockets in {@code rooms}. */
    public record SocketsQuery(String uid, String requestId, Set<String> rooms) implements Incoming {
    }

    /** Type 1: answer with the local room names. */
    public record AllRoomsQuery(String uid, String requestId) implements Incoming {
    }

    /** Types 2–4 in their pre-v7 form: one socket id, one room; answered with {@code {requestId}}. */
    public record LegacySocketOp(String uid, String requestId, int type, String sid, String room, boolean close)
            implements Incoming {
    }

    /** A node's answer to our allRooms request. */
    public record AllRoomsResponse(String sender, String requestId, List<String> rooms) implements Incoming {
    }

    private final String nsp;
    private final String wireUid;
    private final String broadcastChannel;
    private final String requestChannel;
    private final String responseChannel;
    private final boolean publishOnSpecificResponseChannel;
    private final ObjectMapper mapper;
    private final AtomicLong responses = new AtomicLong();

    public ClassicCodec(String key, String nsp, String wireUid, boolean publishOnSpecificResponseChannel,
                        ObjectMapper mapper) {
        this.nsp = nsp;
        this.wireUid = wireUid;
        this.broadcastChannel = key + "#" + nsp + "#";
        this.requestChannel = key + "-request#" + nsp + "#";
        this.responseChannel = key + "-response#" + nsp + "#";
        this.publishOnSpecificResponseChannel = publishOnSpecificResponseChannel;
        this.mapper = mapper;
    }

    // ---- channels ----------------------------------------------------------------------------

    /** Every node {@code PSUBSCRIBE}s this pattern: all broadcasts of the namespace. */
    public String broadcastPattern() {
        return broadcastChannel + "*";
    }

    public String requestChannel() {
        return requestChannel;
    }

    public String responseChannel() {
        return responseChannel;
    }

    public String specificResponseChannel() {
        return responseChannel + wireUid + "#";
    }

    /**
     * The room a broadcast channel is dedicated to, "" for the namespace-wide channel, or null when
     * the channel is not a broadcast channel of this namespace.
     */
    public String roomOf(String channel) {
        if (!channel.startsWith(broadcastChannel)) {
            return null;
        }
        return channel.length() > broadcastChannel.length()
                ? channel.substring(broadcastChannel.length(), channel.length() - 1) : "";
    }

    // ---- encoding ----------------------------------------------------------------------------

    /** What to publish for a message of this node, or null when the classic format has no such message. */
    public Outgoing encode(ClusterMessage message) {
        ClusterPayload data = message.data();
        switch (message.type()) {
            case BROADCAST -> {
                Broadcast broadcast = (Broadcast) data;
                if (broadcast.requestId() == null) {
                    BroadcastOptions opts = broadcast.opts();
                    String channel = opts.rooms().size() == 1
                            ? broadcastChannel + opts.rooms().iterator().next() + "#" : broadcastChannel;
                    List<Object> array = List.of(wireUid, WireShapes.packet(broadcast.packet(), nsp),
                            WireShapes.opts(opts, true));
                    return new Outgoing(channel, MsgPack.encode(array, mapper));
                }
                Map<String, Object> request = request(broadcast.requestId(), BROADCAST);
                request.put("packet", WireShapes.packet(broadcast.packet(), nsp));
                request.put("opts", WireShapes.opts(broadcast.opts(), true));
                return new Outgoing(requestChannel, MsgPack.encode(request, mapper));
            }
            case SOCKETS_JOIN -> {
                SocketsJoin join = (SocketsJoin) data;
                return roomRequest(REMOTE_JOIN, join.opts(), join.rooms());
            }
            case SOCKETS_LEAVE -> {
                SocketsLeave leave = (SocketsLeave) data;
                return roomRequest(REMOTE_LEAVE, leave.opts(), leave.rooms());
            }
            case DISCONNECT_SOCKETS -> {
                DisconnectSockets disconnect = (DisconnectSockets) data;
                Map<String, Object> request = request(null, REMOTE_DISCONNECT);
                request.put("opts", WireShapes.opts(disconnect.opts(), false));
                request.put("close", disconnect.close());
                return json(requestChannel, request);
            }
            case FETCH_SOCKETS -> {
                FetchSockets fetch = (FetchSockets) data;
                Map<String, Object> request = request(fetch.requestId(), REMOTE_FETCH);
                request.put("opts", WireShapes.opts(fetch.opts(), false));
                return json(requestChannel, request);
            }
            case SERVER_SIDE_EMIT -> {
                ServerSideEmit emit = (ServerSideEmit) data;
                Map<String, Object> request = request(emit.requestId(), SERVER_SIDE_EMIT);
                request.put("data", emit.packet());
                return json(requestChannel, request);
            }
            default -> {
                return null; // heartbeats and ADAPTER_CLOSE do not exist here; responses go through encodeResponse
            }
        }
    }

    /** A response to node {@code requesterUid}'s request. */
    public Outgoing encodeResponse(String requesterUid, ClusterMessage response) {
        ClusterPayload data = response.data();
        Map<String, Object> body = new LinkedHashMap<>(4);
        switch (response.type()) {
            case FETCH_SOCKETS_RESPONSE -> {
                FetchSocketsResponse fetched = (FetchSocketsResponse) data;
                body.put("requestId", fetched.requestId());
                body.put("sockets", WireShapes.sockets(fetched.sockets()));
                return json(responseChannelFor(requesterUid), body);
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                ServerSideEmitResponse reply = (ServerSideEmitResponse) data;
                body.put("type", SERVER_SIDE_EMIT);
                body.put("requestId", reply.requestId());
                body.put("data", reply.packet());
                // redis-adapter 8.3 always answers serverSideEmit on the shared response channel.
                return json(responseChannel, body);
            }
            case BROADCAST_CLIENT_COUNT -> {
                BroadcastClientCount count = (BroadcastClientCount) data;
                body.put("type", BROADCAST_CLIENT_COUNT);
                body.put("requestId", count.requestId());
                body.put("clientCount", count.clientCount());
                return json(responseChannelFor(requesterUid), body);
            }
            case BROADCAST_ACK -> {
                BroadcastAck ack = (BroadcastAck) data;
                body.put("type", BROADCAST_ACK);
                body.put("requestId", ack.requestId());
                body.put("packet", ack.packet());
                return new Outgoing(responseChannelFor(requesterUid), MsgPack.encode(body, mapper));
            }
            default -> {
                return null;
            }
        }
    }

    /** {@code adapter.allRooms()}'s request (type 1). */
    public Outgoing allRoomsRequest(String requestId) {
        return json(requestChannel, request(requestId, ALL_ROOMS));
    }

    /** The answer to a type 0 request: local socket ids. */
    public Outgoing socketsResponse(String requesterUid, String requestId, Collection<String> ids) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("requestId", requestId);
        body.put("sockets", new ArrayList<>(ids));
        return json(responseChannelFor(requesterUid), body);
    }

    /** The answer to a type 1 request: local room names. */
    public Outgoing allRoomsResponse(String requesterUid, String requestId, Collection<String> rooms) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        body.put("requestId", requestId);
        body.put("rooms", new ArrayList<>(rooms));
        return json(responseChannelFor(requesterUid), body);
    }

    /** The bare acknowledgement of a legacy single-socket join/leave/disconnect. */
    public Outgoing legacyResponse(String requesterUid, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>(2);
        body.put("requestId", requestId);
        return json(responseChannelFor(requesterUid), body);
    }

    private String responseChannelFor(String requesterUid) {
        return publishOnSpecificResponseChannel && requesterUid != null
                ? responseChannel + requesterUid + "#" : responseChannel;
    }

    /** A request map starting the way redis-adapter starts them: {@code uid, [requestId,] type}. */
    private Map<String, Object> request(String requestId, int type) {
        Map<String, Object> request = new LinkedHashMap<>(8);
        request.put("uid", wireUid);
        if (requestId != null) {
            request.put("requestId", requestId);
        }
        request.put("type", type);
        return request;
    }

    private Outgoing roomRequest(int type, BroadcastOptions opts, Set<String> rooms) {
        Map<String, Object> request = request(null, type);
        request.put("opts", WireShapes.opts(opts, false));
        request.put("rooms", new ArrayList<>(rooms));
        return json(requestChannel, request);
    }

    private Outgoing json(String channel, Map<String, Object> body) {
        return new Outgoing(channel, Json.encode(body, mapper));
    }

    // ---- decoding ----------------------------------------------------------------------------

    /**
     * A message received on a broadcast channel, or null when it is this node's own or another
     * namespace's.
     *
     * @throws ClusterCodecException on malformed input
     */
    public ClusterMessage decodeBroadcast(byte[] payload) {
        return decodeBroadcast(payload, false);
    }

    /**
     * A message received on a broadcast channel (this node's own too with {@code own}, which a shared
     * recovery stream delivers from the bus like everyone else's), or null when it is another
     * namespace's.
     *
     * @throws ClusterCodecException on malformed input
     */
    public ClusterMessage decodeBroadcast(byte[] payload, boolean own) {
        List<Object> array = WireShapes.list(MsgPack.decode(payload), "broadcast");
        if (array.size() < 3) {
            throw new ClusterCodecException("broadcast is not [uid, packet, opts]");
        }
        String uid = array.get(0) instanceof String s ? s : null;
        if (!own && wireUid.equals(uid)) {
            return null;
        }
        String packetNsp = WireShapes.packetNsp(array.get(1));
        if (!nsp.equals(packetNsp)) {
            return null;
        }
        Broadcast broadcast = new Broadcast(WireShapes.packet(array.get(1), nsp), WireShapes.opts(array.get(2)), null);
        return new ClusterMessage(uid, nsp, broadcast);
    }

    /**
     * A request received on the request channel, or null when it is this node's own or unknown.
     *
     * @throws ClusterCodecException on malformed input
     */
    public Incoming decodeRequest(byte[] payload) {
        Map<String, Object> request = WireShapes.map(WireShapes.read(payload), "request");
        String uid = WireShapes.string(request, "uid");
        if (wireUid.equals(uid) || !(request.get("type") instanceof Number type)) {
            return null;
        }
        String requestId = WireShapes.string(request, "requestId");
        Object opts = request.get("opts");
        return switch (type.intValue()) {
            case SOCKETS -> new SocketsQuery(uid, requestId, WireShapes.strings(request.get("rooms"), "rooms"));
            case ALL_ROOMS -> new AllRoomsQuery(uid, requestId);
            case REMOTE_JOIN, REMOTE_LEAVE -> {
                if (opts == null) {
                    yield legacy(uid, requestId, type.intValue(), request);
                }
                Set<String> rooms = WireShapes.strings(request.get("rooms"), "rooms");
                BroadcastOptions target = WireShapes.opts(opts);
                yield message(uid, type.intValue() == REMOTE_JOIN
                        ? new SocketsJoin(target, rooms) : new SocketsLeave(target, rooms));
            }
            case REMOTE_DISCONNECT -> opts == null ? legacy(uid, requestId, REMOTE_DISCONNECT, request)
                    : message(uid, new DisconnectSockets(WireShapes.opts(opts),
                            Boolean.TRUE.equals(request.get("close"))));
            case REMOTE_FETCH -> message(uid, new FetchSockets(requestId, WireShapes.opts(opts)));
            case SERVER_SIDE_EMIT -> message(uid, new ServerSideEmit(requestId,
                    WireShapes.list(request.get("data"), "serverSideEmit data")));
            case BROADCAST -> message(uid, new Broadcast(WireShapes.packet(request.get("packet"), nsp),
                    WireShapes.opts(opts), requestId));
            default -> null;
        };
    }

    /**
     * A response received on a response channel, or null when it is of no kind we wait for.
     *
     * @throws ClusterCodecException on malformed input
     */
    public Incoming decodeResponse(byte[] payload) {
        Map<String, Object> response = WireShapes.map(WireShapes.read(payload), "response");
        String requestId = WireShapes.string(response, "requestId");
        if (requestId == null) {
            return null;
        }
        String sender = "response-" + responses.incrementAndGet();
        if (response.get("type") instanceof Number type) {
            return switch (type.intValue()) {
                case SERVER_SIDE_EMIT -> message(sender, new ServerSideEmitResponse(requestId, response.get("data")));
                case BROADCAST_CLIENT_COUNT -> response.get("clientCount") instanceof Number count
                        ? message(sender, new BroadcastClientCount(requestId, count.intValue())) : null;
                case BROADCAST_ACK -> message(sender, new BroadcastAck(requestId, response.get("packet")));
                default -> null;
            };
        }
        if (response.get("sockets") instanceof List<?> sockets) {
            // Type 0 answers hold ids, type 5 answers hold objects; we only ever ask type 5.
            boolean details = sockets.stream().allMatch(s -> s instanceof Map);
            return details ? message(sender, new FetchSocketsResponse(requestId, WireShapes.sockets(sockets))) : null;
        }
        if (response.get("rooms") instanceof List<?> rooms) {
            return new AllRoomsResponse(sender, requestId, new ArrayList<>(WireShapes.strings(rooms, "rooms")));
        }
        return null;
    }

    private Message message(String uid, ClusterPayload payload) {
        return new Message(new ClusterMessage(uid, nsp, payload));
    }

    private static LegacySocketOp legacy(String uid, String requestId, int type, Map<String, Object> request) {
        String sid = WireShapes.string(request, "sid");
        if (sid == null) {
            throw new ClusterCodecException("request type " + type + " has neither opts nor sid");
        }
        return new LegacySocketOp(uid, requestId, type, sid, WireShapes.string(request, "room"),
                Boolean.TRUE.equals(request.get("close")));
    }

}
