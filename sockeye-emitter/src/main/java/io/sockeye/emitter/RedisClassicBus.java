package io.sockeye.emitter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sockeye.cluster.codec.Json;
import io.sockeye.cluster.codec.MsgPack;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The wire of {@code @socket.io/redis-adapter}'s classic mode, as {@code @socket.io/redis-emitter} writes it
 * (see docs/clustering.md, Channels):
 * <ul>
 *   <li>a broadcast is msgpack {@code ["emitter", {type: 2, data: [event, ...args], nsp}, {rooms, flags,
 *       except}]} on {@code <key>#<nsp>#}, or on {@code <key>#<nsp>#<room>#} when it goes to exactly one
 *       room (nodes without that room drop it undecoded);</li>
 *   <li>{@code socketsJoin}, {@code socketsLeave} and {@code disconnectSockets} are JSON requests
 *       {@code {type: 2|3|4, opts: {rooms, except}, rooms | close}} on {@code <key>-request#<nsp>#}.</li>
 * </ul>
 */
final class RedisClassicBus implements EmitterBus {

    /** redis-adapter's request types. */
    private static final int REMOTE_JOIN = 2;
    private static final int REMOTE_LEAVE = 3;
    private static final int REMOTE_DISCONNECT = 4;
    /** socket.io-parser's EVENT packet type. */
    private static final int EVENT = 2;

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final String key;
    private final ObjectMapper mapper;

    RedisClassicBus(RedisClient client, String key, ObjectMapper mapper) {
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.key = key;
        this.mapper = mapper;
    }

    @Override
    public CompletableFuture<Void> broadcast(Target target, List<Object> eventAndArgs) {
        Map<String, Object> packet = new LinkedHashMap<>();
        packet.put("type", EVENT);
        packet.put("data", eventAndArgs);
        packet.put("nsp", target.nsp());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", List.copyOf(target.rooms()));
        opts.put("flags", target.isVolatile() ? Map.of("volatile", true) : Map.of());
        opts.put("except", List.copyOf(target.except()));
        String channel = key + "#" + target.nsp() + "#"
                + (target.rooms().size() == 1 ? target.rooms().iterator().next() + "#" : "");
        return publish(channel, MsgPack.encode(List.of(SockeyeEmitter.UID, packet, opts), mapper));
    }

    @Override
    public CompletableFuture<Void> socketsJoin(Target target, Set<String> rooms) {
        Map<String, Object> request = request(REMOTE_JOIN, target);
        request.put("rooms", List.copyOf(rooms));
        return publishRequest(target, request);
    }

    @Override
    public CompletableFuture<Void> socketsLeave(Target target, Set<String> rooms) {
        Map<String, Object> request = request(REMOTE_LEAVE, target);
        request.put("rooms", List.copyOf(rooms));
        return publishRequest(target, request);
    }

    @Override
    public CompletableFuture<Void> disconnectSockets(Target target, boolean close) {
        Map<String, Object> request = request(REMOTE_DISCONNECT, target);
        request.put("close", close);
        return publishRequest(target, request);
    }

    private static Map<String, Object> request(int type, Target target) {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", List.copyOf(target.rooms()));
        opts.put("except", List.copyOf(target.except()));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", type);
        request.put("opts", opts);
        return request;
    }

    private CompletableFuture<Void> publishRequest(Target target, Map<String, Object> request) {
        return publish(key + "-request#" + target.nsp() + "#", Json.encode(request, mapper));
    }

    private CompletableFuture<Void> publish(String channel, byte[] message) {
        return connection.async().publish(channel.getBytes(StandardCharsets.UTF_8), message)
                .toCompletableFuture().thenApply(receivers -> null);
    }

    @Override
    public void close() {
        connection.close();
    }
}
