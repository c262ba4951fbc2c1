package io.sockeye.emitter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.nats.client.Connection;
import io.sockeye.cluster.codec.ClusterMessageCodec;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reaches the clients of a Sockeye cluster (or of socket.io servers on the same adapter) from any Java program,
 * without running a server: what {@code @socket.io/redis-emitter} is for Node.js, over the Redis adapter's
 * classic wire ({@link #redis}) or Sockeye's NATS adapter wire ({@link #nats}).
 *
 * <pre>{@code
 * SockeyeEmitter emitter = SockeyeEmitter.redis(RedisClient.create("redis://127.0.0.1:6379"));
 * emitter.to("chat:lobby").emit("notice", Map.of("text", "maintenance at 18:00"));  // clients get (data)
 * emitter.publish("chat:lobby", "message", Map.of("text", "hi"));                 // clients get (data, meta)
 * emitter.disconnectUser("mallory");
 * emitter.in("user:alice").socketsJoin("vip");
 * }</pre>
 *
 * <p>{@link #emit}/{@link #to} send plain socket.io arguments, as any socket.io emitter does. The standalone
 * server's clients expect {@code (data, meta)}: {@link #publish} sends that shape, like a client {@code publish}
 * or {@code POST /api/publish} (with {@code meta.from: null}). Delivery is at most once: the buses store
 * nothing, so nodes that are not connected at that moment never receive it. Thread-safe.
 */
public final class SockeyeEmitter implements AutoCloseable {

    /** The uid every emitter message carries, as socket.io's emitters: nodes neither answer it nor count it. */
    public static final String UID = "emitter";

    private final EmitterBus bus;
    private final EmitterOperator main;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();

    private SockeyeEmitter(EmitterBus bus) {
        this.bus = bus;
        this.main = new EmitterOperator(bus, "/");
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.idPrefix = "emitter-" + HexFormat.of().formatHex(random) + "-";
    }

    /** Over Redis with the adapter's default key {@code socket.io}; opens a connection of {@code client}'s. */
    public static SockeyeEmitter redis(RedisClient client) {
        return redis(client, "socket.io", new ObjectMapper());
    }

    /**
     * Over Redis (the classic mode of {@code @socket.io/redis-adapter}, Sockeye's {@code redis_url} default).
     *
     * @param key    the adapter's channel prefix ({@code key} option; {@code socket.io} by default)
     * @param mapper serialises records and POJOs in arguments
     */
    public static SockeyeEmitter redis(RedisClient client, String key, ObjectMapper mapper) {
        return new SockeyeEmitter(new RedisClassicBus(client, key, mapper));
    }

    /** Over NATS with the adapter's default subject prefix {@code sockeye}; the connection stays yours. */
    public static SockeyeEmitter nats(Connection connection) {
        return nats(connection, "sockeye", new ObjectMapper());
    }

    /** Over NATS, as the adapter with {@code subjectPrefix} (Sockeye's {@code nats_url} uses {@code sockeye}). */
    public static SockeyeEmitter nats(Connection connection, String subjectPrefix, ObjectMapper mapper) {
        return new SockeyeEmitter(new NatsBus(connection, subjectPrefix, new ClusterMessageCodec(mapper)));
    }

    /** Namespace {@code nsp} ({@code "/"} is the standalone server's). */
    public EmitterOperator of(String nsp) {
        return new EmitterOperator(bus, nsp);
    }

    /** Rooms of namespace {@code /}. */
    public EmitterOperator to(String... rooms) {
        return main.to(rooms);
    }

    /** Same as {@link #to}. */
    public EmitterOperator in(String... rooms) {
        return main.in(rooms);
    }

    /** Every socket of namespace {@code /} except those in {@code rooms}. */
    public EmitterOperator except(String... rooms) {
        return main.except(rooms);
    }

    /** {@code event} with {@code args} to every socket of namespace {@code /}. */
    public CompletableFuture<Void> emit(String event, Object... args) {
        return main.emit(event, args);
    }

    /**
     * A message in the standalone server's shape: subscribers of {@code room} receive {@code event} with
     * {@code (data, meta)}, {@code meta} being {@code {room, from: null, id, ts}}.
     *
     * @return completes with the message id ({@code meta.id}) once the bus took it
     */
    public CompletableFuture<String> publish(String room, String event, Object data) {
        String id = idPrefix + Long.toString(ids.incrementAndGet(), 36);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("room", room);
        meta.put("from", null);
        meta.put("id", id);
        meta.put("ts", System.currentTimeMillis());
        return main.to(room).emit(event, data, meta).thenApply(v -> id);
    }

    /** Disconnects every connection of {@code user} (the standalone server's personal room {@code user:<user>}). */
    public CompletableFuture<Void> disconnectUser(String user) {
        return main.in("user:" + user).disconnectSockets(false);
    }

    /** Closes the Redis connection this emitter opened (a NATS connection stays open: it is yours). */
    @Override
    public void close() {
        bus.close();
    }
}
