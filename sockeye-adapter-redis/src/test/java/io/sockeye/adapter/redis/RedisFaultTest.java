package io.sockeye.adapter.redis;

import io.lettuce.core.RedisURI;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away under load and comes back: two Sockeye nodes on one redis-server, a real
 * socket.io client on each. While Redis is down, local delivery continues and cluster operations fail
 * at once with {@link RedisUnavailableException}; once redis-server is restarted on the same port, the
 * adapters reconnect and re-subscribe (including a room channel first asked for during the outage)
 * and cluster delivery resumes.
 */
class RedisFaultTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private RedisServer redis;

    /** One Sockeye node: a server with the Redis adapter and a client connected to it. */
    private final class Node {
        final RedisAdapterFactory redisFactory;
        final SocketIoServer io;
        final NettyFrontend http;
        final Socket client;
        final List<Object> received = new CopyOnWriteArrayList<>();

        Node(String mode) throws Exception {
            // A request timeout far beyond the test's patience: a request that waited for it instead
            // of failing fast would fail the test.
            RedisAdapterOptions options = RedisAdapterOptions.builder().requestsTimeout(Duration.ofMinutes(5)).build();
            RedisURI uri = RedisURI.create(redis.uri());
            redisFactory = mode.equals("classic") ? RedisAdapterFactory.classic(uri, options)
                    : RedisAdapterFactory.sharded(uri, options);
            resources.add(redisFactory);
            io = SocketIoServer.create(ServerOptions.builder().adapterFactory(redisFactory).build());
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
            assertThat(redisFactory.adapter("/").ready()).succeedsWithin(AWAIT);

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
    @ValueSource(strings = {"classic", "sharded"})
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
            assertThat(a.redisFactory.adapter("/").serverCount()).failsWithin(AWAIT).withThrowableThat()
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
        assertThat(a.redisFactory.stats().reconnects()).isPositive();
        assertThat(b.redisFactory.stats().reconnects()).isPositive();
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }
}
