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
import io.sockeye.server.config.ConfigLoader;
import org.json.JSONObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Standalone Sockeye nodes started in this JVM exactly as {@code bin/sockeye} starts them
 * ({@code SockeyeApplication.start(ConfigLoader.load(args))}) on 127.0.0.1 and free ports, all with the
 * same cluster flag, JWT secret, API key and room rules; plus the Java socket.io clients and HTTP API
 * calls the tests make against them. {@link #close()} closes clients, then nodes.
 */
final class SockeyeCluster implements AutoCloseable {

    static final long WAIT_SECONDS = 10;
    static final String SECRET = "sockeye-cluster-test-secret-0123456789";
    static final String API_KEY = "cluster-api-key";
    /** Every room: members subscribe, publish and see presence; presence events on. */
    static final String RULES = "[{pattern: '*', subscribe: authenticated, publish: authenticated,"
            + " presence: authenticated, presence_enabled: true}]";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<SockeyeApplication> nodes = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();

    /** {@code count} nodes started with {@code clusterFlags}, e.g. {@code --redis-url redis://...}. */
    static SockeyeCluster start(int count, String... clusterFlags) {
        SockeyeCluster cluster = new SockeyeCluster();
        try {
            for (int i = 0; i < count; i++) {
                List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0",
                        "--api-key", API_KEY, "--jwt-secret", SECRET, "--rooms", RULES));
                args.addAll(Arrays.asList(clusterFlags));
                cluster.nodes.add(SockeyeApplication.start(ConfigLoader.load(args.toArray(String[]::new))));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
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
        IO.Options options = new IO.Options();
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> done.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> done.completeExceptionally(
                new AssertionError("connect_error: " + (args.length > 0 ? args[0] : "(none)"))));
        socket.connect();
        done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return socket;
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

    @Override
    public void close() {
        synchronized (sockets) {
            sockets.forEach(Socket::close);
        }
        for (SockeyeApplication node : nodes) {
            node.close();
        }
    }
}
