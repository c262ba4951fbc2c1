package io.sockeye.server.admin;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code @socket.io/admin-ui} namespace against a real Java socket.io client: authentication
 * (plain and bcrypt), {@code session}, {@code config}, periodic {@code server_stats}, the UI's
 * commands, and read-only mode.
 */
class AdminUiNamespaceTest {

    private static final long WAIT_SECONDS = 30;

    private SocketIoServer io;
    private NettyFrontend server;
    private AdminUiNamespace adminUi;
    private final List<Socket> clients = new ArrayList<>();

    private void start(AdminUiOptions options) {
        io = SocketIoServer.create(ServerOptions.defaults());
        io.onConnection(socket -> socket.on("ping-me", (args, ack) -> ack.send("pong")));
        adminUi = AdminUiNamespace.install(io, options.withStatsInterval(Duration.ofMillis(200)));
        server = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
    }

    @BeforeEach
    void defaults() {
        // each test starts its own server
    }

    @AfterEach
    void stop() {
        clients.forEach(Socket::close);
        if (adminUi != null) {
            adminUi.close();
        }
        if (server != null) {
            server.close();
        }
        if (io != null) {
            io.close();
        }
    }

    /** A client that records every event it gets (name + first argument). */
    private record Recorder(Socket socket, BlockingQueue<Object[]> events, CompletableFuture<Object> outcome) {

