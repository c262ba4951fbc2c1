package io.sockeye.adapter.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.netty.NettyFrontend;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away under load and comes back: two Sockeye nodes on one redis-server (pub/sub adapters
 * classic and sharded, and the streams adapter), a real
 * socket.io client on each. While Redis is down, local delivery continues and cluster operations fail
 * at once with {@link RedisUnavailableException}; once redis-server is restarted on the same port, the
 * adapters reconnect and re-subscribe (including a room channel first asked for during the outage)
 * and cluster delivery resumes.
 */
class RedisFaultTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private RedisServer redis;

    /** One Sockeye node: a server with the Redis adapter and a client connected to it. */
    private final class Node {
        final ClusterBusStatus redisFactory;
        final RedisAdapter adapter;
        final SocketIoServer io;
        final NettyFrontend http;
        final Socket client;
        final List<Object> received = new CopyOnWriteArrayList<>();

        Node(String mode) throws Exception {
            // A request timeout far beyond the test's patience: a request that waited for it instead
            // of failing fast would fail the test.
            RedisAdapterOptions options = RedisAdapterOptions.builder().requestsTimeout(Duration.ofMinutes(5)).build();
            RedisURI uri = RedisURI.create(redis.uri());
            AdapterFactory adapters = switch (mode) {
                case "classic" -> RedisAdapterFactory.classic(uri, options);
                case "sharded" -> RedisAdapterFactory.sharded(uri, options);
                default -> RedisStreamsAdapterFactory.connect(uri,
                        RedisStreamsAdapterOptions.builder().requestsTimeout(Duration.ofMinutes(5)).build());
            };
            redisFactory = (ClusterBusStatus) adapters;
            resources.add(redisFactory);
            io = SocketIoServer.create(ServerOptions.builder().adapterFactory(adapters).build());
            resources.add(io::close);
            io.on("connection", socket -> {
                socket.on("publish", (args, ack) -> io.emit("msg", args.get(0)));
                socket.on("publish-to", (args, ack) -> io.to(args.getString(0)).emit("msg", args.get(1)));
                socket.on("join", (args, ack) -> {
                    socket.join(args.getString(0));
                    ack.send("joined");
                });
            });
            http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
            resources.add(http);
            adapter = adapters instanceof RedisStreamsAdapterFactory streams ? streams.adapter("/")
                    : ((RedisAdapterFactory) adapters).adapter("/");
            assertThat(adapter.ready()).succeedsWithin(AWAIT);

            IO.Options clientOptions = new IO.Options();
            clientOptions.forceNew = true;
            clientOptions.reconnection = false;
            clientOptions.transports = new String[]{"websocket"};
            client = IO.socket("http://127.0.0.1:" + http.port(), clientOptions);
            resources.add(client::close);
            client.on("msg", args -> received.add(args[0]));
            CompletableFuture<Void> connected = new CompletableFuture<>();
            client.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
            client.connect();
            connected.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        }

        void join(String room) throws Exception {
            CompletableFuture<Object> ack = new CompletableFuture<>();
            client.emit("join", new Object[]{room}, args -> ack.complete(args[0]));
            assertThat(ack.get(AWAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("joined");
        }

        void publish(String text) {
            client.emit("publish", text);
        }

        void publishTo(String room, String text) {
            client.emit("publish-to", room, text);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "sharded", "streams"})
    void survivesARedisRestartWhileClientsPublish(String mode) throws Exception {
        redis = RedisServer.start();
        Node a = new Node(mode);
        Node b = new Node(mode);
        b.join("before-outage");
        a.publish("hello");
        eventually(() -> assertThat(b.received).contains("hello"));

        // A client keeps publishing while redis-server is killed.
        AtomicInteger sequence = new AtomicInteger();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        load.scheduleAtFixedRate(() -> a.publish("tick-" + sequence.incrementAndGet()), 0, 5, TimeUnit.MILLISECONDS);
        try {
            eventually(() -> assertThat(b.received).anySatisfy(m -> assertThat((String) m).startsWith("tick-")));
            redis.kill();
            eventually(() -> assertThat(a.redisFactory.isConnected()).isFalse());

            // Local delivery continues: ticks published after the kill still reach the publisher's node.
            int afterKill = sequence.get();
            eventually(() -> assertThat(a.received).contains("tick-" + (afterKill + 20)));

            // Cluster operations fail at once, with a clear exception, instead of waiting or queueing.
            assertThat(a.io.fetchSockets()).failsWithin(AWAIT).withThrowableThat()
                    .havingRootCause().isInstanceOf(RedisUnavailableException.class);
            assertThat(a.adapter.serverCount()).failsWithin(AWAIT).withThrowableThat()
                    .havingRootCause().isInstanceOf(RedisUnavailableException.class);
            assertThat(a.redisFactory.stats().publishErrors()).isPositive();
            assertThat(a.redisFactory.isConnected()).isFalse();

            // A room first joined during the outage (a new room channel in sharded dynamic mode).
            b.join("during-outage");
        } finally {
            load.shutdownNow();
            assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        redis.restart();
        eventually(() -> assertThat(a.redisFactory.isConnected() && b.redisFactory.isConnected()).isTrue());

        // Cluster delivery resumes: keep publishing until the other node receives (subscriptions are
        // restored asynchronously after the reconnection).
        AtomicInteger attempt = new AtomicInteger();
        eventually(() -> {
            int n = attempt.incrementAndGet();
            a.publish("after-" + n);
            a.publishTo("before-outage", "room-before-" + n);
            a.publishTo("during-outage", "room-during-" + n);
            assertThat(b.received).anySatisfy(m -> assertThat((String) m).startsWith("after-"));
            assertThat(b.received).anySatisfy(m -> assertThat((String) m).startsWith("room-before-"));
            assertThat(b.received).anySatisfy(m -> assertThat((String) m).startsWith("room-during-"));
        });
        assertThat(a.io.fetchSockets()).succeedsWithin(AWAIT).satisfies(sockets -> assertThat(sockets).hasSize(2));
        // Counted by a connection listener, which may run after the connection already works.
        eventually(() -> assertThat(a.redisFactory.stats().reconnects()).isPositive());
        eventually(() -> assertThat(b.redisFactory.stats().reconnects()).isPositive());
    }

    /**
     * The streams adapter reads each stream from the last entry it read, not from "now" ({@code $}, as
     * the Node.js adapter does on every read before its first entry): entries appended while a node's
     * reading connection was down reach it once it is back, once each and in order.
     */
    @Test
    void aStreamReaderCutOffReadsOnFromItsLastEntry() throws Exception {
        redis = RedisServer.start();
        Node a = new Node("streams");
        Node b = new Node("streams");
        a.publish("before");
        eventually(() -> assertThat(b.received).contains("before"));

        List<String> appended = new ArrayList<>();
        RedisClient admin = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> redisCommands = connection.sync();
            List<String> readers = redisCommands.clientList().lines()
                    .filter(line -> line.contains(" cmd=xread")).map(line -> line.replaceAll("^id=(\\d+) .*", "$1")).toList();
            assertThat(readers).hasSize(2);
            // Commands of one connection run in order: these entries are appended right after the
            // readers' connections were closed, before either can have reconnected.
            for (String id : readers) {
                redisCommands.clientKill(KillArgs.Builder.id(Long.parseLong(id)));
            }
            for (int i = 0; i < 20; i++) {
                String text = "while-away-" + i;
                appended.add(text);
                redisCommands.xadd("socket.io", Map.of("uid", "another-node", "nsp", "/", "type", "3",
                        "data", "{\"packet\":{\"type\":2,\"data\":[\"msg\",\"" + text + "\"]},"
                                + "\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}}"));
            }
        } finally {
            admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        a.publish("after");
        List<Object> expected = new ArrayList<>(List.of("before"));
        expected.addAll(appended);
        expected.add("after");
        eventually(() -> assertThat(b.received).containsExactlyElementsOf(expected));
        // The publisher delivers its own broadcasts at once (without recovery), the others as read.
        eventually(() -> assertThat(a.received).containsExactlyInAnyOrderElementsOf(expected));
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }
}
