package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.sockeye.core.RemoteSocket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.testkit.NodePeer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mixed cluster on one real Redis: a Node.js socket.io 4.8 server with
 * {@code @socket.io/redis-adapter} 8.3 (classic or sharded) or {@code @socket.io/redis-streams-adapter}
 * 0.3 (streams) and a Sockeye node with the matching adapter, each with a real socket.io-client client
 * (hosted by the Node.js peer process). Everything a cluster does must work in both directions.
 */
class MixedClusterTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private static RedisWithClient redisWithClient;
    private static RedisServer redis;
    private static RedisClient client;

    private NodePeer peer;
    private ClusterBusStatus factory;
    private RedisAdapter adapter;
    private SocketIoServer io;
    private NettyFrontend http;

    @BeforeAll
    static void startRedis() {
        redisWithClient = RedisWithClient.start(RedisAdapterFactory.clientOptions(RedisAdapterOptions.defaults()));
        redis = redisWithClient.redis;
        client = redisWithClient.client;
    }

    @AfterAll
    static void stopRedis() {
        redisWithClient.close();
    }

    @AfterEach
    void stopNodes() {
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
    }

    private void startCluster(String mode) {
        peer = NodePeer.start(redis.uri(), mode, Duration.ofSeconds(5), "/");
        Function<String, RedisAdapter> adapterOf;
        AdapterFactory adapters;
        if (mode.equals("streams")) {
            RedisStreamsAdapterFactory streams = RedisStreamsAdapterFactory.connect(client, RedisStreamsAdapterOptions.defaults());
            factory = streams;
            adapters = streams;
            adapterOf = streams::adapter;
        } else {
            RedisAdapterFactory redisAdapters = mode.equals("classic")
                    ? RedisAdapterFactory.classic(client, RedisAdapterOptions.defaults())
                    : RedisAdapterFactory.sharded(client, RedisAdapterOptions.defaults());
            factory = redisAdapters;
            adapters = redisAdapters;
            adapterOf = redisAdapters::adapter;
        }
        io = SocketIoServer.create(ServerOptions.builder().adapterFactory(adapters).build());
        io.on("connection", socket -> {
            socket.data().put("side", "sockeye");
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
        });
        io.on("ping", (args, ack) -> ack.send("sockeye-pong"));
        http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
        adapter = adapterOf.apply("/");
        assertThat(adapter.ready()).succeedsWithin(AWAIT);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"classic", "sharded", "streams"})
    void nodeAndSockeyeServersActAsOneCluster(String mode) {
        startCluster(mode);
        String sockeyeUrl = "http://127.0.0.1:" + http.port();
        String n1 = id(peer.call("op", "connect", "name", "n1", "url", peer.url()));
        String s1 = id(peer.call("op", "connect", "name", "s1", "url", sockeyeUrl));
        assertThat(peer.call("op", "clientEmit", "name", "n1", "event", "join", "args", List.of("r"), "withAck", 5000))
                .isEqualTo("joined");
        assertThat(peer.call("op", "clientEmit", "name", "s1", "event", "join", "args", List.of("r"), "withAck", 5000))
                .isEqualTo("joined");

        // serverCount = 2 on both sides (Redis's subscriber count)
        assertThat(adapter.serverCount()).succeedsWithin(AWAIT).isEqualTo(2);
        assertThat(peer.call("op", "serverCount")).isEqualTo(2);

        // broadcasts, both ways, with binary
        io.emit("from-sockeye", 1, new byte[]{1, 2, 3});
        peer.call("op", "emit", "event", "from-node", "args", List.of("x", new byte[]{4, 5}));
        eventually(() -> {
            assertThat(events("n1")).anySatisfy(e -> assertEvent(e, "from-sockeye", 1, new byte[]{1, 2, 3}));
            assertThat(events("s1")).anySatisfy(e -> assertEvent(e, "from-node", "x", new byte[]{4, 5}));
            assertThat(events("s1")).anySatisfy(e -> assertEvent(e, "from-sockeye", 1, new byte[]{1, 2, 3}));
        });

        // room broadcasts, both ways
        io.to("r").emit("room-sockeye", Map.of("k", "v"));
        peer.call("op", "emit", "to", List.of("r"), "event", "room-node", "args", List.of(2.5));
        eventually(() -> {
            assertThat(events("n1")).anySatisfy(e -> assertThat(e).isEqualTo(List.of("room-sockeye", Map.of("k", "v"))));
            assertThat(events("s1")).anySatisfy(e -> assertThat(e).isEqualTo(List.of("room-node", 2.5)));
        });

        // fetchSockets sees both, from both sides, with Node-shaped handshakes
        List<RemoteSocket> fetched = io.fetchSockets().join();
        assertThat(fetched).extracting(RemoteSocket::id).containsExactlyInAnyOrder(n1, s1);
        RemoteSocket nodeSocket = fetched.stream().filter(s -> s.id().equals(n1)).findFirst().orElseThrow();
        assertThat(nodeSocket.rooms()).containsExactlyInAnyOrder(n1, "r");
        assertThat(nodeSocket.data()).containsEntry("side", "node");
        assertThat(nodeSocket.handshake().url()).startsWith("/socket.io/?EIO=4");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fromNode = (List<Map<String, Object>>) peer.call("op", "fetchSockets");
        assertThat(fromNode).extracting(s -> s.get("id")).containsExactlyInAnyOrder(n1, s1);
        Map<String, Object> sockeyeSocket = fromNode.stream().filter(s -> s.get("id").equals(s1)).findFirst().orElseThrow();
        assertThat((List<Object>) sockeyeSocket.get("rooms")).containsExactlyInAnyOrder(s1, "r");
        assertThat(sockeyeSocket.get("data")).isEqualTo(Map.of("side", "sockeye"));
        @SuppressWarnings("unchecked")
        Map<String, Object> handshake = (Map<String, Object>) sockeyeSocket.get("handshake");
        assertThat(handshake).containsOnlyKeys("headers", "time", "address", "xdomain", "secure", "issued", "url", "query", "auth");
        assertThat(handshake.get("issued")).isInstanceOf(Number.class);
        assertThat((String) handshake.get("url")).startsWith("/socket.io/?EIO=4");

        // serverSideEmit with acks, both ways
        assertThat(io.serverSideEmitWithAck("ping", 1)).succeedsWithin(AWAIT)
                .satisfies(replies -> assertThat(replies).extracting(a -> a.get(0)).containsExactly("node-pong"));
        assertThat(peer.call("op", "serverSideEmit", "event", "ping", "args", List.of(2), "withAck", true))
                .isEqualTo(List.of("sockeye-pong"));

        // broadcasts with acks, both ways: every client of the cluster answers
        assertThat(io.timeout(Duration.ofSeconds(5)).emitWithAck("q")).succeedsWithin(AWAIT)
                .satisfies(replies -> assertThat(replies).extracting(a -> a.get(0)).containsExactlyInAnyOrder("ack-n1", "ack-s1"));
        assertThat((List<Object>) peer.call("op", "emit", "event", "q", "ackTimeout", 5000))
                .containsExactlyInAnyOrder("ack-n1", "ack-s1");

        // socketsJoin and disconnectSockets reach the other side's sockets
        io.in("r").socketsJoin("joined-from-sockeye");
        peer.call("op", "socketsJoin", "to", List.of(s1), "rooms", List.of("joined-from-node"));
        eventually(() -> {
            List<RemoteSocket> now = io.fetchSockets().join();
            assertThat(rooms(now, n1)).contains("joined-from-sockeye");
            assertThat(rooms(now, s1)).contains("joined-from-sockeye", "joined-from-node");
        });
        peer.call("op", "disconnectSockets", "to", List.of(s1), "close", true);
        io.in(n1).disconnectSockets(true);
        eventually(() -> {
            assertThat(clientConnected("s1")).isFalse();
            assertThat(clientConnected("n1")).isFalse();
        });
    }

    private static Set<String> rooms(List<RemoteSocket> sockets, String id) {
        return sockets.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().rooms();
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> events(String client) {
        return (List<List<Object>>) peer.call("op", "events", "name", client);
    }

    @SuppressWarnings("unchecked")
    private boolean clientConnected(String client) {
        return Boolean.TRUE.equals(((Map<String, Object>) peer.call("op", "clientState", "name", client)).get("connected"));
    }

    private static void assertEvent(List<Object> event, String name, Object value, byte[] bytes) {
        assertThat(event).hasSize(3);
        assertThat(event.get(0)).isEqualTo(name);
        assertThat(event.get(1)).isEqualTo(value);
        assertThat((byte[]) event.get(2)).containsExactly(bytes);
    }

    @SuppressWarnings("unchecked")
    private static String id(Object connectResult) {
        return (String) ((Map<String, Object>) connectResult).get("id");
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
    }
}
