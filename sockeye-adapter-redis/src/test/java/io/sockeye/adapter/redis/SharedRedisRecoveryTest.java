package io.sockeye.adapter.redis;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.RecordingNamespace;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.HistoryBudget;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HistoryRead.Status;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.OffsetPlaceholder;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The classic Redis adapter's shared recovery stores against a real redis-server, where the kit cannot
 * reach: a Redis that lost its state, the exact prune watermark of a room, logs and sessions expired
 * by Redis itself.
 */
class SharedRedisRecoveryTest {

    private static final Duration WINDOW = Duration.ofMinutes(2);

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private final List<RedisAdapterFactory> factories = new ArrayList<>();
    private RedisServer redis;
    private RedisClient client;
    private RedisCommands<String, String> admin;
    private ClassicRedisAdapter adapter;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        client = RedisClient.create(resources, redis.uri());
        admin = client.connect(StringCodec.UTF8).sync();
    }

    @AfterEach
    void stop() {
        factories.forEach(RedisAdapterFactory::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }

    private RecoveryBackend backend(HistoryBounds bounds) {
        RedisAdapterOptions options = RedisAdapterOptions.defaults();
        RedisAdapterFactory factory = RedisAdapterFactory.classic(client, options);
        factories.add(factory);
        RecordingNamespace namespace = new RecordingNamespace("/");
        adapter = (ClassicRedisAdapter) factory.create(namespace);
        RecoveryBackend backend = adapter.recovery(new RecoveryContext("/", ConnectionStateRecovery.of(WINDOW, true)
                .withHistory(bounds), new HistoryBudget(HistoryBounds.DEFAULT_MAX_BYTES), SockeyeMetrics.NOOP,
                Duration.ofSeconds(1), options.scheduler()));
        namespace.attach(adapter);
        assertThat(adapter.init()).succeedsWithin(Duration.ofSeconds(30));
        return backend;
    }

    /**
     * Broadcasts to the whole namespace, which this node delivers whatever rooms it has (a room's
     * broadcasts reach only nodes with members in it), and waits until it delivered that broadcast:
     * the {@code count}-th after {@code start}, Redis numbering them in the order this node's scripts
     * ran. Waiting for exactly that position, since the head moves once per delivered broadcast.
     */
    private StreamPosition settle(RecoveryBackend backend, StreamPosition start, int count) {
        adapter.broadcast(SocketPacket.event("/", List.of("marker")), BroadcastOptions.ALL);
        StreamPosition expected = new StreamPosition(start.epoch(), start.sequence() + count);
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.history().head().equals(expected));
        return expected;
    }

    private static HistoryRead read(RecoveryBackend backend, StreamPosition after, String room) {
        return backend.history().read(HistoryQuery.room(after, room, 100)).join();
    }

    @Test
    void aFlushedRedisStartsANewEpochSoOffsetsOfTheOldOneNeverRecover() {
        RecoveryBackend backend = backend(HistoryBounds.defaults(WINDOW));
        StreamPosition start = backend.history().head();
        adapter.broadcast(SocketPacket.event("/", List.of("before")), BroadcastOptions.to(Set.of("r")));
        StreamPosition old = settle(backend, start, 2);
        assertThat(read(backend, StreamPosition.start(old.epoch()), "r").entries()).hasSize(1);

        admin.flushall();
        adapter.broadcast(SocketPacket.event("/", List.of("after")), BroadcastOptions.ALL);
        await().atMost(Duration.ofSeconds(30)).until(() -> !backend.history().head().sameEpoch(old));

        assertThat(read(backend, old, "r").status()).isEqualTo(Status.OTHER_EPOCH);
        assertThat(read(backend, backend.history().head(), "r").status()).isEqualTo(Status.OK);
    }

    @Test
    void aRoomsWatermarkIsTheHighestEvictedSequenceSoAnIdleReaderStillRecovers() {
        RecoveryBackend backend = backend(HistoryBounds.defaults(WINDOW).withMaxEntriesPerRoom(2));
        StreamPosition start = backend.history().head();
        adapter.broadcast(SocketPacket.event("/", List.of("m", 1)), BroadcastOptions.to(Set.of("r")));
        adapter.broadcast(SocketPacket.event("/", List.of("m", 2)), BroadcastOptions.to(Set.of("r")));
        adapter.broadcast(SocketPacket.event("/", List.of("m", 3)), BroadcastOptions.to(Set.of("r"))); // evicts m 1
        StreamPosition head = settle(backend, start, 4);

        assertThat(read(backend, start, "r").status()).isEqualTo(Status.PRUNED);
        HistoryRead afterFirst = read(backend, new StreamPosition(start.epoch(), start.sequence() + 1), "r");
        assertThat(afterFirst.status()).isEqualTo(Status.OK);
        assertThat(afterFirst.entries()).hasSize(2);
        assertThat(afterFirst.through()).isEqualTo(head);
    }

    @Test
    void aLogExpiredByRedisStillRefusesToHideWhatItHeld() {
        RecoveryBackend backend = backend(HistoryBounds.defaults(Duration.ofMillis(300)));
        StreamPosition start = backend.history().head();
        adapter.broadcast(SocketPacket.event("/", List.of("gone")), BroadcastOptions.to(Set.of("r")));
        StreamPosition head = settle(backend, start, 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.exists("{socket.io#/}:r:r") == 0);

        assertThat(read(backend, start, "r").status()).isEqualTo(Status.PRUNED);
        assertThat(read(backend, head, "r").status()).isEqualTo(Status.OK);
    }

    @Test
    void aVolatileBroadcastTakesAPositionButIsNeverReplayed() {
        RecoveryBackend backend = backend(HistoryBounds.defaults(WINDOW));
        StreamPosition start = backend.history().head();
        adapter.broadcast(SocketPacket.event("/", List.of("fleeting")),
                BroadcastOptions.to(Set.of("r")).withFlags(BroadcastFlags.NONE.withVolatile(true)));
        settle(backend, start, 2);

        HistoryRead read = read(backend, start, "r");
        assertThat(read.status()).isEqualTo(Status.OK);
        assertThat(read.entries()).isEmpty();
        assertThat(read.through().sequence()).isEqualTo(start.sequence() + 2);
    }

    @Test
    void anOffsetPlaceholderAmongTheArgumentsBecomesTheOffsetInTheMessageRedisKeeps() {
        RecoveryBackend backend = backend(HistoryBounds.defaults(WINDOW));
        StreamPosition start = backend.history().head();
        adapter.broadcast(SocketPacket.event("/", List.of("m", Map.of("offset", OffsetPlaceholder.VALUE))),
                BroadcastOptions.to(Set.of("r")));
        settle(backend, start, 2);

        String offset = OffsetFormat.STANDARD.format(new StreamPosition(start.epoch(), start.sequence() + 1));
        String kept = admin.xrange("{socket.io#/}:r:r", Range.create("-", "+")).get(0).getBody().get("m");
        assertThat(kept).doesNotContain(OffsetPlaceholder.VALUE);
        assertThat(kept.split(java.util.regex.Pattern.quote(offset), -1)).as("the offset in the map and as last argument")
                .hasSize(3);
    }

    @Test
    void anExpiredSessionIsNeverClaimed() {
        RecoveryBackend backend = backend(HistoryBounds.defaults(WINDOW));
        SessionRecord record = new SessionRecord("pid", "sid", "/", Map.of("r", 0L), Map.of(),
                backend.history().head(), "i", 0);
        backend.sessions().save(record, Duration.ofMillis(50)).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.exists("socket.io:session:pid") == 0);

        assertThat(backend.sessions().claim("pid").join().claimed()).isFalse();
    }
}
