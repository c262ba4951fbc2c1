package io.sockeye.tests.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.json.JSONException;
import org.json.JSONObject;

import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java socket.io clients ({@code io.socket:socket.io-client}) for one test: a Manager each, no
 * reconnection, closed together. Every wait has a deadline and says what it waited for.
 *
 * <p>They share an HTTP client of their own. The Java client's default one is shared by the whole JVM and runs at
 * most 5 HTTP requests per host at once (WebSockets aside): each polling client's parked GET counts, and so does
 * any request to 127.0.0.1 that another test's server left unanswered, so this test's POSTs (its emits) could
 * queue behind them until its waits time out.
 */
final class Clients implements AutoCloseable {

    static final long WAIT_SECONDS = 10;

    private final String url;
    private final List<Socket> sockets = new ArrayList<>();
    private final OkHttpClient http;

    Clients(String url) {
        this.url = url;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequestsPerHost(dispatcher.getMaxRequests());
        // A poll is parked until the server has something to send, a ping at the latest: the Java client's own
        // default allows a minute, where OkHttp's would fail a quiet poll after 10 s.
        http = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(1, TimeUnit.MINUTES).build();
    }

    /** A client not yet connected, sending {@code token} in its handshake auth ({@code null}: none). */
    Socket client(String token, String... transports) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.timeout = WAIT_SECONDS * 1000;
        options.callFactory = http;
        options.webSocketFactory = http;
        options.transports = transports.length == 0 ? new String[] {"websocket"} : transports;
        if (token != null) {
            options.auth = Map.of("token", token);
        }
        try {
            Socket socket = IO.socket(url, options);
            synchronized (sockets) {
                sockets.add(socket);
            }
            return socket;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Socket connect(String token, String... transports) throws Exception {
        Socket socket = client(token, transports);
        CompletableFuture<Void> done = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> done.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> done.completeExceptionally(
                new AssertionError("connect_error: " + (args.length > 0 ? args[0] : "(none)"))));
        socket.connect();
        done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return socket;
    }

    Socket anonymous() throws Exception {
        return connect(null);
    }

    /** Connects expecting a refusal; returns the connect_error's argument ({message, data} from a middleware). */
    Object refused(String token) throws Exception {
        Socket socket = client(token);
        CompletableFuture<Object> error = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> error.completeExceptionally(new AssertionError("connected")));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> error.complete(args.length > 0 ? args[0] : null));
        socket.connect();
        return error.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A middleware refusal: {@code {message, data}}. */
    JSONObject refusedByServer(String token) throws Exception {
        Object error = refused(token);
        assertThat(error).as("connect_error payload").isInstanceOf(JSONObject.class);
        return (JSONObject) error;
    }

    /** Sends a request and returns its one reply object. */
    static JSONObject ask(Socket socket, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, reply::complete);
        Object[] values = reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(values).as("one reply object for %s", event).hasSize(1);
        return (JSONObject) values[0];
    }

    static boolean ok(JSONObject reply) throws JSONException {
        return reply.getBoolean("ok");
    }

    /** The error code of a refused request. */
    static String code(JSONObject reply) throws JSONException {
        assertThat(reply.getBoolean("ok")).as("reply %s", reply).isFalse();
        return reply.getJSONObject("error").getString("code");
    }

    static BlockingQueue<Object[]> record(Socket socket, String event) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        socket.on(event, queue::add);
        return queue;
    }

    static Object[] next(BlockingQueue<Object[]> queue, String what) throws InterruptedException {
        Object[] args = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(args).as("no \"%s\" within %d s", what, WAIT_SECONDS).isNotNull();
        return args;
    }

    static JSONObject publish(String room, String event, Object data) throws JSONException {
        return new JSONObject().put("room", room).put("event", event).put("data", data == null ? JSONObject.NULL : data);
    }

    @Override
    public void close() {
        synchronized (sockets) {
            sockets.forEach(Socket::close);
        }
    }
}
