package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.testkit.NodePeer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection state recovery across a mixed cluster on one real Redis: a Node.js socket.io 4.8 server with
 * {@code @socket.io/redis-streams-adapter} 0.3 and a Sockeye node with the streams adapter, both with
 * recovery on. A real socket.io-client (hosted by the Node.js peer) loses its transport on one server,
 * misses broadcasts published from both, and reconnects to the other server: it gets the same socket id,
 * every missed event once and in stream order (each with its entry id as offset), then live events.
 */
class MixedClusterRecoveryTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private static RedisWithClient redisWithClient;
    private static RedisServer redis;
    private static RedisClient client;

    private NodePeer peer;
    private RedisStreamsAdapterFactory factory;
    private SocketIoServer io;
    private NettyFrontend http;
    private StatefulRedisConnection<String, String> admin;
    private final Set<String> goneFromSockeye = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> others = new ArrayList<>();

    /** Another Sockeye node of the cluster. */
    private record SockeyeNode(RedisStreamsAdapterFactory factory, SocketIoServer io, NettyFrontend http) {
        String url() {
            return "http://127.0.0.1:" + http.port();
        }
    }

    @BeforeAll
    static void startRedis() {
        redisWithClient = RedisWithClient.start(RedisStreamsAdapterFactory.clientOptions(RedisStreamsAdapterOptions.defaults()));
        redis = redisWithClient.redis;
        client = redisWithClient.client;
    }

    @AfterAll
    static void stopRedis() {
        redisWithClient.close();
    }

    @BeforeEach
    void startCluster() {
        admin = client.connect(StringCodec.UTF8);
        peer = NodePeer.start(redis.uri(), "streams", Duration.ofSeconds(5), WINDOW, "/");
        SockeyeNode node = sockeyeNode();
        factory = node.factory();
        io = node.io();
        http = node.http();
    }

    private SockeyeNode sockeyeNode() {
        RedisStreamsAdapterFactory streams = RedisStreamsAdapterFactory.connect(client, RedisStreamsAdapterOptions.defaults());
        SocketIoServer server = SocketIoServer.create(ServerOptions.builder().adapterFactory(streams)
                .connectionStateRecovery(WINDOW, true).build());
        server.on("connection", socket -> {
            if (!socket.recovered()) {
                socket.data().put("side", "sockeye");
            }
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
            socket.onDisconnect(reason -> goneFromSockeye.add(socket.id()));
        });
        NettyFrontend frontend = NettyFrontend.builder().host("127.0.0.1").port(0).attach(server).build().start();
        assertThat(streams.adapter("/").ready()).succeedsWithin(AWAIT);
        return new SockeyeNode(streams, server, frontend);
    }

    @AfterEach
    void stopCluster() throws Exception {
        for (AutoCloseable other : others) {
            other.close();
        }
        if (http != null) {
            http.close();
        }
        if (io != null) {
            io.close();
        }
        if (factory != null) {
            factory.close();
        }
        if (peer != null) {
            peer.close();
        }
        if (admin != null) {
            admin.sync().flushall();
            admin.close();
        }
    }

    private String sockeyeUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    @Test
    void aClientOfTheNodeServerRecoversOnSockeyeWithEveryMissedEventOnce() {
        String id = connectAndJoin("c1", peer.url());
        publish(0, this::fromNode);
        eventually(() -> assertThat(events("c1")).hasSize(1));

        peer.call("op", "drop", "name", "c1");
        String pid = (String) state("c1").get("pid");
        // The Node.js server saves the session when it sees the transport close.
        eventually(() -> assertThat(admin.sync().exists("sio:session:" + pid)).isEqualTo(1L));
        for (int i = 1; i <= 4; i++) {
            publish(i, i % 2 == 1 ? this::fromSockeye : this::fromNode);
        }

        Map<String, Object> reconnected = reconnect("c1", sockeyeUrl());
        assertThat(reconnected).containsEntry("id", id).containsEntry("recovered", true);
        publish(5, this::fromSockeye);
        publish(6, this::fromNode);
        eventually(() -> assertExactlyOnceInOrder(events("c1"), 7));
        assertThat(io.fetchSockets().join()).anySatisfy(s -> {
            assertThat(s.id()).isEqualTo(id);
            assertThat(s.rooms()).contains("r");
            assertThat(s.data()).containsEntry("side", "node");
        });
    }

    @Test
    void aClientOfSockeyeRecoversOnTheNodeServerWithEveryMissedEventOnce() {
        String id = connectAndJoin("c2", sockeyeUrl());
        publish(0, this::fromNode);
        eventually(() -> assertThat(events("c2")).hasSize(1));

        peer.call("op", "drop", "name", "c2");
        eventually(() -> assertThat(goneFromSockeye).contains(id));
        for (int i = 1; i <= 4; i++) {
            publish(i, i % 2 == 1 ? this::fromSockeye : this::fromNode);
        }

        Map<String, Object> reconnected = reconnect("c2", peer.url());
        assertThat(reconnected).containsEntry("id", id).containsEntry("recovered", true);
        publish(5, this::fromSockeye);
        publish(6, this::fromNode);
        eventually(() -> assertExactlyOnceInOrder(events("c2"), 7));
    }

    /**
     * Beyond the Node.js adapter, which writes a session only when the socket leaves: Sockeye saves it
     * when the socket connects and when its rooms change, so a client whose node died without a word
     * recovers on another node.
     */
    @Test
    void aClientRecoversOnAnotherSockeyeNodeAfterItsNodeDied() {
        SockeyeNode dying = sockeyeNode();
        String id = connectAndJoin("c3", dying.url());
        publish(0, this::fromNode);
        eventually(() -> assertThat(events("c3")).hasSize(1));

        // As a crash: its Redis connections go first, so it writes nothing when its clients drop.
        dying.factory().close();
        dying.http().close();
        dying.io().close();
        eventually(() -> assertThat(state("c3").get("connected")).isEqualTo(false));
        for (int i = 1; i <= 3; i++) {
            publish(i, i % 2 == 1 ? this::fromSockeye : this::fromNode);
        }

        assertThat(reconnect("c3", sockeyeUrl())).containsEntry("id", id).containsEntry("recovered", true);
        publish(4, this::fromNode);
        eventually(() -> assertExactlyOnceInOrder(events("c3"), 5));
    }

    /**
     * A client that had received no event reconnects with its pid alone (socket.io#5538): Sockeye replays
     * from where its session started, here on another node. The Node.js adapter refuses such a recovery.
     */
    @Test
    void aClientThatReceivedNothingRecoversOnAnotherNodeFromWhereItsSessionStarted() {
        SockeyeNode other = sockeyeNode();
        others.add(other.factory());
        others.add(other.io()::close);
        others.add(other.http());
        String id = connectAndJoin("c4", other.url());

        peer.call("op", "drop", "name", "c4");
        eventually(() -> assertThat(goneFromSockeye).contains(id));
        assertThat(state("c4").get("lastOffset")).isNull();
        publish(0, this::fromNode);
        publish(1, this::fromSockeye);

        assertThat(reconnect("c4", sockeyeUrl())).containsEntry("id", id).containsEntry("recovered", true);
        eventually(() -> assertExactlyOnceInOrder(events("c4"), 2));
    }

    /**
     * A session the Node.js node saved does not say where it started: without an offset there is no
     * telling what the client missed, so Sockeye answers recovered:false (as the Node.js adapter does).
     */
    @Test
    void aClientOfTheNodeServerThatReceivedNothingIsNotRecoveredWithoutAnOffset() {
        String id = connectAndJoin("c5", peer.url());
        peer.call("op", "drop", "name", "c5");
        String pid = (String) state("c5").get("pid");
        eventually(() -> assertThat(admin.sync().exists("sio:session:" + pid)).isEqualTo(1L));
        publish(0, this::fromNode);

        Map<String, Object> reconnected = reconnect("c5", sockeyeUrl());
        assertThat(reconnected.get("id")).isNotEqualTo(id);
        assertThat(reconnected).containsEntry("recovered", false);
    }

    /**
     * A storm: hundreds of clients of one Sockeye node drop at once and reconnect at once to another, as
     * when their node dies. Each restore is answered from the reader's tail of the new node, so none
     * reads the stream from Redis, and every client gets every missed event once, in order.
     */
    @Test
    void hundredsOfClientsRestoringAtOnceOnAnotherNodeAllRecoverWithoutReadingTheStream() throws Exception {
        SockeyeNode left = sockeyeNode();
        others.add(left.factory());
        others.add(left.io()::close);
        others.add(left.http());
        int n = 300;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("storm" + i);
        }
        ExecutorService callers = Executors.newFixedThreadPool(32);
        others.add(callers::shutdownNow);
        Map<String, String> ids = new ConcurrentHashMap<>();
        all(callers, names, name -> ids.put(name, connectAndJoin(name, left.url())));
        publish(0, this::fromSockeye);
        eventually(() -> names.forEach(name -> assertThat(events(name)).hasSize(1)));

        all(callers, names, name -> peer.call("op", "drop", "name", name));
        eventually(() -> assertThat(goneFromSockeye).containsAll(ids.values()));
        for (int i = 1; i <= 20; i++) {
            publish(i, i % 2 == 1 ? this::fromSockeye : this::fromNode);
        }
        admin.sync().configResetstat();

        Map<String, Map<String, Object>> reconnected = new ConcurrentHashMap<>();
        all(callers, names, name -> reconnected.put(name, reconnect(name, sockeyeUrl())));
        String stats = admin.sync().info("commandstats");
        publish(21, this::fromNode);

        assertThat(reconnected.values()).allSatisfy(r -> assertThat(r).containsEntry("recovered", true));
        names.forEach(name -> assertThat(reconnected.get(name)).containsEntry("id", ids.get(name)));
        assertThat(stats).as("no restore read the stream").doesNotContain("cmdstat_xrange").doesNotContain("cmdstat_xinfo");
        eventually(() -> names.forEach(name -> assertExactlyOnceInOrder(events(name), 22)));
    }

    /** Runs {@code call} for every name at once (as many as {@code callers} has threads), and waits. */
    private static void all(ExecutorService callers, List<String> names, Consumer<String> call) throws Exception {
        List<Future<?>> calls = new ArrayList<>();
        names.forEach(name -> calls.add(callers.submit(() -> call.accept(name))));
        for (Future<?> f : calls) {
            f.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String connectAndJoin(String name, String url) {
        return PeerClients.connectAndJoin(peer, name, url);
    }

    /** Publishes {@code m i} to room r and waits until it is in the stream, so the order is the stream's. */
    private void publish(int i, IntConsumer publisher) {
        long before = admin.sync().xlen("socket.io");
        publisher.accept(i);
        eventually(() -> assertThat(admin.sync().xlen("socket.io")).isGreaterThan(before));
    }

    private void fromSockeye(int i) {
        io.to("r").emit("m", i);
    }

    private void fromNode(int i) {
        peer.call("op", "emit", "to", List.of("r"), "event", "m", "args", List.of(i));
    }

    private Map<String, Object> reconnect(String name, String url) {
        return PeerClients.reconnect(peer, name, url);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> state(String name) {
        return (Map<String, Object>) peer.call("op", "clientState", "name", name);
    }

    private List<List<Object>> events(String name) {
        return PeerClients.events(peer, name);
    }

    /** {@code m 0} … {@code m n-1}, each once, in order, each with a stream entry id after the last. */
    private static void assertExactlyOnceInOrder(List<List<Object>> events, int n) {
        List<Object> values = new ArrayList<>();
        String last = "0-0";
        for (List<Object> event : events) {
            assertThat(event).hasSize(3);
            assertThat(event.get(0)).isEqualTo("m");
            values.add(event.get(1));
            String offset = (String) event.get(2);
            assertThat(offset).matches("\\d+-\\d+");
            assertThat(compareIds(offset, last)).as("offset %s after %s", offset, last).isPositive();
            last = offset;
        }
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertThat(values).isEqualTo(expected);
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int byMillis = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
    }
}
