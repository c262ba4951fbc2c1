package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodePeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Golden commands, re-captured from a real Redis: a Node.js socket.io 4.8 server with
 * {@code @socket.io/redis-streams-adapter} 0.3 makes a series of calls, then a Sockeye server with the
 * streams adapter makes the same calls, and {@code redis-cli MONITOR} records the command each sent:
 * {@code XADD socket.io MAXLEN ~ 10000 * uid … nsp … type … data …} for durable messages,
 * {@code PUBLISH socket.io#<nsp># <msgpack>} for requests. They must be identical, argument for
 * argument and byte for byte, once the random node uids and request ids are replaced by placeholders.
 */
class RedisStreamsGoldenBytesTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    /** The commands a message goes out with, as MONITOR prints them. */
    private static final Pattern SENT = Pattern.compile("\\] \"(XADD|PUBLISH)\" (.*)$");
    private static final Pattern REQUEST_ID = Pattern.compile("requestId\\\\xb0[0-9a-f]{16}");

    private static RedisWithClient redisWithClient;
    private static RedisServer redis;
    private static RedisClient client;

    /** One call, as the Node.js peer makes it and as Sockeye makes it. */
    private record Call(String name, Consumer<NodePeer> node, Consumer<SocketIoServer> sockeye) {
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

    private static List<Call> calls() {
        return List.of(
                new Call("io.emit(\"hello\", \"world\")",
                        n -> n.call("op", "emit", "event", "hello", "args", List.of("world")),
                        s -> s.emit("hello", "world")),
                new Call("io.to(\"room1\").emit(\"bin\", [1,2,3])",
                        n -> n.call("op", "emit", "to", List.of("room1"), "event", "bin", "args", List.of(new byte[]{1, 2, 3})),
                        s -> s.to("room1").emit("bin", (Object) new byte[]{1, 2, 3})),
                new Call("io.of(\"/custom\").except(\"r2\").volatile.emit(\"x\", {a: 1})",
                        n -> n.call("op", "emit", "nsp", "/custom", "except", List.of("r2"), "volatile", true,
                                "event", "x", "args", List.of(Map.of("a", 1))),
                        s -> s.of("/custom").except("r2").asVolatile().emit("x", Map.of("a", 1))),
                new Call("io.socketsJoin(\"r3\")",
                        n -> n.call("op", "socketsJoin", "rooms", List.of("r3")),
                        s -> s.socketsJoin("r3")),
                new Call("io.in(\"r3\").socketsLeave(\"r4\")",
                        n -> n.call("op", "socketsLeave", "to", List.of("r3"), "rooms", List.of("r4")),
                        s -> s.in("r3").socketsLeave("r4")),
                new Call("io.disconnectSockets(true)",
                        n -> n.call("op", "disconnectSockets", "close", true),
                        s -> s.disconnectSockets(true)),
                new Call("io.serverSideEmit(\"ping\", 1, [1,2,3])",
                        n -> n.call("op", "serverSideEmit", "event", "ping", "args", List.of(1, new byte[]{1, 2, 3})),
                        s -> s.serverSideEmit("ping", 1, new byte[]{1, 2, 3})),
                new Call("io.fetchSockets()",
                        n -> n.call("op", "fetchSockets", "noWait", true),
                        s -> s.fetchSockets()),
                new Call("io.timeout(300).emitWithAck(\"q\")",
                        n -> n.call("op", "emit", "event", "q", "ackTimeout", SHORT_TIMEOUT.toMillis(), "noWait", true),
                        s -> s.timeout(SHORT_TIMEOUT).emitWithAck("q")));
    }

    @Test
    void sockeyeSendsTheCommandsOfTheStreamsAdapter() {
        List<Call> calls = calls();
        // A second subscriber of the public channel, so that fetchSockets is sent at all.
        try (Capture extraNode = new Capture(client).subscribe("socket.io#/#");
             ChildProcess monitor = ChildProcess.command(RedisServer.executable("redis-cli"), "-p",
                     String.valueOf(redis.port()), "monitor").name("redis-monitor").start()) {
            monitor.awaitLine("^OK", Duration.ofSeconds(10));

            List<String> fromNode;
            List<String> nodeUids;
            try (NodePeer peer = NodePeer.start(redis.uri(), "streams", SHORT_TIMEOUT, "/", "/custom")) {
                fromNode = run(calls, monitor, call -> call.node().accept(peer));
                nodeUids = List.of(peer.uid("/"), peer.uid("/custom"));
            }

            RedisStreamsAdapterFactory factory = RedisStreamsAdapterFactory.connect(client,
                    RedisStreamsAdapterOptions.builder().requestsTimeout(SHORT_TIMEOUT).build());
            SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).build());
            List<String> fromSockeye;
            List<String> sockeyeUids = new ArrayList<>();
            try {
                io.of("/custom");
                for (String nsp : List.of("/", "/custom")) {
                    RedisStreamsAdapter adapter = factory.adapter(nsp);
                    assertThat(adapter.ready()).succeedsWithin(Duration.ofSeconds(30));
                    sockeyeUids.add(adapter.uid());
                }
                fromSockeye = run(calls, monitor, call -> call.sockeye().accept(io));
            } finally {
                io.close();
                factory.close();
            }

            for (int i = 0; i < calls.size(); i++) {
                assertThat(normalize(fromSockeye.get(i), sockeyeUids)).as("command of %s", calls.get(i).name())
                        .isEqualTo(normalize(fromNode.get(i), nodeUids));
            }
        }
    }

    /** Makes each call and takes the command it sent. */
    private static List<String> run(List<Call> calls, ChildProcess monitor, Consumer<Call> make) {
        List<String> sent = new ArrayList<>();
        for (Call call : calls) {
            int seen = sentCommands(monitor).size();
            make.accept(call);
            await().atMost(Duration.ofSeconds(30)).until(() -> sentCommands(monitor).size() > seen);
            sent.add(sentCommands(monitor).get(seen));
        }
        return sent;
    }

    private static List<String> sentCommands(ChildProcess monitor) {
        List<String> out = new ArrayList<>();
        for (String line : monitor.lines()) {
            var match = SENT.matcher(line);
            if (match.find()) {
                out.add("\"" + match.group(1) + "\" " + match.group(2));
            }
        }
        return out;
    }

    /** The command with node uids replaced by same-length placeholders and request ids blanked. */
    private static String normalize(String command, List<String> uids) {
        String text = command;
        for (String uid : uids) {
            text = text.replace(uid, "U".repeat(uid.length()));
        }
        return REQUEST_ID.matcher(text).replaceAll("requestId\\\\xb0RRRRRRRRRRRRRRRR");
    }
}
