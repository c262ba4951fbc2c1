package io.sockeye.tests.interop;

import io.socket.client.Ack;
import io.socket.client.AckWithTimeout;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java client {@code io.socket:socket.io-client:2.1.2} (Socket.IO v4 / Engine.IO v4) against
 * Sockeye running {@link InteropApp}, over WebSocket only, long-polling only, and the default
 * (polling, then upgrade). JSON values arrive as {@code org.json} objects and binary as {@code byte[]}.
 */
@DisplayName("Java socket.io-client 2.1.2 against Sockeye")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaClientInteropTest {

    private static final long WAIT_SECONDS = 30;

    private InteropServer server;
    private final List<Socket> sockets = new ArrayList<>();
    private static final Map<Socket, String> disconnectReasons = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() {
        server = InteropServer.start();
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        sockets.forEach(disconnectReasons::remove);
        if (server != null) {
            server.close();
        }
    }

    // ---- transports -----------------------------------------------------------------------------

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void connectsAndSendsItsAuth(String transports) throws Exception {
        IO.Options options = options(transports);
        options.auth = Map.of("token", "123");
        Socket socket = socket("/", options);
        BlockingQueue<Object[]> auth = record(socket, "auth");
        connect(socket);

        JSONObject received = (JSONObject) next(auth, "auth")[0];
        assertThat(received.getString("token")).isEqualTo("123");
        assertThat(received.length()).isEqualTo(1);
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void endsUpOnTheExpectedTransport(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        String expected = transports.equals("polling") ? "polling" : "websocket";
        // The default client upgrades after connecting, so ask until the server reports the upgrade.
        await("server-side transport " + expected).atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .until(() -> ask(socket, "which-transport")[0], expected::equals);
    }

    // ---- events and acks ------------------------------------------------------------------------

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void receivesTheServersEvent(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        BlockingQueue<Object[]> back = record(socket, "message-back");
        socket.emit("message", 1, "2", new JSONObject().put("3", new JSONArray().put(true)));

        Object[] args = next(back, "message-back");
        assertThat(args).hasSize(3);
        assertThat(args[0]).isEqualTo(1);
        assertThat(args[1]).isEqualTo("2");
        assertThat(((JSONObject) args[2]).getJSONArray("3").getBoolean(0)).isTrue();
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling", "default"})
    void getsTheServersAckForItsEmit(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        Object[] reply = ask(socket, "message-with-ack", 42, "text", new JSONObject().put("k", "v"));

        assertThat(reply).hasSize(3);
        assertThat(reply[0]).isEqualTo(42);
        assertThat(reply[1]).isEqualTo("text");
        assertThat(((JSONObject) reply[2]).getString("k")).isEqualTo("v");
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void answersTheServersEmitWithAck(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        socket.on("server-question", args -> {
            Ack callback = (Ack) args[args.length - 1];
            callback.call(json("doubled", ((Integer) args[0]) * 2));
        });
        BlockingQueue<Object[]> answer = record(socket, "server-got-answer");
        socket.emit("ask-me", 21, 5000);

        assertThat(((JSONObject) next(answer, "server-got-answer")[0]).getInt("doubled")).isEqualTo(42);
    }

    @Test
    void ackWithTimeoutFiresWhenTheServerNeverAcks() throws Exception {
        Socket socket = connect(socket("/", options("websocket")));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        socket.emit("never-ack", new Object[] {1}, new AckWithTimeout(300) {
            @Override
            public void onSuccess(Object... args) {
                outcome.complete("acked");
            }

            @Override
            public void onTimeout() {
                outcome.complete("timed out");
            }
        });
        assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("timed out");
        assertThat(ask(socket, "message-with-ack", "after timeout")).containsExactly("after timeout");
    }

    // ---- binary ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void echoesBinaryNestedInJson(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        JSONObject nested = new JSONObject()
                .put("file", new byte[] {1, 2, 3})
                .put("list", new JSONArray().put(new byte[] {4}).put("text"));
        Object[] reply = ask(socket, "message-with-ack", nested, new byte[] {(byte) 0xff});

        JSONObject back = (JSONObject) reply[0];
        assertThat((byte[]) back.get("file")).containsExactly(1, 2, 3);
        assertThat((byte[]) back.getJSONArray("list").get(0)).containsExactly(4);
        assertThat(back.getJSONArray("list").getString(1)).isEqualTo("text");
        assertThat((byte[]) reply[1]).containsExactly(0xff);
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void serverDecodesJavaClientBinaryAsByteArrays(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        Object[] reply = ask(socket, "describe", new JSONObject().put("file", new byte[] {10, 11}), new byte[0]);

        JSONArray description = (JSONArray) reply[0];
        assertThat(description.getJSONObject(0).getString("file")).isEqualTo("bytes:0a0b");
        assertThat(description.getString(1)).isEqualTo("bytes:");
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void receivesBinaryFromTheServer(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        BlockingQueue<Object[]> binary = record(socket, "binary");
        socket.emit("binary-from-server");

        Object[] args = next(binary, "binary");
        JSONObject payload = (JSONObject) args[0];
        assertThat((byte[]) payload.get("single")).containsExactly(1, 2, 3);
        assertThat((byte[]) payload.getJSONArray("list").get(0)).containsExactly(4, 5);
        assertThat(payload.getJSONArray("list").getString(1)).isEqualTo("text");
        assertThat((byte[]) payload.getJSONArray("list").get(2)).isEmpty();
        assertThat((byte[]) payload.getJSONObject("nested").get("deep")).containsExactly(0xff, 0);
        assertThat((byte[]) args[1]).containsExactly(6);
    }

    // ---- namespaces and middleware --------------------------------------------------------------

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void connectsToACustomNamespace(String transports) throws Exception {
        IO.Options options = options(transports);
        options.auth = Map.of("token", "abc");
        Socket socket = socket("/custom", options);
        BlockingQueue<Object[]> auth = record(socket, "auth");
        connect(socket);

        assertThat(((JSONObject) next(auth, "auth")[0]).getString("token")).isEqualTo("abc");
        assertThat(ask(socket, "which-namespace")).containsExactly("/custom");
    }

    @Test
    void multiplexesTwoNamespacesOverOneConnection() throws Exception {
        IO.Options options = options("websocket");
        options.forceNew = false; // sockets of one Manager share its Engine.IO connection
        Socket main = IO.socket(server.url(), options);
        sockets.add(main);
        Socket custom = main.io().socket("/custom");
        sockets.add(custom);
        connect(main);
        connect(custom);

        assertThat(main.id()).isNotEqualTo(custom.id());
        assertThat(ask(main, "which-namespace")).containsExactly("/");
        assertThat(ask(custom, "which-namespace")).containsExactly("/custom");
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void unknownNamespaceIsRefused(String transports) throws Exception {
        Socket socket = socket("/random", options(transports));
        BlockingQueue<Object[]> error = record(socket, Socket.EVENT_CONNECT_ERROR);
        socket.connect();

        JSONObject err = (JSONObject) next(error, "connect_error")[0];
        assertThat(err.getString("message")).isEqualTo("Invalid namespace");
        assertThat(socket.connected()).isFalse();
    }

    @Test
    void middlewareRefusalCarriesMessageAndData() throws Exception {
        IO.Options options = options("websocket");
        options.auth = Map.of("token", "wrong");
        Socket socket = socket("/private", options);
        BlockingQueue<Object[]> error = record(socket, Socket.EVENT_CONNECT_ERROR);
        socket.connect();

        JSONObject err = (JSONObject) next(error, "connect_error")[0];
        assertThat(err.getString("message")).isEqualTo("not authorized");
        assertThat(err.getJSONObject("data").getString("reason")).isEqualTo("bad token");
        assertThat(err.getJSONObject("data").getString("token")).isEqualTo("wrong");
    }

    @Test
    void middlewareLetsTheRightTokenThrough() throws Exception {
        IO.Options options = options("polling");
        options.auth = Map.of("token", "secret");
        Socket socket = socket("/private", options);
        BlockingQueue<Object[]> welcome = record(socket, "welcome");
        connect(socket);

        assertThat(((JSONObject) next(welcome, "welcome")[0]).getString("namespace")).isEqualTo("/private");
    }

    // ---- disconnect -----------------------------------------------------------------------------

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void clientDisconnectIsReportedOnBothSides(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        String id = socket.id();
        BlockingQueue<Object[]> disconnect = record(socket, Socket.EVENT_DISCONNECT);
        socket.disconnect();

        assertThat(next(disconnect, "disconnect")[0]).isEqualTo("io client disconnect");
        assertThat(serverDisconnectReason(id)).isEqualTo("client namespace disconnect");
    }

    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void serverDisconnectIsReportedOnBothSides(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        String id = socket.id();
        BlockingQueue<Object[]> disconnect = record(socket, Socket.EVENT_DISCONNECT);
        socket.emit("kick-me");

        assertThat(next(disconnect, "disconnect")[0]).isEqualTo("io server disconnect");
        assertThat(socket.connected()).isFalse();
        assertThat(serverDisconnectReason(id)).isEqualTo("server namespace disconnect");
    }

    /**
     * A server shutdown sends no Socket.IO DISCONNECT, so this client must report a transport-level
     * reason, never "io server disconnect". Which one depends on this client, not on the server: over
     * WebSocket it ignores the server's close frame (its OkHttp listener has no onClosing, so the close
     * handshake never completes) and only notices the silence, "ping timeout"; over polling it sees
     * either the close packet ("transport close") or the failed long-poll ("transport error"). The
     * same client reports the same reasons against socket.io 4.8 itself.
     */
    @ParameterizedTest(name = "transports {0}")
    @ValueSource(strings = {"websocket", "polling"})
    void serverShutdownIsNoticedAsATransportLevelDisconnect(String transports) throws Exception {
        Socket socket = connect(socket("/", options(transports)));
        BlockingQueue<Object[]> disconnect = record(socket, Socket.EVENT_DISCONNECT);
        socket.emit("server:restart");

        assertThat(next(disconnect, "disconnect")[0]).isIn("transport close", "transport error", "ping timeout");
        assertThat(server.restartFailure()).isNull();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Options for one test: a Manager of its own, no reconnection, the given transports ("default" = both). */
    private static IO.Options options(String transports) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.timeout = WAIT_SECONDS * 1000;
        if (!transports.equals("default")) {
            options.transports = new String[] {transports};
        }
        return options;
    }

    private Socket socket(String nsp, IO.Options options) throws URISyntaxException {
        Socket socket = IO.socket(server.url() + nsp, options);
        sockets.add(socket);
        // Kept for failure messages: a missing ack usually means the connection went away, and why.
        socket.on(Socket.EVENT_DISCONNECT, args -> disconnectReasons.put(socket, String.valueOf(args.length > 0 ? args[0] : null)));
        return socket;
    }

    /** Connects and waits for the CONNECT answer; a connect_error fails with the server's message. */
    private static Socket connect(Socket socket) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new AssertionError("connect_error: " + (args.length > 0 ? args[0] : "(no detail)"))));
        socket.connect();
        try {
            connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no connect (and no connect_error) within " + WAIT_SECONDS + " s", e);
        }
        return socket;
    }

    /** Records every occurrence of {@code event}, in order. */
    private static BlockingQueue<Object[]> record(Socket socket, String event) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        socket.on(event, queue::add);
        return queue;
    }

    private static Object[] next(BlockingQueue<Object[]> queue, String what) throws InterruptedException {
        Object[] args = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(args).as("no \"%s\" within %d s", what, WAIT_SECONDS).isNotNull();
        return args;
    }

    /** Emits with an ack and returns the ack's arguments. */
    private static Object[] ask(Socket socket, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, reply::complete);
        try {
            return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no ack for \"" + event + "\" within " + WAIT_SECONDS + " s; the socket is "
                    + (socket.connected() ? "still connected" : "disconnected (" + disconnectReasons.get(socket) + ")"), e);
        }
    }

    /** The server-side reason InteropApp recorded for socket {@code id}, asked through a fresh socket. */
    private String serverDisconnectReason(String id) throws Exception {
        Socket probe = connect(socket("/", options("websocket")));
        try {
            return await("server-side disconnect reason of " + id).atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                    .until(() -> {
                        Object reason = ask(probe, "disconnect-reason", id)[0];
                        return reason == null || reason == JSONObject.NULL ? null : reason.toString();
                    }, reason -> reason != null);
        } finally {
            probe.close();
        }
    }

    /** A one-key JSON object; org.json 20090211 declares JSONException checked, which listeners cannot throw. */
    private static JSONObject json(String key, Object value) {
        try {
            return new JSONObject().put(key, value);
        } catch (JSONException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
