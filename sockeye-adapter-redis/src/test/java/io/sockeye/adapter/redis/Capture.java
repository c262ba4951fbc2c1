package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * Records what is published on Redis, as a third party sees it: {@code PSUBSCRIBE} for classic
 * channels, {@code SSUBSCRIBE} for sharded ones. Its plain {@code SUBSCRIBE}s (which make it count in
 * {@code PUBSUB NUMSUB}, so that nodes publish their requests) are not recorded, to see each message once.
 */
final class Capture implements AutoCloseable {

    /** One published message. */
    record Published(String channel, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private final List<Published> messages = new CopyOnWriteArrayList<>();

    Capture(RedisClient client) {
        connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                messages.add(new Published(new String(channel, StandardCharsets.UTF_8), message));
            }

            @Override
            public void smessage(byte[] channel, byte[] message) {
                messages.add(new Published(new String(channel, StandardCharsets.UTF_8), message));
            }
        });
    }

    Capture psubscribe(String pattern) {
        connection.sync().psubscribe(bytes(pattern));
        return this;
    }

    /** Subscribes without recording: to be counted as a subscriber of {@code channel}. */
    Capture subscribe(String channel) {
        connection.sync().subscribe(bytes(channel));
        return this;
    }

    Capture ssubscribe(String... channels) {
        for (String channel : channels) {
            connection.sync().ssubscribe(bytes(channel));
        }
        return this;
    }

    List<Published> messages() {
        return List.copyOf(messages);
    }

    void clear() {
        messages.clear();
    }

    /** Waits for the next message after the {@code seen} first ones and returns it. */
    Published next(int seen) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> messages.size() > seen);
        return messages.get(seen);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connection.close();
    }
}
