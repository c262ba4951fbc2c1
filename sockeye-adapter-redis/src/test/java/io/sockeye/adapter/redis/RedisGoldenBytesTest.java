package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.adapter.redis.Capture.Published;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.testkit.NodePeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden bytes, re-captured from a real Redis: a Node.js socket.io 4.8 server with
 * {@code @socket.io/redis-adapter} 8.3 makes a series of calls, then a Sockeye server makes the same
 * calls, and a third Redis client records what each published. The messages must be identical, byte
 * for byte, once the random node uid and request id are replaced by placeholders.
 */
class RedisGoldenBytesTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    private static RedisServer redis;
    private static ClientResources resources;
    private static RedisClient client;

    /** One call, as the Node.js peer makes it and as Sockeye makes it. */
    private record Call(String name, Consumer<NodePeer> node, Consumer<Sockeye> sockeye) {
    }

    /** A Sockeye server (no transport needed: only what it publishes matters) with its Redis factory. */
    private record Sockeye(SocketIoServer io, RedisAdapterFactory redis) {
    }

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        client = RedisClient.create(resources, redis.uri());
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }

    private static List<Call> calls(boolean classic) {
        List<Call> calls = new ArrayList<>(List.of(
                new Call("io.emit(\"hello\", \"world\")",
                        n -> n.call("op", "emit", "event", "hello", "args", List.of("world")),
                        s -> s.io().emit("hello", "world")),
                new Call("io.to(\"room1\").emit(\"bin\", [1,2,3])",
                        n -> n.call("op", "emit", "to", List.of("room1"), "event", "bin", "args", List.of(new byte[]{1, 2, 3})),
                        s -> s.io().to("room1").emit("bin", (Object) new byte[]{1, 2, 3})),
                new Call("io.of(\"/custom\").except(\"r2\").volatile.emit(\"x\", {a: 1})",
                        n -> n.call("op", "emit", "nsp", "/custom", "except", List.of("r2"), "volatile", true,
                                "event", "x", "args", List.of(Map.of("a", 1))),
                        s -> s.io().of("/custom").except("r2").asVolatile().emit("x", Map.of("a", 1))),
                new Call("io.socketsJoin(\"r3\")",
                        n -> n.call("op", "socketsJoin", "rooms", List.of("r3")),
                        s -> s.io().socketsJoin("r3")),
                new Call("io.disconnectSockets(true)",
                        n -> n.call("op", "disconnectSockets", "close", true),
                        s -> s.io().disconnectSockets(true)),
                new Call("io.serverSideEmit(\"ping\", 1)",
                        n -> n.call("op", "serverSideEmit", "event", "ping", "args", List.of(1)),
                        s -> s.io().serverSideEmit("ping", 1)),
                new Call("io.fetchSockets()",
                        n -> n.call("op", "fetchSockets", "noWait", true),
                        s -> s.io().fetchSockets())));
        if (classic) {
            calls.add(new Call("io.of(\"/\").adapter.allRooms()",
                    n -> n.call("op", "allRooms", "noWait", true),
                    s -> ((ClassicRedisAdapter) s.redis().adapter("/")).allRooms()));
        }
        return calls;
    }

    @Test
    void classicSockeyePublishesWhatRedisAdapterPublishes() {
        try (Capture capture = new Capture(client).psubscribe("socket.io*")
                // A second subscriber of the request channel, so fetchSockets and allRooms are published.
                .subscribe("socket.io-request#/#")) {
            assertSameBytes(true, capture);
        }
    }

    @Test
    void shardedSockeyePublishesWhatTheShardedRedisAdapterPublishes() {
        try (Capture capture = new Capture(client).ssubscribe("socket.io#/#", "socket.io#/#room1#", "socket.io#/custom#")) {
            assertSameBytes(false, capture);
        }
    }

    private void assertSameBytes(boolean classic, Capture capture) {
        List<Call> calls = calls(classic);
        String mode = classic ? "classic" : "sharded";

        List<Published> fromNode;
        List<String> nodeUids;
        try (NodePeer peer = NodePeer.start(redis.uri(), mode, SHORT_TIMEOUT, "/", "/custom")) {
            fromNode = run(calls, capture, call -> call.node().accept(peer));
            nodeUids = List.of(peer.uid("/"), peer.uid("/custom"));
        }
        capture.clear();

        List<Published> fromSockeye;
        List<String> sockeyeUids;
        RedisAdapterOptions options = RedisAdapterOptions.builder().requestsTimeout(SHORT_TIMEOUT).build();
        RedisAdapterFactory factory = classic ? RedisAdapterFactory.classic(client, options)
                : RedisAdapterFactory.sharded(client, options);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).build());
        try {
            io.of("/custom");
            sockeyeUids = new ArrayList<>();
            for (String nsp : List.of("/", "/custom")) {
                RedisAdapter adapter = factory.adapter(nsp);
                assertThat(adapter.ready()).succeedsWithin(Duration.ofSeconds(30));
                sockeyeUids.add(adapter instanceof ClassicRedisAdapter c ? c.redisUid() : adapter.uid());
            }
            Sockeye sockeye = new Sockeye(io, factory);
            fromSockeye = run(calls, capture, call -> call.sockeye().accept(sockeye));
        } finally {
            io.close();
            factory.close();
        }

        for (int i = 0; i < calls.size(); i++) {
            Published node = fromNode.get(i);
            Published ours = fromSockeye.get(i);
            assertThat(ours.channel()).as("channel of %s", calls.get(i).name()).isEqualTo(node.channel());
            assertThat(normalize(ours, sockeyeUids)).as("bytes of %s", calls.get(i).name())
                    .isEqualTo(normalize(node, nodeUids));
        }
    }

    /** Makes each call and takes the message it published. */
    private static List<Published> run(List<Call> calls, Capture capture, Consumer<Call> make) {
        List<Published> published = new ArrayList<>();
        for (Call call : calls) {
            int seen = capture.messages().size();
            make.accept(call);
            published.add(capture.next(seen));
        }
        return published;
    }

    /**
     * The message as Latin-1 text (one char per byte) with the node uids replaced by same-length
     * placeholders (the msgpack string headers stay as they were) and JSON request ids blanked.
     */
    private static String normalize(Published message, List<String> uids) {
        String text = message.text();
        for (String uid : uids) {
            text = text.replace(uid, "U".repeat(uid.length()));
        }
        return text.replaceAll("\"requestId\":\"[^\"]*\"", "\"requestId\":\"R\"");
    }
}
