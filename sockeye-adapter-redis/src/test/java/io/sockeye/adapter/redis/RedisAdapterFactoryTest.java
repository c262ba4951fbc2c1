package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterTimeoutException;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.metrics.RecordingMetrics;
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

/** The factory's public surface: startup failure, allRooms, specific response channels, bus stats. */
class RedisAdapterFactoryTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

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
        return node(options, new RecordingMetrics(), namespaces);
    }

    private RedisAdapterFactory node(RedisAdapterOptions options, RecordingMetrics metrics, String... namespaces) {
        RedisAdapterFactory factory = RedisAdapterFactory.classic(client, options);
        opened.add(factory);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).metrics(metrics).build());
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
    void countsPublishesAndReceivesOnTheBusAndEachRequestTimeoutOnce() {
        RecordingMetrics metrics = new RecordingMetrics();
        RedisAdapterFactory node = node(RedisAdapterOptions.builder().requestsTimeout(Duration.ofMillis(200)).build(),
                metrics, "/");
        // A subscriber that never answers: requests now wait for a second node, and time out.
        try (Capture silent = new Capture(client).subscribe("socket.io-request#/#")) {
            await().atMost(AWAIT).until(() -> node.adapter("/").serverCount().join() == 2);

            assertThat(node.adapter("/").fetchSockets(BroadcastOptions.ALL))
                    .failsWithin(AWAIT).withThrowableThat().havingRootCause().isInstanceOf(AdapterTimeoutException.class);
            assertThat(((ClassicRedisAdapter) node.adapter("/")).allRooms())
                    .failsWithin(AWAIT).withThrowableThat().havingRootCause().isInstanceOf(AdapterTimeoutException.class);
        }

        // A timed-out request may fail its caller before its timeout is counted, and a publish is counted
        // when Redis answers it, which may come after the timeout: wait for the counts, then check them.
        await().atMost(AWAIT).untilAsserted(() -> {
            ClusterBusStats stats = node.stats();
            assertThat(stats.published()).isPositive();
            assertThat(stats.received()).isPositive(); // Redis echoes the request to its sender
            assertThat(metrics.count("clusterRequestTimedOut", "FETCH_SOCKETS")).isPositive();
            assertThat(metrics.count("clusterRequestTimedOut", "ALL_ROOMS")).isPositive();
        });
        ClusterBusStats stats = node.stats();
        assertThat(stats.publishErrors()).isZero();
        assertThat(stats.receiveErrors()).isZero();
        assertThat(node.isConnected()).isTrue();
        // Counted where they happen, once: the core's requests by ClusterAdapter, allRooms by the classic adapter.
        assertThat(metrics.count("clusterRequestTimedOut", "FETCH_SOCKETS")).isEqualTo(1);
        assertThat(metrics.count("clusterRequestTimedOut", "ALL_ROOMS")).isEqualTo(1);
    }

    @Test
    void countsAndDropsAMessageThatIsNotTheFormatsWithoutDisturbingTheNamespace() {
        RedisAdapterFactory node = node(RedisAdapterOptions.defaults(), "/");
        RedisAdapterFactory other = node(RedisAdapterOptions.defaults(), "/");
        await().atMost(AWAIT).until(() -> node.adapter("/").serverCount().join() == 2);
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            raw.sync().publish("socket.io-request#/#", "{\"uid\":\"x\",\"type\":4,\"close\":true}");
            raw.sync().publish("socket.io#/#", "not msgpack");
        }

        await().atMost(AWAIT).until(() -> node.stats().receiveErrors() == 2);
        other.adapter("/").addAll("socket-on-other", Set.of("still-here"));
        assertThat(((ClassicRedisAdapter) node.adapter("/")).allRooms()).succeedsWithin(AWAIT)
                .satisfies(rooms -> assertThat(rooms).contains("still-here"));
    }
}
