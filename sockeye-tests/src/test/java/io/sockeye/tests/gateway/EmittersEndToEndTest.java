package io.sockeye.tests.gateway;

import io.lettuce.core.RedisClient;
import io.nats.client.Nats;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.emitter.SockeyeEmitter;
import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.tests.cluster.BusProcess;
import io.sockeye.tests.server.Tokens;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodePeer;
import io.sockeye.testkit.NodeRunner;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
 * The way back from the backends without HTTP: the npm {@code @socket.io/redis-emitter} and the Java
 * {@code sockeye-emitter} reach the clients of a two-node cluster of launched {@code bin/sockeye} (Redis),
 * and {@code sockeye-emitter} the clients of a two-node NATS cluster: room emits (plain socket.io arguments),
 * standalone-shaped publishes ({@code (data, meta)}), joins, and disconnecting a user on every node.
 */
@DisplayName("gateway: emitters reaching a two-node cluster (Redis: Node and Java emitters; NATS: Java)")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmittersEndToEndTest {

    private static final String SECRET = "emitters-end-to-end-secret-0123456789";
    private static final long WAIT = 30;

    @TempDir
    Path dir;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private LaunchedServer node(String name, String... bus) {
        List<String> args = new ArrayList<>(List.of("--jwt-secret", SECRET, "--allow-anonymous"));
        args.addAll(List.of(bus));
        return keep(LaunchedServer.start(dir, name, Map.of(), args.toArray(String[]::new)));
    }

    private static String token(String sub) {
        return Tokens.hs256(SECRET, sub, Duration.ofHours(1), c -> { });
    }

    private Socket client(LaunchedServer node, String user, String room) throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        if (user != null) {
            options.auth = Map.of("token", token(user));
        }
        Socket socket = IO.socket(node.url(), options);
        resources.add(socket::close);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, a -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(new AssertionError(a[0])));
        socket.connect();
        connected.get(WAIT, TimeUnit.SECONDS);
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit("subscribe", new Object[] {room}, reply::complete);
        assertThat(((JSONObject) reply.get(WAIT, TimeUnit.SECONDS)[0]).getBoolean("ok")).isTrue();
        return socket;
    }

    private static BlockingQueue<Object[]> record(Socket socket, String event) {
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        socket.on(event, queue::add);
        return queue;
    }

    private static Object[] next(BlockingQueue<Object[]> queue, String what) throws InterruptedException {
        Object[] args = queue.poll(WAIT, TimeUnit.SECONDS);
        assertThat(args).as("no %s within %d s", what, WAIT).isNotNull();
        return args;
    }

    /**
     * The arguments without the trailing offset connection state recovery (on by default in the standalone
     * server) appends where the node positions the broadcast: over NATS each node numbers it in its own
     * history; an emitter's broadcast over Redis pub/sub bypasses the shared stream and comes without one.
     */
    private static Object[] withoutOffset(Object[] args) {
        if (args.length > 0 && args[args.length - 1] instanceof String last && OFFSET.matcher(last).matches()) {
            return java.util.Arrays.copyOf(args, args.length - 1);
        }
        return args;
    }

    private static final java.util.regex.Pattern OFFSET = java.util.regex.Pattern.compile("[0-9a-z]+\\.[0-9]{16}");

    private static BlockingQueue<Object[]> disconnects(Socket socket) {
        return record(socket, Socket.EVENT_DISCONNECT);
    }

    @Test
    void theNodeRedisEmitterReachesClientsOfBothNodes() throws Exception {
        BusProcess redis = keep(BusProcess.redis());
        LaunchedServer one = node("emitter-node-1", "--redis-url", redis.url());
        LaunchedServer two = node("emitter-node-2", "--redis-url", redis.url());
        Socket a = client(one, "alice", "news");
        Socket b = client(two, "bob", "news");
        BlockingQueue<Object[]> atA = record(a, "headline");
        BlockingQueue<Object[]> atB = record(b, "headline");
        BlockingQueue<Object[]> bobGone = disconnects(b);
        redis.awaitRedisNodes(2);

        NodeRunner.ensureInstalled(NodePeer.PROJECT);
        emitFromNode(redis, "{\"to\":\"news\",\"emit\":\"headline\",\"args\":[{\"title\":\"hello\"}]}",
                "{\"to\":\"user:alice\",\"join\":\"vip\"}");
        Object[] first = withoutOffset(next(atA, "headline at node 1"));
        assertThat(first).as("plain socket.io arguments: no meta").hasSize(1);
        assertThat(((JSONObject) first[0]).getString("title")).isEqualTo("hello");
        assertThat(((JSONObject) next(atB, "headline at node 2")[0]).getString("title")).isEqualTo("hello");
        // The join takes effect on alice's connection's own thread: emit until she is in the room.
        BlockingQueue<Object[]> vip = record(a, "vip-only");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            emitFromNode(redis, "{\"to\":\"vip\",\"emit\":\"vip-only\",\"args\":[\"for vips\"]}");
            return vip.poll(200, TimeUnit.MILLISECONDS) != null;
        });
        emitFromNode(redis, "{\"to\":\"user:bob\",\"disconnect\":true}");
        assertThat(next(bobGone, "bob's disconnect")[0]).isEqualTo("io server disconnect");
        assertThat(a.connected()).isTrue();
    }

    private static void emitFromNode(BusProcess redis, String... commands) {
        List<String> args = new ArrayList<>(List.of(redis.url()));
        args.addAll(List.of(commands));
        try (ChildProcess node = NodeRunner.script(NodePeer.PROJECT, "emit.mjs", args.toArray(String[]::new))
                .name("redis-emitter").start()) {
            assertThat(node.awaitExit(Duration.ofSeconds(60))).as(node.tail()).isZero();
        }
    }

    @Test
    void theJavaEmitterReachesClientsOfBothRedisNodes() throws Exception {
        BusProcess redis = keep(BusProcess.redis());
        LaunchedServer one = node("emitter-node-1", "--redis-url", redis.url());
        LaunchedServer two = node("emitter-node-2", "--redis-url", redis.url());
        RedisClient client = RedisClient.create(redis.url());
        resources.add(client::shutdown);
        redis.awaitRedisNodes(2);
        SockeyeEmitter emitter = keep(SockeyeEmitter.redis(client));
        exercise(emitter, one, two);
    }

    @Test
    void theJavaEmitterReachesClientsOfBothNatsNodes() throws Exception {
        BusProcess nats = keep(BusProcess.nats());
        LaunchedServer one = node("emitter-nats-1", "--nats-url", nats.url());
        LaunchedServer two = node("emitter-nats-2", "--nats-url", nats.url());
        io.nats.client.Connection connection = Nats.connect(nats.url());
        resources.add(connection::close);
        SockeyeEmitter emitter = SockeyeEmitter.nats(connection);
        exercise(emitter, one, two);
    }

    /** Publish (standalone shape), emit (plain), join, then disconnect a user; then presence still answers. */
    private void exercise(SockeyeEmitter emitter, LaunchedServer one, LaunchedServer two) throws Exception {
        Socket a = client(one, "carol", "chat:lobby");
        Socket b = client(two, "dave", "chat:lobby");
        BlockingQueue<Object[]> saidA = record(a, "said");
        BlockingQueue<Object[]> saidB = record(b, "said");
        BlockingQueue<Object[]> plainB = record(b, "plain");
        BlockingQueue<Object[]> daveGone = disconnects(b);

        String id = emitter.publish("chat:lobby", "said", Map.of("text", "from the backend")).get(WAIT, TimeUnit.SECONDS);
        Object[] atA = withoutOffset(next(saidA, "said at node 1"));
        Object[] atB = withoutOffset(next(saidB, "said at node 2"));
        assertThat(atA).as("the standalone shape: (data, meta)").hasSize(2);
        JSONObject meta = (JSONObject) atB[1];
        assertThat(meta.getString("id")).isEqualTo(id);
        assertThat(meta.getString("room")).isEqualTo("chat:lobby");
        assertThat(meta.isNull("from")).isTrue();
        assertThat(((JSONObject) atB[0]).getString("text")).isEqualTo("from the backend");

        emitter.to("chat:lobby").except("user:carol").emit("plain", 1, "two").get(WAIT, TimeUnit.SECONDS);
        assertThat(withoutOffset(next(plainB, "plain at node 2"))).containsExactly(1, "two");

        emitter.in("user:carol").socketsJoin("vip").get(WAIT, TimeUnit.SECONDS);
        BlockingQueue<Object[]> vip = record(a, "vip-only");
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> {
            emitter.to("vip").emit("vip-only", "welcome").get(WAIT, TimeUnit.SECONDS);
            return vip.poll(200, TimeUnit.MILLISECONDS) != null;
        });

        emitter.disconnectUser("dave").get(WAIT, TimeUnit.SECONDS);
        assertThat(next(daveGone, "dave's disconnect")[0]).isEqualTo("io server disconnect");
        assertThat(a.connected()).isTrue();

        // The emitter is no node: cluster-wide presence still answers at once.
        CompletableFuture<Object[]> presence = new CompletableFuture<>();
        a.emit("presence", new Object[] {"chat:lobby"}, presence::complete);
        JSONObject reply = (JSONObject) presence.get(WAIT, TimeUnit.SECONDS)[0];
        assertThat(reply.getBoolean("ok")).as("presence %s", reply).isTrue();
        assertThat(reply.getInt("count")).isEqualTo(1);
    }
}
