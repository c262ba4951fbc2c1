package io.sockeye.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.server.SockeyeApplication;
import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.server.config.ConfigLoader;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.json.JSONObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Standalone Sockeye nodes started in this JVM exactly as {@code bin/sockeye} starts them
 * ({@code SockeyeApplication.start(ConfigLoader.load(args))}) on 127.0.0.1 and free ports, all with the
 * same cluster flag, JWT secret, API key and room rules; optionally more nodes as real {@code bin/sockeye}
 * processes with the same settings ({@link #launch}: for what needs a process of its own, such as being
 * killed); plus the Java socket.io clients and HTTP API calls the tests make against them.
 * {@link #close()} closes clients, then nodes.
 */
final class SockeyeCluster implements AutoCloseable {

    static final long WAIT_SECONDS = 30;
    static final String SECRET = "sockeye-cluster-test-secret-0123456789";
    static final String API_KEY = "cluster-api-key";
    /** Every room: members subscribe, publish and see presence; presence events on. */
    static final String RULES = "[{pattern: '*', subscribe: authenticated, publish: authenticated,"
            + " presence: authenticated, presence_enabled: true}]";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SockeyeApplication> nodes = new ArrayList<>();
    private final List<LaunchedServer> processes = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<OkHttpClient> okHttpClients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();

    /** {@code count} nodes started with {@code clusterFlags}, e.g. {@code --redis-url redis://...}. */
    static SockeyeCluster start(int count, String... clusterFlags) {
        SockeyeCluster cluster = new SockeyeCluster();
        try {
            for (int i = 0; i < count; i++) {
                List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--warmup=false"));
                args.addAll(nodeArgs(clusterFlags));
                cluster.nodes.add(SockeyeApplication.start(ConfigLoader.load(args.toArray(String[]::new))));
            }
            if (Arrays.stream(clusterFlags).anyMatch(f -> f.equals("--redis-url") || f.equals("--nats-url"))) {
                cluster.awaitEveryNodeCountsAll();
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Waits until every node counts all of them: a node listens before its subscriptions on the bus are
     * confirmed, and a broadcast published before then does not reach it. A node counts another once
     * it received that node's heartbeat or (Redis) once Redis lists it as a subscriber.
     */
    private void awaitEveryNodeCountsAll() {
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).ignoreExceptions().until(() -> {
            for (SockeyeApplication node : nodes) {
                if (node.io().sockets().serverCount().get(WAIT_SECONDS, TimeUnit.SECONDS) != nodes.size()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** What every node gets: API key, JWT secret, room rules, then {@code clusterFlags}. */
    private static List<String> nodeArgs(String... clusterFlags) {
        List<String> args = new ArrayList<>(List.of("--api-key", API_KEY, "--jwt-secret", SECRET, "--rooms", RULES));
        args.addAll(Arrays.asList(clusterFlags));
        return args;
    }

    /**
     * One more node as a {@code bin/sockeye} process (its pid is the server JVM's: the launcher execs
     * java), with the settings of the others and {@code clusterFlags}; closed with the cluster.
     */
    LaunchedServer launch(Path workDir, String name, String... clusterFlags) {
        LaunchedServer server = LaunchedServer.start(workDir, name, Map.of(), nodeArgs(clusterFlags).toArray(String[]::new));
        processes.add(server);
        return server;
    }

    /** Node {@code i}, counting from 1 as the tests talk about them. */
    SockeyeApplication node(int i) {
        return nodes.get(i - 1);
    }

    String url(int node) {
        return "http://127.0.0.1:" + node(node).port();
    }

    // ---- clients -----------------------------------------------------------------------------

    /** A client of {@code user} connected to {@code url} (websocket unless transports are given). */
    Socket connect(String url, String user, String... transports) throws Exception {
        return connect(url, user, new IO.Options(), transports);
    }

    /**
     * A client that keeps the cookies it is sent and sends them back, as a browser does: what a
     * load balancer pinning sessions by cookie needs. One cookie jar per client.
     */
    Socket connectWithCookies(String url, String user, String... transports) throws Exception {
        OkHttpClient http = new OkHttpClient.Builder().cookieJar(new MemoryCookieJar()).build();
        synchronized (okHttpClients) {
            okHttpClients.add(http);
        }
        IO.Options options = new IO.Options();
        options.callFactory = http;
        options.webSocketFactory = http;
        return connect(url, user, options, transports);
    }

    /**
     * A connection attempt of {@code user} to {@code url} from the local address {@code from} (e.g.
     * {@code 127.0.0.2}: the whole of 127/8 is this machine), sending {@code headers} with every request:
     * completes with the socket, or fails with {@code connect_error: <what the client got>}.
     */
    CompletableFuture<Socket> attemptFrom(String from, String url, String user, Map<String, List<String>> headers,
                                          String... transports) {
        OkHttpClient http = new OkHttpClient.Builder().socketFactory(new BoundSocketFactory(from)).build();
        synchronized (okHttpClients) {
            okHttpClients.add(http);
        }
        IO.Options options = new IO.Options();
        options.callFactory = http;
        options.webSocketFactory = http;
        options.extraHeaders = headers;
        return attempt(url, user, options, transports);
    }

    private Socket connect(String url, String user, IO.Options options, String... transports) throws Exception {
        return attempt(url, user, options, transports).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private CompletableFuture<Socket> attempt(String url, String user, IO.Options options, String... transports) {
        options.forceNew = true;
        options.reconnection = false;
        options.timeout = WAIT_SECONDS * 1000;
        options.transports = transports.length == 0 ? new String[] {"websocket"} : transports;
        options.auth = Map.of("token", token(user));
        Socket socket;
        try {
            socket = IO.socket(url, options);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        synchronized (sockets) {
            sockets.add(socket);
        }
        CompletableFuture<Socket> done = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> done.complete(socket));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> done.completeExceptionally(
                new AssertionError("connect_error: " + (args.length > 0 ? describe(args[0]) : "(none)"))));
        socket.connect();
        return done;
    }

    // A refusal by the server is a JSON object ({message, data}); a failed transport an exception.
    private static String describe(Object error) {
        return error instanceof Exception e ? e.getClass().getSimpleName() + ": " + e.getMessage() : String.valueOf(error);
    }

    /** A client of {@code user} on node {@code node}. */
    Socket connect(int node, String user) throws Exception {
        return connect(url(node), user);
    }

    static String token(String user) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(SECRET));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Sends a client-protocol request and returns its one reply object. */
    static JSONObject ask(Socket socket, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, reply::complete);
        Object[] values = reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(values).as("one reply object for %s", event).hasSize(1);
        return (JSONObject) values[0];
    }

    static void subscribe(Socket socket, String room) throws Exception {
        JSONObject reply = ask(socket, "subscribe", room);
        assertThat(reply.getBoolean("ok")).as("subscribe %s: %s", room, reply).isTrue();
    }

    static JSONObject publishRequest(String room, String event, Object data) throws Exception {
        return new JSONObject().put("room", room).put("event", event).put("data", data);
    }

    static BlockingQueue<Object[]> record(Socket socket, String event) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        socket.on(event, queue::add);
        return queue;
    }

    static Object[] next(BlockingQueue<Object[]> queue, String what) throws InterruptedException {
        Object[] args = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(args).as("no %s within %d s", what, WAIT_SECONDS).isNotNull();
        return args;
    }

    /** Every client subscribes to {@code room}; then each publishes in turn and every client, itself included, gets it. */
    static void everyoneHearsEveryone(List<Socket> clients, String room) throws Exception {
        for (Socket s : clients) {
            subscribe(s, room);
        }
        List<BlockingQueue<Object[]>> inboxes = clients.stream().map(s -> record(s, "chat")).toList();
        for (Socket sender : clients) {
            String text = "from " + clients.indexOf(sender);
            JSONObject sent = ask(sender, "publish", publishRequest(room, "chat", text));
            assertThat(sent.getBoolean("ok")).as("%s", sent).isTrue();
            for (BlockingQueue<Object[]> inbox : inboxes) {
                assertThat(next(inbox, "chat " + text)[0]).isEqualTo(text);
            }
        }
    }

    // ---- HTTP API ----------------------------------------------------------------------------

    /** Calls the HTTP API of {@code node}; returns status and JSON body. */
    ApiReply api(int node, String method, String path, String body) throws Exception {
        return api(url(node), method, path, body);
    }

    ApiReply api(String baseUrl, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(WAIT_SECONDS))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new ApiReply(response.statusCode(), JSON.readTree(response.body()));
    }

    record ApiReply(int status, JsonNode body) {
    }

    /** The value of the unlabelled sample {@code name} in {@code node}'s {@code /metrics}, or null when absent. */
    Double metric(int node, String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(node) + "/metrics"))
                .timeout(Duration.ofSeconds(WAIT_SECONDS))
                .header("Authorization", "Bearer " + API_KEY)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("/metrics of node %d", node).isEqualTo(200);
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.valueOf(line.substring(name.length() + 1).trim());
            }
        }
        return null;
    }

    /** The count of {@code room} in a {@code GET /api/rooms} reply body, 0 when it is not listed. */
    static int roomCount(JsonNode roomsReply, String room) {
        for (JsonNode r : roomsReply.get("rooms")) {
            if (r.get("room").asText().equals(room)) {
                return r.get("count").asInt();
            }
        }
        return 0;
    }

    /** Cookies by name, whatever the host or path: each test client talks to one address. */
    private static final class MemoryCookieJar implements CookieJar {
        private final Map<String, Cookie> cookies = new ConcurrentHashMap<>();

        @Override
        public void saveFromResponse(HttpUrl url, List<Cookie> received) {
            received.forEach(c -> cookies.put(c.name(), c));
        }

        @Override
        public List<Cookie> loadForRequest(HttpUrl url) {
            return List.copyOf(cookies.values());
        }
    }

    @Override
    public void close() {
        synchronized (sockets) {
            sockets.forEach(Socket::close);
        }
        synchronized (okHttpClients) {
            okHttpClients.forEach(c -> c.dispatcher().executorService().shutdown());
        }
        processes.forEach(LaunchedServer::close);
        for (SockeyeApplication node : nodes) {
            node.close();
        }
    }
}
