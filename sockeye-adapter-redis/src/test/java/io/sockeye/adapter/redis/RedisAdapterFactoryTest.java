package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterTimeoutException;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The factory's public surface: startup failure, allRooms, specific response channels, metrics. */
class RedisAdapterFactoryTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    private static RedisServer redis;
    private static ClientResources resources;
    private static RedisClient client;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        client = RedisClient.create(resources, redis.uri());
        client.setOptions(RedisAdapterFactory.clientOptions(RedisAdapterOptions.defaults()));
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }

    @AfterEach
    void closeOpened() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** A Sockeye node (no transport) on the test's Redis, ready. */
    private RedisAdapterFactory node(RedisAdapterOptions options, String... namespaces) {
        RedisAdapterFactory factory = RedisAdapterFactory.classic(client, options);
        opened.add(factory);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).build());
        opened.add(io::close);
        for (String nsp : namespaces) {
            io.of(nsp);
            assertThat(factory.adapter(nsp).ready()).succeedsWithin(AWAIT);
        }
        return factory;
    }

    @Test
    void refusesToStartWhenRedisIsUnreachable() {
        RedisURI nowhere = RedisURI.create("redis://127.0.0.1:" + FreePorts.next());

        assertThatThrownBy(() -> RedisAdapterFactory.classic(nowhere, RedisAdapterOptions.defaults()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("cannot connect to Redis at 127.0.0.1");
    }

    @Test
    void allRoomsCollectsTheRoomsOfEveryNode() {
        RedisAdapterFactory one = node(RedisAdapterOptions.defaults(), "/");
        RedisAdapterFactory two = node(RedisAdapterOptions.defaults(), "/");
        await().atMost(AWAIT).until(() -> one.adapter("/").serverCount().join() == 2);
        // Rooms are made directly on the adapters: no client needed to have members.
        one.adapter("/").addAll("socket-on-one", Set.of("red"));
        two.adapter("/").addAll("socket-on-two", Set.of("blue"));

        ClassicRedisAdapter adapter = (ClassicRedisAdapter) one.adapter("/");

        assertThat(adapter.allRooms()).succeedsWithin(AWAIT)
                .satisfies(rooms -> assertThat(rooms).containsExactlyInAnyOrder("red", "blue"));
        assertThat(adapter.redisUid()).hasSize(6);
    }

    @Test
    void answersOnSpecificResponseChannelsWhenAsked() {
        RedisAdapterOptions specific = RedisAdapterOptions.builder().publishOnSpecificResponseChannel(true).build();
        RedisAdapterFactory one = node(specific, "/");
        RedisAdapterFactory two = node(specific, "/");
        await().atMost(AWAIT).until(() -> one.adapter("/").serverCount().join() == 2);
        two.adapter("/").addAll("only-on-two", Set.of("green"));

        assertThat(((ClassicRedisAdapter) one.adapter("/")).allRooms()).succeedsWithin(AWAIT)
                .satisfies(rooms -> assertThat(rooms).contains("green"));
    }

    @Test
    void countsPublishesReceivesAndRequestTimeouts() {
        RedisAdapterFactory node = node(RedisAdapterOptions.builder().requestsTimeout(Duration.ofMillis(200)).build(), "/");
        // A subscriber that never answers: requests now wait for a second node, and time out.
        try (Capture silent = new Capture(client).subscribe("socket.io-request#/#")) {
            await().atMost(AWAIT).until(() -> node.adapter("/").serverCount().join() == 2);

            assertThat(node.adapter("/").fetchSockets(BroadcastOptions.ALL))
                    .failsWithin(AWAIT).withThrowableThat().havingRootCause().isInstanceOf(AdapterTimeoutException.class);
        }

        RedisAdapterMetrics metrics = node.metrics();
        assertThat(metrics.publishes()).isPositive();
        assertThat(metrics.receives()).isPositive(); // Redis echoes the request to its sender
        assertThat(metrics.requestTimeouts()).isEqualTo(1);
        assertThat(metrics.errors()).isZero();
        assertThat(metrics.connected()).isTrue();
    }
}
