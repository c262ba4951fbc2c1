package io.sockeye.adapter.redis;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.emitter.SockeyeEmitter;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.testkit.NodePeer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classic adapter's shared recovery in a cluster with broadcasts it does not position: those of the
 * emitter ({@code sockeye-emitter}, which publishes straight to the channel) and of a Node.js socket.io
 * node with {@code @socket.io/redis-adapter}. A real socket.io-client (hosted by the Node.js node) gets
 * them live, and a recovery replays only the Sockeye broadcasts it missed, never theirs.
 */
class UnpositionedBroadcastsTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private RedisWithClient redis;
    private RedisAdapterFactory factory;
    private SocketIoServer io;
    private NettyFrontend http;
    private NodePeer peer;
    private SockeyeEmitter emitter;
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        redis = RedisWithClient.start(RedisAdapterFactory.clientOptions(RedisAdapterOptions.defaults()));
        factory = RedisAdapterFactory.classic(redis.client, RedisAdapterOptions.defaults());
        io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory)
                .connectionStateRecovery(Duration.ofMinutes(1), true).build());
        io.on("connection", socket -> {
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send("joined");
            });
            socket.onDisconnect(reason -> gone.add(socket.id()));
        });
        http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
        peer = NodePeer.start(redis.uri(), "classic", Duration.ofSeconds(5), "/");
        emitter = SockeyeEmitter.redis(redis.client);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {emitter, peer, http, io::close, factory, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void broadcastsOfTheEmitterAndOfANodeJsNodeAreDeliveredLiveButNeverReplayed() throws Exception {
        String url = "http://127.0.0.1:" + http.port();
        String id = PeerClients.connectAndJoin(peer, "away", url);
        PeerClients.connectAndJoin(peer, "witness", url);

        // One broadcast at a time, each awaited: they take different paths through Redis.
        io.to("r").emit("m", 0);
        eventually(() -> assertThat(names("away")).containsExactly("m"));
        emitter.to("r").emit("e", 1).get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        eventually(() -> assertThat(names("away")).containsExactly("m", "e"));
        peer.call("op", "emit", "to", List.of("r"), "event", "n", "args", List.of(2));
        eventually(() -> assertThat(names("away")).containsExactly("m", "e", "n"));

        peer.call("op", "drop", "name", "away");
        eventually(() -> assertThat(gone).contains(id));
        // The witness is on the same node: once it has a broadcast, so had the node while the client was away.
        io.to("r").emit("m", 3);
        eventually(() -> assertThat(names("witness")).hasSize(4));
        emitter.to("r").emit("e", 4).get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        eventually(() -> assertThat(names("witness")).hasSize(5));
        peer.call("op", "emit", "to", List.of("r"), "event", "n", "args", List.of(5));
        eventually(() -> assertThat(names("witness")).hasSize(6));
        io.to("r").emit("m", 6);
        eventually(() -> assertThat(names("witness")).containsExactly("m", "e", "n", "m", "e", "n", "m"));

        assertThat(PeerClients.reconnect(peer, "away", url)).containsEntry("id", id).containsEntry("recovered", true);
        emitter.to("r").emit("e", 7).get(AWAIT.toSeconds(), TimeUnit.SECONDS);

        eventually(() -> assertThat(values("away")).containsExactly(0, 1, 2, 3, 6, 7));
        assertThat(names("away")).containsExactly("m", "e", "n", "m", "m", "e");
    }

    private List<Object> names(String name) {
        return PeerClients.events(peer, name).stream().map(e -> e.get(0)).toList();
    }

    private List<Object> values(String name) {
        return PeerClients.events(peer, name).stream().map(e -> e.get(1)).toList();
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
    }
}
