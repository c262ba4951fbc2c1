package io.sockeye.tests.gateway;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.tests.cluster.BusProcess;
import io.sockeye.tests.gateway.BrokerReaders.Received;
import io.sockeye.tests.server.Tokens;
import io.sockeye.testkit.KafkaBroker;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client publishes and rpc calls forwarded by a launched {@code bin/sockeye} into a real Kafka broker
 * (KRaft, started from Maven Central's {@code kafka_2.13}), a real NATS JetStream and a real Redis, read back
 * by consumer groups; then each broker killed and restarted: meanwhile publishes are answered
 * {@code unavailable} and not broadcast, and every publish answered {@code ok} is in the broker.
 */
@DisplayName("gateway: forwarding into Kafka, NATS JetStream and Redis Streams (bin/sockeye)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BrokerForwardingEndToEndTest {

    private static final long WAIT = 30;
    private static final Duration READ = Duration.ofSeconds(30);
    private static final String API_KEY = "forwarding-test-key";
    private static final String SECRET = "forwarding-test-secret-0123456789abcdef";

    @TempDir
    static Path dir;
    private static KafkaBroker kafka;
    private static BusProcess nats;
    private static BusProcess redis;
    private static LaunchedServer server;
    /** Ids of every publish answered ok, per room: each must be in every broker. */
    private static final Set<String> acked = new LinkedHashSet<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start(Path.of("..").toAbsolutePath().normalize(), Files.createDirectories(dir.resolve("kafka")));
        nats = BusProcess.natsJetStream(Files.createDirectories(dir.resolve("nats")));
        redis = BusProcess.redisDurable(Files.createDirectories(dir.resolve("redis")));
        server = LaunchedServer.start(Files.createDirectories(dir.resolve("sockeye")), "sockeye-forwarding", Map.of(),
                "--api-key", API_KEY, "--forward-timeout", "3s", "--jwt-secret", SECRET, "--allow-anonymous",
                "--forward-kafka-brokers", kafka.bootstrap(), "--forward-kafka-topics", "chat:*=chat-events",
                "--forward-kafka-rpc-topic", "commands",
                "--forward-nats-url", nats.url(), "--forward-nats-rooms", "chat:*", "--forward-nats-rpc-subject", "commands",
                "--forward-redis-url", redis.url(), "--forward-redis-streams", "chat:*=chat-stream",
                "--forward-redis-rpc-stream", "commands");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server, kafka, nats, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private Socket connect() throws Exception {
        return connect(null);
    }

    /** A connection as {@code user} (a JWT), or anonymous when null. */
    private Socket connect(String user) throws Exception {
        IO.Options options = new IO.Options();
        if (user != null) {
            options.auth = Map.of("token", Tokens.hs256(SECRET, user, Duration.ofHours(1), c -> { }));
        }
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        Socket socket = IO.socket(server.url(), options);
        sockets.add(socket);
        return GatewayClients.connected(socket, WAIT);
    }

    private static JSONObject ask(Socket socket, String event, Object arg) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, new Object[] {arg}, reply::complete);
        return (JSONObject) reply.get(WAIT, TimeUnit.SECONDS)[0];
    }

    private static JSONObject publish(Socket socket, String text) throws Exception {
        JSONObject reply = ask(socket, "publish", new JSONObject().put("room", "chat:lobby").put("event", "said").put("data", text));
        if (reply.getBoolean("ok")) {
            synchronized (acked) {
                acked.add(reply.getString("id"));
            }
        }
        return reply;
    }

    private static Set<String> ids(List<Received> received) {
        Set<String> ids = new LinkedHashSet<>();
        received.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static java.util.function.Predicate<List<Received>> holdsAll(Set<String> wanted) {
        return list -> ids(list).containsAll(wanted);
    }

    @Test
    @Order(1)
    void everyBrokerGetsEachPublishBeforeItsAckAndConsumerGroupsReadThem() throws Exception {
        Socket alice = connect();
        assertThat(ask(alice, "subscribe", "chat:lobby").getBoolean("ok")).isTrue();
        BlockingQueue<Object[]> said = new LinkedBlockingQueue<>();
        alice.on("said", said::add);
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < 20; i++) {
            JSONObject reply = publish(alice, "message " + i);
            assertThat(reply.getBoolean("ok")).as("reply %s", reply).isTrue();
            ids.add(reply.getString("id"));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(said.poll(WAIT, TimeUnit.SECONDS)).as("broadcast %d", i).isNotNull();
        }

        List<Received> fromKafka = BrokerReaders.kafka(kafka.bootstrap(), "chat-events", "store", READ, holdsAll(ids));
        assertThat(ids(fromKafka)).containsAll(ids);
        Received k = fromKafka.get(0);
        assertThat(k.key()).isEqualTo("chat:lobby");
        assertThat(k.headers()).containsKeys("sockeye-client", "sockeye-id").containsEntry("sockeye-type", "publish");
        assertThat(k.headers().get("sockeye-id")).isEqualTo(k.id());
        assertThat(k.event()).containsEntry("room", "chat:lobby").containsEntry("event", "said")
                .containsEntry("data", "message 0").containsEntry("client", alice.id());

        List<Received> fromNats = BrokerReaders.nats(nats.url(), "sockeye.rooms.>", "store", READ, holdsAll(ids));
        assertThat(ids(fromNats)).containsAll(ids);
        assertThat(fromNats.get(0).key()).as("subject").isEqualTo("sockeye.rooms.chat:lobby");
        assertThat(fromNats.get(0).headers()).containsEntry("Nats-Msg-Id", fromNats.get(0).id());

        List<Received> fromRedis = BrokerReaders.redis(redis.url(), "chat-stream", "store", READ, holdsAll(ids));
        assertThat(ids(fromRedis)).containsAll(ids);
        assertThat(fromRedis.get(0).event()).containsEntry("room", "chat:lobby").containsEntry("data", "\"message 0\"");
    }

    @Test
    @Order(2)
    void rpcCallsAreForwardedAndAcknowledged() throws Exception {
        Socket bob = connect("bob");
        JSONObject reply = ask(bob, "rpc", new JSONObject().put("method", "orders.create").put("data", new JSONObject().put("sku", 7)));
        assertThat(reply.getBoolean("ok")).as("reply %s", reply).isTrue();
        assertThat(reply.isNull("result")).as("no rpc proxy: the result is null once the brokers took it").isTrue();
        java.util.function.Predicate<List<Received>> one = list -> !list.isEmpty();
        Received k = BrokerReaders.kafka(kafka.bootstrap(), "commands", "workers", READ, one).get(0);
        assertThat(k.key()).isEqualTo("orders.create");
        assertThat(k.event()).containsEntry("type", "rpc").containsEntry("method", "orders.create").containsEntry("data", Map.of("sku", 7))
                .containsEntry("user", "bob").containsEntry("client", bob.id());
        assertThat(k.headers()).containsEntry("sockeye-user", "bob").containsEntry("sockeye-client", bob.id())
                .containsEntry("sockeye-type", "rpc");
        Received n = BrokerReaders.nats(nats.url(), "commands", "workers", READ, one).get(0);
        assertThat(n.event()).containsEntry("method", "orders.create");
        assertThat(n.headers()).containsEntry("Sockeye-User", "bob").containsEntry("Sockeye-Client", bob.id());
        assertThat(BrokerReaders.redis(redis.url(), "commands", "workers", READ, one).get(0).event())
                .containsEntry("method", "orders.create").containsEntry("data", "{\"sku\":7}").containsEntry("user", "bob");
    }

    @Test
    @Order(3)
    void redisDownAndBack() throws Exception {
        downAndBack("redis", redis::kill, redis::restart);
    }

    @Test
    @Order(4)
    void natsDownAndBack() throws Exception {
        downAndBack("nats", nats::kill, nats::restart);
    }

    @Test
    @Order(5)
    void kafkaDownAndBack() throws Exception {
        downAndBack("kafka", kafka::kill, kafka::restart);
    }

    @Test
    @Order(6)
    void noAcknowledgedPublishIsLost() {
        Set<String> all;
        synchronized (acked) {
            all = new LinkedHashSet<>(acked);
        }
        assertThat(ids(BrokerReaders.kafka(kafka.bootstrap(), "chat-events", "audit", READ, holdsAll(all)))).containsAll(all);
        try {
            assertThat(ids(BrokerReaders.nats(nats.url(), "sockeye.rooms.>", "audit", READ, holdsAll(all)))).containsAll(all);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(ids(BrokerReaders.redis(redis.url(), "chat-stream", "audit", READ, holdsAll(all)))).containsAll(all);
    }

    /**
     * With the broker killed, a publish is answered {@code unavailable}, is not broadcast, and is counted;
     * once the broker is back, publishes are answered {@code ok} again (within its reconnect delay).
     */
    private void downAndBack(String broker, Runnable kill, Runnable restart) throws Exception {
        Socket carol = connect();
        assertThat(ask(carol, "subscribe", "chat:lobby").getBoolean("ok")).isTrue();
        BlockingQueue<Object[]> said = new LinkedBlockingQueue<>();
        carol.on("said", said::add);
        double errors = metric("sockeye_forward_errors_total", "broker=\"" + broker + "\"");
        kill.run();
        JSONObject reply = publish(carol, "while " + broker + " is down");
        assertThat(reply.getBoolean("ok")).as("reply %s", reply).isFalse();
        assertThat(reply.getJSONObject("error").getString("code")).isEqualTo("unavailable");
        assertThat(metric("sockeye_forward_errors_total", "broker=\"" + broker + "\"")).isGreaterThan(errors);
        restart.run();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> publish(carol, "after " + broker + " is back").getBoolean("ok"));
        Object[] first = said.poll(WAIT, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first[0]).as("the refused publish was never broadcast").isEqualTo("after " + broker + " is back");
        carol.close();
    }

    private static double metric(String name, String label) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
                .header("Authorization", "Bearer " + API_KEY).build();
        String text = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(text);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
