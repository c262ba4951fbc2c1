package io.sockeye.server.gateway.forward;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Client events into Redis Streams: {@code XADD <stream> * field value ...} to the stream of the first
 * matching pattern ({@code forward.redis.streams}), or {@code rpc_stream}; consumers read them with
 * {@code XREADGROUP}. Fields: {@code type}, {@code room} and {@code event} (or {@code method}), {@code data}
 * (JSON text), {@code id}, {@code user} (absent when anonymous), {@code client}, {@code meta} (JSON, when
 * set) and {@code ts}. {@link #send} completes with Redis's reply to {@code XADD}.
 *
 * <p>While Redis is unreachable commands are refused at once, and an {@code XADD} in flight when the
 * connection broke is not replayed after reconnecting (its publisher was already told {@code unavailable}).
 */
final class RedisStreamForwarder implements Forwarder {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RoomRoutes streams;
    private final String rpcStream;
    private final XAddArgs trim;

    private RedisStreamForwarder(RedisClient client, StatefulRedisConnection<String, String> connection,
                                 ForwardSettings.Redis settings) {
        this.client = client;
        this.connection = connection;
        this.streams = new RoomRoutes(settings.streams());
        this.rpcStream = settings.rpcStream();
        this.trim = settings.maxLen() > 0 ? XAddArgs.Builder.maxlen(settings.maxLen()).approximateTrimming() : null;
    }

    /** @throws IllegalStateException when Redis cannot be reached */
    static RedisStreamForwarder connect(ForwardSettings.Redis settings, Duration timeout) {
        RedisURI uri = RedisURI.create(settings.url().toString());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .replayFilter(command -> command.getType() == CommandType.XADD)
                .build());
        try {
            return new RedisStreamForwarder(client, client.connect(), settings);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("forward.redis.url: cannot reach Redis at " + uri.getHost() + ":"
                    + uri.getPort() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public boolean forwardsRoom(String room) {
        return streams.destination(room) != null;
    }

    @Override
    public boolean forwardsRpc() {
        return rpcStream != null;
    }

    @Override
    public CompletableFuture<Void> send(ForwardedEvent event) {
        String stream = event.room() != null ? streams.destination(event.room()) : rpcStream;
        Map<String, String> fields = new LinkedHashMap<>();
        event.fields().forEach((name, value) -> {
            if (name.equals("data") || name.equals("meta")) {
                if (value != null || name.equals("data")) {
                    fields.put(name, ForwardedEvent.jsonText(value));
                }
            } else if (value != null) {
                fields.put(name, String.valueOf(value));
            }
        });
        try {
            var reply = trim == null ? connection.async().xadd(stream, fields) : connection.async().xadd(stream, trim, fields);
            return reply.toCompletableFuture().thenApply(id -> null);
        } catch (RuntimeException e) { // rejected at once while disconnected
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean connected() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