        Object next(String event) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                Object[] e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e[0].equals(event)) {
                    return e.length > 1 ? e[1] : null;
                }
            }
            throw new AssertionError("no " + event + " within " + WAIT_SECONDS + " s");
        }
    }

    private Recorder connect(String nsp, Map<String, String> auth) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        if (auth != null) {
            options.auth = auth;
        }
        Socket socket = IO.socket(java.net.URI.create("http://127.0.0.1:" + server.port() + nsp), options);
        clients.add(socket);
        BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        for (String name : List.of("session", "config", "server_stats")) {
            socket.on(name, args -> events.add(new Object[] {name, args.length > 0 ? args[0] : null}));
        }
        socket.once(Socket.EVENT_CONNECT, args -> outcome.complete("connected"));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(args[0]));
        socket.connect();
        return new Recorder(socket, events, outcome);
    }

    private static List<String> strings(JSONArray array) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.length(); i++) {
            out.add(array.getString(i));
        }
        return out;
    }

    @Test
    void connectsWithCredentialsAndReceivesSessionConfigAndServerStats() throws Exception {
        start(AdminUiOptions.of(AdminCredentials.of("admin", "s3cret")));
        Recorder ui = connect("/admin", Map.of("username", "admin", "password", "s3cret"));
        assertThat(ui.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        assertThat((String) ui.next("session")).hasSizeGreaterThanOrEqualTo(16);
        JSONObject config = (JSONObject) ui.next("config");
        assertThat(strings(config.getJSONArray("supportedFeatures"))).containsExactly(
                "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS");
        JSONObject first = (JSONObject) ui.next("server_stats");
        for (String key : List.of("serverId", "hostname", "pid", "uptime", "clientsCount", "pollingClientsCount",
                "aggregatedEvents", "namespaces")) {
            assertThat(first.has(key)).as(key).isTrue();
        }
        assertThat(first.getLong("pid")).isEqualTo(ProcessHandle.current().pid());

        Recorder user = connect("/", null);
        assertThat(user.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");

        // The periodic stats follow: two clients, one socket on "/", and its connection counted once.
        long connections = 0;
        JSONObject stats = null;
        for (int i = 0; i < 10 && (connections == 0 || stats.getInt("clientsCount") != 2); i++) {
            stats = (JSONObject) ui.next("server_stats");
            JSONArray aggregated = stats.getJSONArray("aggregatedEvents");
            for (int j = 0; j < aggregated.length(); j++) {
                JSONObject e = aggregated.getJSONObject(j);
                assertThat(e.getLong("timestamp") % 1000).isZero();
                if (e.getString("type").equals("rawConnection")) {
                    connections += e.getLong("count");
                }
            }
        }
        assertThat(connections).isEqualTo(1);
        assertThat(stats.getInt("clientsCount")).isEqualTo(2);
        assertThat(stats.getInt("pollingClientsCount")).isZero();
        JSONArray namespaces = stats.getJSONArray("namespaces");
        assertThat(namespaces.length()).isEqualTo(2);
        assertThat(namespaces.getJSONObject(0).getString("name")).isEqualTo("/");
        assertThat(namespaces.getJSONObject(0).getInt("socketsCount")).isEqualTo(1);
        assertThat(namespaces.getJSONObject(1).getString("name")).isEqualTo("/admin");
        assertThat(namespaces.getJSONObject(1).getInt("socketsCount")).isEqualTo(1);
    }

    @Test
    void wrongPasswordGetsConnectErrorInvalidCredentials() throws Exception {
        start(AdminUiOptions.of(AdminCredentials.of("admin", "s3cret")));
        Recorder ui = connect("/admin", Map.of("username", "admin", "password", "wrong"));
        Object error = ui.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(JSONObject.class);
        assertThat(((JSONObject) error).getString("message")).isEqualTo("invalid credentials");

        Recorder noAuth = connect("/admin", null);
        assertThat(((JSONObject) noAuth.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).getString("message"))
                .isEqualTo("invalid credentials");
    }

    @Test
    void acceptsABcryptHashAndASessionIdOnReconnection() throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2b", "hunter2".toCharArray(), salt, 6);
        start(AdminUiOptions.of(AdminCredentials.of("admin", hash)));

        Recorder ui = connect("/admin", Map.of("username", "admin", "password", "hunter2"));
        assertThat(ui.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        String session = (String) ui.next("session");

        Recorder again = connect("/admin", Map.of("sessionId", session));
        assertThat(again.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        Recorder forged = connect("/admin", Map.of("sessionId", "not-a-session"));
        assertThat(forged.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(JSONObject.class);
        assertThat(new String(hash.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).startsWith("$2b$06$");
    }

    @Test
    void commandsJoinEmitLeaveAndDisconnectTheSelectedSockets() throws Exception {
        start(AdminUiOptions.of(AdminCredentials.of("admin", "s3cret")));
        Recorder user = connect("/", null);
        assertThat(user.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        user.socket().on("announce", args -> received.add(args[0]));
        CompletableFuture<Object> disconnected = new CompletableFuture<>();
        user.socket().on(Socket.EVENT_DISCONNECT, args -> disconnected.complete(args[0]));
        Recorder ui = connect("/admin", Map.of("username", "admin", "password", "s3cret"));
        assertThat(ui.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        String id = user.socket().id();
        io.sockeye.core.Socket serverSide = io.sockets().socket(id);

        ui.socket().emit("join", "/", "vip", id);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> serverSide.rooms().contains("vip"));

        ui.socket().emit("emit", "/", "vip", "announce", "hello vips");
        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello vips");

        ui.socket().emit("leave", "/", "vip", id);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !serverSide.rooms().contains("vip"));

        // A namespace the server does not report is ignored rather than created.
        ui.socket().emit("emit", "/nowhere", null, "announce", "lost");
        ui.socket().emit("_disconnect", "/", false, id);
        assertThat(disconnected.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
        assertThat(received).isEmpty();
    }

    @Test
    void readonlyModeAdvertisesNoActionsAndIgnoresCommands() throws Exception {
        start(AdminUiOptions.of(AdminCredentials.of("admin", "s3cret")).withReadonly(true));
        Recorder user = connect("/", null);
        assertThat(user.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        Recorder ui = connect("/admin", Map.of("username", "admin", "password", "s3cret"));
        assertThat(ui.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");
        JSONObject config = (JSONObject) ui.next("config");
        assertThat(strings(config.getJSONArray("supportedFeatures"))).containsExactly("AGGREGATED_EVENTS");

        String id = user.socket().id();
        ui.socket().emit("join", "/", "vip", id);
        // A later round trip on the same connection proves the join was processed (and ignored).
        CompletableFuture<Object> pong = new CompletableFuture<>();
        user.socket().emit("ping-me", new Object[0], args -> pong.complete(args[0]));
        assertThat(pong.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("pong");
        ui.next("server_stats");
        assertThat(io.sockets().socket(id).rooms()).doesNotContain("vip");
    }
}
