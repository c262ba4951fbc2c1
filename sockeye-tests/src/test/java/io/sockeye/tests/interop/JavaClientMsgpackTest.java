package io.sockeye.tests.interop;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.client.msgpack.MsgpackParser;
import io.sockeye.core.Parser;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java client {@code io.socket:socket.io-client} 2.1.2 with {@code sockeye-client-msgpack}'s parser,
 * against Sockeye ({@code parser} msgpack and auto, {@link InteropApp}) and against a Node.js socket.io
 * 4.8 server with socket.io-msgpack-parser ({@code src/test/node/msgpack/server.mjs}, the same handlers),
 * on WebSocket and on long-polling: events, acks both ways, binary, namespaces.
 */
@DisplayName("Java socket.io-client 2.1.2 with the msgpack parser")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaClientMsgpackTest {

    private static final long WAIT_SECONDS = 30;

    /** A server under test, closed after each test. */
    private interface Target extends AutoCloseable {
        String url();

        @Override
        void close();
    }

    private final List<Socket> sockets = new ArrayList<>();
    private Target target;

    static Stream<Arguments> targets() {
        List<Arguments> all = new ArrayList<>();
        for (String server : List.of("sockeye msgpack", "sockeye auto", "node")) {
            for (String transport : List.of("websocket", "polling")) {
                all.add(Arguments.of(server, transport));
            }
        }
        return all.stream();
    }

    private void start(String server) {
        target = switch (server) {
            case "sockeye msgpack" -> sockeye(Parser.MSGPACK);
            case "sockeye auto" -> sockeye(Parser.AUTO);
            default -> node();
        };
    }

    private static Target sockeye(Parser parser) {
        InteropServer app = InteropServer.start(InteropApp.options().toBuilder().parser(parser).build());
        return new Target() {
            public String url() {
                return app.url();
            }

            public void close() {
                app.close();
            }
        };
    }

    private static Target node() {
        NodeRunner.ensureInstalled(NodeMsgpackClientTest.PROJECT);
        ChildProcess process = NodeRunner.script(NodeMsgpackClientTest.PROJECT, "server.mjs")
                .name("node-msgpack-server").start();
        MatchResult ready = process.awaitLine("READY (\\d+)", Duration.ofSeconds(30));
        String url = "http://127.0.0.1:" + ready.group(1);
        return new Target() {
            public String url() {
                return url;
            }

            public void close() {
                process.close();
            }
        };
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        if (target != null) {
            target.close();
        }
    }

    private Socket connect(String nsp, String transport) throws Exception {
        IO.Options options = MsgpackParser.use(IO.Options.builder()
                .setTransports(new String[] {transport})
                .setForceNew(true)
                .setReconnection(false)
                .build());
        Socket socket = IO.socket(URI.create(target.url() + nsp), options);
        sockets.add(socket);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new AssertionError("connect_error: " + args[0])));
        socket.connect();
        connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return socket;
    }

    private static Object[] ask(Socket socket, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, (Ack) reply::complete);
        return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static BlockingQueue<Object[]> record(Socket socket, String event) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        socket.on(event, queue::add);
        return queue;
    }

    private static Object[] next(BlockingQueue<Object[]> queue, String event) throws InterruptedException {
        Object[] args = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(args).as("event %s within %d s", event, WAIT_SECONDS).isNotNull();
        return args;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("targets")
    void eventsAndAcksCarryEveryKindOfValue(String server, String transport) throws Exception {
        start(server);
        Socket socket = connect("/", transport);
        Object[] reply = ask(socket, "message-with-ack", 42, "text", 2.5, true, JSONObject.NULL, 1L << 40,
                new JSONObject().put("k", new JSONArray().put(1).put("v")), new Date(1700000000123L));

        assertThat(reply).hasSize(8);
        assertThat(reply[0]).isEqualTo(42);
        assertThat(reply[1]).isEqualTo("text");
        assertThat(reply[2]).isEqualTo(2.5);
        assertThat(reply[3]).isEqualTo(true);
        assertThat(reply[4] == null || reply[4] == JSONObject.NULL).as("null, got %s", reply[4]).isTrue();
        assertThat(reply[5]).isEqualTo(1L << 40);
        assertThat(((JSONObject) reply[6]).getJSONArray("k").getString(1)).isEqualTo("v");
        assertThat(reply[7]).isEqualTo(new Date(1700000000123L));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("targets")
    void binaryTravelsInlineBothWays(String server, String transport) throws Exception {
        start(server);
        Socket socket = connect("/", transport);
        JSONArray described = (JSONArray) ask(socket, "describe",
                new JSONObject().put("file", new byte[] {10, 11}), new byte[0])[0];
        assertThat(described.getJSONObject(0).getString("file")).isEqualTo("bytes:0a0b");
        assertThat(described.getString(1)).isEqualTo("bytes:");

        BlockingQueue<Object[]> binary = record(socket, "binary");
        Object[] ack = ask(socket, "binary-from-server");
        Object[] args = next(binary, "binary");
        JSONObject payload = (JSONObject) args[0];
        assertThat((byte[]) payload.get("single")).containsExactly(1, 2, 3);
        assertThat((byte[]) payload.getJSONArray("list").get(0)).containsExactly(4, 5);
        assertThat((byte[]) payload.getJSONArray("list").get(2)).isEmpty();
        assertThat((byte[]) payload.getJSONObject("nested").get("deep")).containsExactly(0xff, 0);
        assertThat((byte[]) args[1]).containsExactly(6);
        assertThat((byte[]) ((JSONObject) ack[0]).get("ack")).containsExactly(7, 7, 7);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("targets")
    void answersTheServersEmitWithAck(String server, String transport) throws Exception {
        start(server);
        Socket socket = connect("/", transport);
        socket.on("server-question", args -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("doubled", ((Integer) args[0]) * 2);
            answer.put("raw", new byte[] {9});
            ((Ack) args[args.length - 1]).call(new JSONObject(answer));
        });
        BlockingQueue<Object[]> answer = record(socket, "server-got-answer");
        socket.emit("ask-me", 21, 5000);

        JSONObject got = (JSONObject) next(answer, "server-got-answer")[0];
        assertThat(got.getInt("doubled")).isEqualTo(42);
        assertThat((byte[]) got.get("raw")).containsExactly(9);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("targets")
    void namespacesAndRooms(String server, String transport) throws Exception {
        start(server);
        Socket custom = connect("/custom", transport);
        assertThat(ask(custom, "which-namespace")).containsExactly("/custom");

        Socket other = connect("/custom", transport);
        ask(custom, "join", "room");
        ask(other, "join", "room");
        BlockingQueue<Object[]> news = record(other, "news");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("via", "io");
        spec.put("to", new JSONArray().put("room"));
        spec.put("event", "news");
        spec.put("data", new JSONObject().put("raw", new byte[] {1}));
        spec.put("marker", 1);
        ask(custom, "broadcast", new JSONObject(spec));
        assertThat((byte[]) ((JSONObject) next(news, "news")[0]).get("raw")).containsExactly(1);
    }
}
