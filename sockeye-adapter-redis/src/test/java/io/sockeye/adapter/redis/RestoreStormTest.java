package io.sockeye.adapter.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.testkit.NodePeer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A storm of restores over the Redis Streams adapter must not eat the history it replays: the stream is
 * bounded ({@code MAXLEN ~ maxLen}), so anything a restore appends to it (a takeover of a ghost that is
 * not there) trims what the clients restoring after it missed. Here the stream keeps about 50 entries
 * and 200 clients that left one node restore on another: each must recover.
 */
class RestoreStormTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final int MAX_LEN = 50;
    private static final int CLIENTS = 200;

    private RedisWithClient redis;
    private NodePeer clients;
    private StatefulRedisConnection<byte[], byte[]> admin;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    /** One Sockeye node with the streams adapter on the test's Redis. */
    private record Node(SocketIoServer io, NettyFrontend http) {
        String url() {
            return "http://127.0.0.1:" + http.port();
        }
    }

    @BeforeEach
    void start() {
        redis = RedisWithClient.start(RedisStreamsAdapterFactory.clientOptions(RedisStreamsAdapterOptions.defaults()));
        admin = redis.client.connect(ByteArrayCodec.INSTANCE);
        // Real socket.io-clients, hosted by the Node.js peer (its own server is not used here).
        clients = NodePeer.start(redis.uri(), "streams", Duration.ofSeconds(5), WINDOW, "/");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (clients != null) {
            clients.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Node node() {
        RedisStreamsAdapterFactory streams = RedisStreamsAdapterFactory.connect(redis.client,
                RedisStreamsAdapterOptions.builder().maxLen(MAX_LEN).build());
        closing.add(streams);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(streams)
                .connectionStateRecovery(WINDOW, true).build());
        closing.add(io::close);
        io.on("connection", socket -> {
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
            socket.onDisconnect(reason -> gone.add(socket.id()));
        });
        NettyFrontend http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
        closing.add(http);
        assertThat(streams.adapter("/").ready()).succeedsWithin(AWAIT);
        return new Node(io, http);
    }

    @Test
    void moreClientsThanTheStreamKeepsAllRecoverOnAnotherNodeAfterTheirTransportsDropped() throws Exception {
        Node left = node();
        Node other = node();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            names.add("c" + i);
        }
        ExecutorService callers = Executors.newFixedThreadPool(16);
        closing.add(callers::shutdownNow);
        Map<String, String> ids = new ConcurrentHashMap<>();
        all(callers, names, name -> ids.put(name, PeerClients.connectAndJoin(clients, name, left.url())));
        other.io().to("r").emit("m", 0);
        eventually(() -> names.forEach(name -> assertThat(PeerClients.events(clients, name)).hasSize(1)));

        all(callers, names, name -> clients.call("op", "drop", "name", name));
        eventually(() -> assertThat(gone).containsAll(ids.values()));
        // The node the clients left has marked every session disconnected (no socket of it is left anywhere).
        eventually(() -> assertThat(disconnectedSessions()).isEqualTo(CLIENTS));
        other.io().to("r").emit("m", 1); // missed by every client

        Map<String, Map<String, Object>> reconnected = new ConcurrentHashMap<>();
        all(callers, names, name -> reconnected.put(name, PeerClients.reconnect(clients, name, other.url())));

        assertThat(reconnected.values()).as("every client recovered")
                .allSatisfy(r -> assertThat(r).containsEntry("recovered", true));
        names.forEach(name -> assertThat(reconnected.get(name)).containsEntry("id", ids.get(name)));
        eventually(() -> names.forEach(name -> assertThat(PeerClients.events(clients, name))
                .extracting(event -> event.get(1)).containsExactly(0, 1)));
    }

    /** Sessions in Redis whose record says the socket left (Sockeye's {@code at} field set). */
    private int disconnectedSessions() {
        RedisStreamsFormat format = new RedisStreamsFormat(new ClusterMessageCodec(
                RedisStreamsAdapterOptions.defaults().objectMapper()), false);
        int disconnected = 0;
        for (byte[] key : admin.sync().keys("sio:session:*")) {
            byte[] value = admin.sync().get(key);
            if (value != null && format.decodeSession(value).extra().get("at") instanceof Number at && at.longValue() > 0) {
                disconnected++;
            }
        }
        return disconnected;
    }

    /** Runs {@code call} for every name at once (as many as {@code callers} has threads), and waits. */
    private static void all(ExecutorService callers, List<String> names, Consumer<String> call) throws Exception {
        List<Future<?>> calls = new ArrayList<>();
        names.forEach(name -> calls.add(callers.submit(() -> call.accept(name))));
        for (Future<?> f : calls) {
            f.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }
}
