package io.sockeye.server.rooms;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.server.api.HttpApi;
import io.sockeye.server.auth.JwtSettings;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.config.RecoverySettings;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.limits.HandshakeLimiter;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.testkit.ManualClock;
import org.json.JSONObject;

import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rooms service on a real Sockeye server (ephemeral port) with its HTTP API and handshake limiter,
 * time under the test's control ({@link ManualClock}), HS256 tokens, and real Java socket.io clients.
 */
public final class RoomsHarness implements AutoCloseable {

    public static final String SECRET = "rooms-harness-secret-0123456789abcdef";
    public static final String API_KEY = "test-api-key";
    public static final long WAIT_SECONDS = 30;

    public final ManualClock clock = ManualClock.startingNow();
    public final SocketIoServer io;
    public final RoomsService rooms;
    public final NettyFrontend http;
    private final TokenVerifier verifier;
    private final List<Socket> clients = new ArrayList<>();

    private RoomsHarness(List<RoomRule> rules, boolean allowAnonymous, LimitsSettings limits, String apiKey) {
        // Connection state recovery and room history on, as the standalone server has them by default.
        io = SocketIoServer.create(ServerOptions.builder()
                .connectionStateRecovery(RecoverySettings.defaults().options()).build());
        verifier = new TokenVerifier(JwtSettings.hmac(SECRET));
        rooms = new RoomsService(io, new Permissions(rules, allowAnonymous), verifier, limits, clock);
        rooms.install();
        http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io)
                .fallback(HttpRouter.of(new HttpApi(rooms, apiKey, limits)))
                .handshakeFilter(new HandshakeLimiter(limits, clock, rooms.stats()))
                .build().start();
    }

    public static RoomsHarness anonymous() {
        return new RoomsHarness(List.of(), true, LimitsSettings.defaults(), API_KEY);
    }

    public static RoomsHarness anonymous(LimitsSettings limits) {
        return new RoomsHarness(List.of(), true, limits, API_KEY);
    }

    public static RoomsHarness withRules(List<RoomRule> rules) {
        return new RoomsHarness(rules, false, LimitsSettings.defaults(), API_KEY);
    }

    public static RoomsHarness withRules(List<RoomRule> rules, LimitsSettings limits) {
        return new RoomsHarness(rules, false, limits, API_KEY);
    }

    public static RoomsHarness withApiKey(String apiKey) {
        return new RoomsHarness(List.of(), true, LimitsSettings.defaults(), apiKey);
    }

    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    // ---- tokens -----------------------------------------------------------------------------------

    /** An HS256 token for {@code sub}, valid for {@code ttl} of real time, with an optional {@code rooms} claim. */
    public static String token(String sub, Duration ttl, Map<String, Object> roomsClaim) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub)
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(ttl)));
            if (roomsClaim != null) {
                claims.claim("rooms", roomsClaim);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(SECRET));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String token(String sub) {
        return token(sub, Duration.ofHours(1), null);
    }

    // ---- clients ----------------------------------------------------------------------------------

    /** A client that is not connected yet; {@code token} null for none. */
    public Socket client(String token) {
        IO.Options options = websocketOptions();
        if (token != null) {
            options.auth = Map.of("token", token);
        }
        try {
            Socket socket = IO.socket(url(), options);
            synchronized (clients) {
                clients.add(socket);
            }
            return socket;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options of every test client: a new WebSocket-only connection, no reconnection. */
    public static IO.Options websocketOptions() {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.timeout = WAIT_SECONDS * 1000;
        options.transports = new String[] {"websocket"};
        return options;
    }

    /** A connected client; fails the test on connect_error. */
    public Socket connect(String token) throws Exception {
        return connected(client(token));
    }

    public Socket connectAnonymous() throws Exception {
        return connect(null);
    }

    public static Socket connected(Socket socket) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> done.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> done.completeExceptionally(
                new AssertionError("connect_error: " + (args.length > 0 ? args[0] : "(none)"))));
        socket.connect();
        done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return socket;
    }

    /** Connects and expects a connect_error; returns its payload {message, data}. */
    public static JSONObject connectError(Socket socket) throws Exception {
        CompletableFuture<JSONObject> error = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> error.completeExceptionally(new AssertionError("connected")));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> error.complete((JSONObject) args[0]));
        socket.connect();
        return error.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Emits a request with an ack and returns the one reply object. */
    public static JSONObject ask(Socket socket, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, reply::complete);
        Object[] values = reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(values).as("a request is answered with exactly one object").hasSize(1);
        return (JSONObject) values[0];
    }

    /** The error code of a refused request's reply; fails the test if the reply is {@code ok}. */
    public static String errorCode(JSONObject reply) throws Exception {
        assertThat(reply.getBoolean("ok")).as("reply %s", reply).isFalse();
        return reply.getJSONObject("error").getString("code");
    }

    /** Records every occurrence of {@code event}. */
    public static BlockingQueue<Object[]> record(Socket socket, String event) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        socket.on(event, queue::add);
        return queue;
    }

    public static Object[] next(BlockingQueue<Object[]> queue, String what) throws InterruptedException {
        Object[] args = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(args).as("no \"%s\" within %d s", what, WAIT_SECONDS).isNotNull();
        return args;
    }

    public static JSONObject publishRequest(String room, String event, Object data) throws Exception {
        return new JSONObject().put("room", room).put("event", event).put("data", data == null ? JSONObject.NULL : data);
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(Socket::close);
        }
        http.close();
        rooms.close();
        verifier.close();
    }
}
