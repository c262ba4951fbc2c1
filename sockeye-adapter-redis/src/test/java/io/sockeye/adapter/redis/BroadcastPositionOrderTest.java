package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.RecordingNamespace;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.HistoryBudget;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classic adapter's shared stream positions one node's broadcasts in the order they were made,
 * also when Redis does not know the positioning script (a fresh or restarted Redis, {@code SCRIPT
 * FLUSH}). The window is driven explicitly: the node's one pipelined connection is held at Redis by a
 * blocking pop, so the broadcasts are queued there before Redis runs the first of them, and another
 * client loads the script between two of them, as another node of the cluster would.
 */
class BroadcastPositionOrderTest {

    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Larger than the other commands held at Redis together, so that seeing it queued shows they all are. */
    private static final String BULK = "x".repeat(4000);

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private RedisServer redis;
    private RedisClient client;
    private RedisCommands<String, String> admin;
    private RedisAdapterFactory factory;
    private ClassicRedisAdapter adapter;
    private RecoveryBackend backend;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        RedisAdapterOptions options = RedisAdapterOptions.defaults().toBuilder()
                .commandTimeout(Duration.ofSeconds(60)).build();
        client = RedisClient.create(resources, redis.uri());
        client.setOptions(RedisAdapterFactory.clientOptions(options));
        admin = client.connect(StringCodec.UTF8).sync();
        factory = RedisAdapterFactory.classic(client, options);
        RecordingNamespace namespace = new RecordingNamespace("/");
        adapter = (ClassicRedisAdapter) factory.create(namespace);
        backend = adapter.recovery(new RecoveryContext("/", ConnectionStateRecovery.of(WINDOW, true),
                new HistoryBudget(HistoryBounds.DEFAULT_MAX_BYTES), SockeyeMetrics.NOOP, Duration.ofSeconds(1),
                options.scheduler()));
        namespace.attach(adapter);
        assertThat(adapter.init()).succeedsWithin(PATIENCE);
    }

    @AfterEach
    void stop() {
        factory.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }

    @Test
    void aBroadcastMadeBeforeRedisKnewTheScriptKeepsALowerPositionThanALaterOne() {
        CompletableFuture<String> first = heldBroadcasts("first");
        CompletableFuture<String> second = broadcast("second", BULK);
        releaseFirstThenLoadTheScriptElsewhereThenReleaseTheRest();

        long firstPosition = sequence(first);
        long secondPosition = sequence(second);
        assertThat(firstPosition).isLessThan(secondPosition);
        assertThat(readAfter(first.join())).containsExactly("second");
    }

    @Test
    void broadcastsSentWhileRedisLostItsScriptsAreAllPositionedInTheirOrder() {
        String before = broadcast("before", "").orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        admin.scriptFlush();
        CompletableFuture<String> one = heldBroadcasts("one");
        CompletableFuture<String> two = broadcast("two", "");
        CompletableFuture<String> three = broadcast("three", "");
        admin.lpush("gate-1", "go");
        admin.lpush("gate-2", "go");

        assertThat(List.of(sequence(one), sequence(two), sequence(three))).isSorted().doesNotHaveDuplicates();
        assertThat(readAfter(before)).containsExactly("one", "two", "three");
    }

    @Test
    void aBroadcastOvertakenWhileRedisLostItsScriptsFailsInsteadOfTakingALaterPosition() {
        String before = broadcast("before", "").orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        admin.scriptFlush();
        CompletableFuture<String> overtaken = heldBroadcasts("overtaken");
        CompletableFuture<String> second = broadcast("second", BULK);
        releaseFirstThenLoadTheScriptElsewhereThenReleaseTheRest();
        CompletableFuture<String> third = broadcast("third", "");

        long secondPosition = sequence(second);
        assertThat(sequence(third)).isGreaterThan(secondPosition);
        assertThat(overtaken).failsWithin(PATIENCE).withThrowableThat().havingRootCause()
                .isInstanceOf(RedisUnavailableException.class).withMessageContaining("later call ran");
        assertThat(readAfter(before)).containsExactly("second", "third");
    }

    /**
     * Holds the node's publishing connection at Redis ({@code BLPOP gate-1}), then makes a broadcast
     * that waits behind it, then a second hold ({@code BRPOP gate-2}) for what comes after.
     */
    private CompletableFuture<String> heldBroadcasts(String first) {
        adapter.bus.execute("hold", c -> c.blpop(0, bytes("gate-1")));
        CompletableFuture<String> made = broadcast(first, "");
        adapter.bus.execute("hold", c -> c.brpop(0, bytes("gate-2")));
        return made;
    }

    /**
     * Lets Redis run the first held broadcast once the second one is queued there too (so it is sent
     * before any retry of the first), waits until Redis ran it and holds at {@code gate-2}, loads the
     * script as another node would, then lets the rest run.
     */
    private void releaseFirstThenLoadTheScriptElsewhereThenReleaseTheRest() {
        await().atMost(PATIENCE).until(() -> heldClient("blpop", BULK.length()));
        admin.lpush("gate-1", "go");
        await().atMost(PATIENCE).until(() -> heldClient("brpop", 0));
        admin.scriptLoad(publishScript());
        admin.lpush("gate-2", "go");
    }

    /** Whether a client is blocked at {@code command} with at least {@code queued} bytes of commands waiting. */
    private boolean heldClient(String command, int queued) {
        for (String line : admin.clientList().split("\n")) {
            if (line.contains(" flags=b ") && line.contains(" cmd=" + command + " ")
                    && Integer.parseInt(line.replaceAll(".* qbuf=(\\d+) .*", "$1").trim()) >= queued) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<String> broadcast(String event, String data) {
        List<Object> args = data.isEmpty() ? List.of(event) : List.of(event, data);
        return adapter.broadcastWithOffset(SocketPacket.event("/", args), BroadcastOptions.to(Set.of("r")));
    }

    private long sequence(CompletableFuture<String> offset) {
        String value = offset.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        return OffsetFormat.STANDARD.parse(value).sequence();
    }

    /** The events of room r's history after {@code offset}, in their order. */
    private List<String> readAfter(String offset) {
        StreamPosition after = OffsetFormat.STANDARD.parse(offset);
        HistoryRead read = backend.history().read(HistoryQuery.room(after, "r", 100)).join();
        assertThat(read.status()).isEqualTo(HistoryRead.Status.OK);
        return read.entries().stream().map(e -> e.packet().text().replaceAll("^2\\[\"([^\"]+)\".*", "$1")).toList();
    }

    private static String publishScript() {
        String name = "/io/sockeye/adapter/redis/internal/publish.lua";
        try (InputStream in = BroadcastPositionOrderTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
