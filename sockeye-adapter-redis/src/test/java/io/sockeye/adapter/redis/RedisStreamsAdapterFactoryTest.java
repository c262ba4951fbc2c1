package io.sockeye.adapter.redis;

import io.lettuce.core.RedisURI;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The streams factory's public surface: startup failure, option checks, stream routing, stream lengths. */
class RedisStreamsAdapterFactoryTest {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void anUnreachableRedisFailsTheFactoryAtOnce() {
        assertThatThrownBy(() -> RedisStreamsAdapterFactory.connect("redis://127.0.0.1:" + FreePorts.next()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("cannot connect to Redis at 127.0.0.1:");
    }

    @Test
    void optionsAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> RedisStreamsAdapterOptions.builder().streamCount(0).build())
                .hasMessage("streamCount must be at least 1: 0");
        assertThatThrownBy(() -> RedisStreamsAdapterOptions.builder().blockTime(Duration.ZERO).build())
                .hasMessageContaining("blockTime must be at least 1 ms");
        assertThatThrownBy(() -> RedisStreamsAdapterOptions.builder().channelPrefix("").build())
                .hasMessage("channelPrefix must not be empty");
        assertThatThrownBy(() -> RedisStreamsAdapterOptions.builder().restoreTailEntries(-1).build())
                .hasMessageContaining("restoreTailEntries and restoreTailBytes must not be negative");
        assertThatThrownBy(() -> RedisStreamsAdapterOptions.builder().streamStatsInterval(Duration.ZERO).build())
                .hasMessageContaining("streamStatsInterval must be at least 1 ms");
        RedisStreamsAdapterOptions options = RedisStreamsAdapterOptions.defaults();
        assertThat(options.toBuilder().build().maxLen()).isEqualTo(10_000);
        assertThat(options.sessionKeyPrefix()).isEqualTo("sio:session:");
    }

    @Test
    void namespacesGoToTheStreamOfTheirHashSignIncludedAndTheLengthsAndMemoryOfEveryStreamAreSampled() {
        RedisStreamsAdapterFactory factory = RedisStreamsAdapterFactory.connect(RedisURI.create(redis.uri()),
                RedisStreamsAdapterOptions.builder().streamName("s").streamCount(4)
                        .streamStatsInterval(Duration.ofMillis(50)).build());
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).build());
        try {
            io.of("/notifications");
            assertThat(factory.adapter("/").stream()).isEqualTo("s-3");
            assertThat(factory.adapter("/notifications").stream()).isEqualTo("s--3");
            assertThat(factory.adapter("/notifications").ready()).succeedsWithin(Duration.ofSeconds(30));
            io.of("/notifications").emit("n", 1);
            io.of("/notifications").emit("n", 2);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(factory.streamLengths()).containsEntry("s--3", 2L).containsEntry("s-3", 0L).hasSize(7));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(factory.streamMemory()).containsEntry("s-3", 0L).hasSize(7)
                            .hasEntrySatisfying("s--3", bytes -> assertThat(bytes).isPositive()));
        } finally {
            io.close();
            factory.close();
        }
        assertThat(factory.streamLengths()).as("last known, once closed").containsEntry("s--3", 2L);
        assertThat(factory.isConnected()).isFalse();
        assertThatThrownBy(() -> factory.create(null)).isInstanceOf(IllegalStateException.class);
    }
}
