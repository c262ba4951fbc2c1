package io.sockeye.adapter.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.cluster.codec.RedisStreamsFormat.Session;
import io.sockeye.core.adapter.RecordingNamespace;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.HistoryBudget;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HistoryRead.Status;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.SessionClaim;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The streams adapter's recovery stores against a real redis-server, on entries and sessions written as
 * a Node.js node writes them: bounded history reads, the gaps they refuse to hide, and sessions in the
 * Node.js format with Sockeye's ownership rules. Reads from Redis are pinned with the reader's tail off
 * ({@link #FROM_REDIS}); the tail's own answers, with it on.
 */
class RedisStreamsRecoveryStoreTest {

    private static final Duration WINDOW = Duration.ofMinutes(2);
    /** {@code GET sio:session:yUagLSFRua9sevzqAAAB} as a Node.js node wrote it (client in room1, data {side:"node"}). */
    private static final String NODE_SESSION = "hKNzaWS0bWNQVUxjTkVmVWxuRkVlT0FBQUGjcGlktHlVYWdMU0ZSdWE5c2V2enFBQUFCpXJvb21z"
            + "krRtY1BVTGNORWZVbG5GRWVPQUFBQaVyb29tMaRkYXRhgaRzaWRlpG5vZGU=";

    /** No tail: every read goes to Redis. */
    private static final RedisStreamsAdapterOptions FROM_REDIS = RedisStreamsAdapterOptions.builder()
            .restoreTailEntries(0).build();

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    private RedisServer redis;
    private RedisClient client;
    private RedisCommands<String, String> admin;
    private final List<RedisStreamsAdapterFactory> factories = new ArrayList<>();
    private RedisStreamsAdapter adapter;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        client = RedisClient.create(resources, redis.uri());
        admin = client.connect(StringCodec.UTF8).sync();
    }

    @AfterEach
    void stop() {
        factories.forEach(RedisStreamsAdapterFactory::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }

    private RecoveryBackend backend(String nsp, RedisStreamsAdapterOptions options) {
        RedisStreamsAdapterFactory factory = RedisStreamsAdapterFactory.connect(client, options);
        factories.add(factory);
        RecordingNamespace namespace = new RecordingNamespace(nsp);
        adapter = factory.create(namespace);
        RecoveryBackend backend = adapter.recovery(new RecoveryContext(nsp, ConnectionStateRecovery.of(WINDOW, true),
                new HistoryBudget(HistoryBounds.DEFAULT_MAX_BYTES), SockeyeMetrics.NOOP, Duration.ofSeconds(45), options.scheduler()));
        namespace.attach(adapter);
        assertThat(adapter.init()).succeedsWithin(Duration.ofSeconds(30));
        return backend;
    }

    /** Appends a broadcast entry as a Node.js node does; returns its id. */
    private String append(String nsp, String rooms, String flags, Object... args) {
        StringBuilder data = new StringBuilder("[");
        for (int i = 0; i < args.length; i++) {
            data.append(i == 0 ? "" : ",").append(args[i] instanceof String s ? "\"" + s + "\"" : args[i]);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("uid", "0585fe9b370536bf");
        fields.put("nsp", nsp);
        fields.put("type", "3");
        fields.put("data", "{\"packet\":{\"type\":2,\"data\":" + data + "]},\"opts\":{\"rooms\":[" + rooms
                + "],\"except\":[],\"flags\":{" + flags + "}}}");
        return admin.xadd("socket.io", XAddArgs.Builder.maxlen(10_000).approximateTrimming(), fields);
    }

    private static StreamPosition position(RecoveryBackend backend, String id) {
        return backend.history().offsetFormat().parse(id);
    }

    private static HistoryRead readAll(RecoveryBackend backend, StreamPosition after, String room) {
        return backend.history().read(new HistoryQuery(after, Map.of(room, 0L), true, 1000)).join();
    }

    private long xrangeCalls() {
        return calls("xrange");
    }

    /** How many times Redis ran {@code command} (INFO commandstats). */
    private long calls(String command) {
        String stats = admin.info("commandstats");
        Matcher match = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
        return match.find() ? Long.parseLong(match.group(1)) : 0;
    }

    /** Waits until the node's reader read up to {@code id}. */
    private void readerReached(String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> id.equals(adapter.lastRead()));
    }

    private static List<String> texts(HistoryRead read) {
        return read.entries().stream().map(e -> e.packet().text()).toList();
    }

    @Test
    void aRestoreInsideTheReadersTailIsAnsweredWithoutAnyRedisCommandAndAsRedisWouldAnswerIt() {
        RecoveryBackend fromRedis = backend("/", FROM_REDIS);
        RecoveryBackend fromTail = backend("/", RedisStreamsAdapterOptions.defaults());
        String start = append("/", "\"r\"", "", "m", 0);
        for (int i = 1; i <= 10; i++) {
            append("/", "\"r\"", "", "m", i);
            append("/", "\"elsewhere\"", "", "x", i);
        }
        append("/other", "\"r\"", "", "other-namespace");
        String last = append("/", "\"r\"", "\"volatile\":true", "fleeting");
        readerReached(last);
        admin.configResetstat();

        HistoryRead read = readAll(fromTail, position(fromTail, start), "r");
        HistoryRead page = fromTail.history().read(new HistoryQuery(position(fromTail, start), Map.of("r", 0L), true, 4)).join();
        String stats = admin.info("commandstats");

        assertThat(stats).doesNotContain("cmdstat_xrange").doesNotContain("cmdstat_xinfo");
        assertThat(read.status()).isEqualTo(Status.OK);
        assertThat(read.entries()).hasSize(10);
        assertThat(read.through()).isEqualTo(position(fromTail, last));
        HistoryRead expected = readAll(fromRedis, position(fromRedis, start), "r");
        assertThat(texts(read)).isEqualTo(texts(expected));
        assertThat(texts(page)).isEqualTo(texts(expected).subList(0, 4));
        assertThat(page.more()).isTrue();
    }

    @Test
    void aRestoreOlderThanTheTailReadsTheStreamAndGetsItsAnswer() {
        RecoveryBackend backend = backend("/", RedisStreamsAdapterOptions.builder().restoreTailEntries(3).build());
        String start = append("/", "\"r\"", "", "m", 0);
        String last = start;
        for (int i = 1; i <= 6; i++) {
            last = append("/", "\"r\"", "", "m", i);
        }
        readerReached(last);
        long before = xrangeCalls();

        assertThat(readAll(backend, position(backend, start), "r").entries()).hasSize(6);
        assertThat(xrangeCalls()).isGreaterThan(before);
        StreamPosition ahead = position(backend, last.replaceFirst("^\\d+", String.valueOf(Long.parseLong(last.split("-")[0]) + 1000)));
        assertThat(readAll(backend, ahead, "r").status()).as("after waiting for the reader").isEqualTo(Status.AHEAD);
        admin.xtrim("socket.io", 1);
        assertThat(readAll(backend, position(backend, start), "r").status()).isEqualTo(Status.PRUNED);
    }

    @Test
    void aRestoreArrivingBeforeTheReaderReachedItsOffsetGetsEveryEntryUpToWhereItSaysItIsComplete() {
        RecoveryBackend backend = backend("/", RedisStreamsAdapterOptions.defaults());
        readerReached(append("/", "\"r\"", "", "m", 0));
        for (int round = 0; round < 20; round++) {
            // The offset is an entry just appended by another node: this node's reader may not have read it.
            String offset = append("/", "\"r\"", "", "m", round);
            List<String> owed = List.of(append("/", "\"r\"", "", "a", round), append("/", "\"r\"", "", "b", round));
            HistoryRead read = readAll(backend, position(backend, offset), "r");

            assertThat(read.status()).isEqualTo(Status.OK);
            assertThat(read.through().sequence()).isGreaterThanOrEqualTo(position(backend, offset).sequence());
            // Everything up to "through" (the rest arrives live to a restoring socket, which joined first).
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < owed.size(); i++) {
                if (position(backend, owed.get(i)).sequence() <= read.through().sequence()) {
                    expected.add("2[\"" + (i == 0 ? "a" : "b") + "\"," + round + ",\"" + owed.get(i) + "\"]");
                }
            }
            assertThat(texts(read)).isEqualTo(expected);
        }
    }

    @Test
    void replaysWhatTheRoomsMissedInBoundedPagesWithEntryIdsAsOffsets() {
        RecoveryBackend backend = backend("/", FROM_REDIS.toBuilder().restorePageSize(3).build());
        String start = append("/", "\"r\"", "", "m", 0);
        List<String> owed = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            owed.add(append("/", "\"r\"", "", "m", i));
            append("/", "\"elsewhere\"", "", "x", i);
        }
        append("/other", "\"r\"", "", "other-namespace");
        append("/", "\"r\"", "\"volatile\":true", "fleeting");
        long callsBefore = xrangeCalls();

        HistoryRead read = readAll(backend, position(backend, start), "r");

        assertThat(read.status()).isEqualTo(Status.OK);
        assertThat(read.more()).isFalse();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < owed.size(); i++) {
            texts.add("2[\"m\"," + (i + 1) + ",\"" + owed.get(i) + "\"]");
        }
        assertThat(read.entries()).extracting(e -> e.packet().text()).containsExactlyElementsOf(texts);
        // 23 entries after the offset, 3 per XRANGE: never the rest of the stream in one reply.
        assertThat(xrangeCalls() - callsBefore).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aRestoreThatWouldScanMoreThanItsCapFailsInsteadOfReplayingPart() {
        RecoveryBackend backend = backend("/", FROM_REDIS.toBuilder().restorePageSize(2)
                .restoreMaxEntries(5).build());
        String start = append("/", "\"r\"", "", "m", 0);
        for (int i = 1; i <= 6; i++) {
            append("/", "\"r\"", "", "m", i);
        }
        assertThat(readAll(backend, position(backend, start), "r").status()).isEqualTo(Status.PRUNED);
        String fifthNewest = admin.xrevrange("socket.io", Range.create("-", "+"), Limit.from(5)).get(4).getId();
        assertThat(readAll(backend, position(backend, fifthNewest), "r").entries()).hasSize(4);
    }

    @Test
    void aReadFailsWhenTheStreamLostWhatFollowsTheOffsetOrTheOffsetIsAhead() {
        RecoveryBackend backend = backend("/", FROM_REDIS);
        String first = append("/", "\"r\"", "", "m", 0);
        String second = append("/", "\"r\"", "", "m", 1);
        String third = append("/", "\"r\"", "", "m", 2);
        admin.xtrim("socket.io", 2); // exactly: the first goes

        // The offset's own entry is gone: whatever followed it may have gone too.
        assertThat(readAll(backend, position(backend, first), "r").status()).isEqualTo(Status.PRUNED);
        assertThat(readAll(backend, position(backend, second), "r").entries()).hasSize(1);
        assertThat(readAll(backend, position(backend, third), "r").entries()).isEmpty();
        StreamPosition ahead = position(backend, third.replaceFirst("^\\d+", String.valueOf(Long.parseLong(third.split("-")[0]) + 1000)));
        assertThat(readAll(backend, ahead, "r").status()).isEqualTo(Status.AHEAD);

        admin.flushall(); // Redis lost the stream
        assertThat(readAll(backend, position(backend, third), "r").status()).isEqualTo(Status.PRUNED);
    }

    @Test
    void aSessionANodeNodeSavedIsClaimedWithItsRoomsAndDataButNoStartingPoint() {
        RecoveryBackend backend = backend("/", RedisStreamsAdapterOptions.defaults());
        admin.set("sio:session:yUagLSFRua9sevzqAAAB", NODE_SESSION);

        SessionClaim claim = backend.sessions().claim("yUagLSFRua9sevzqAAAB").join();

        assertThat(claim.claimed()).isTrue();
        SessionRecord record = claim.record();
        assertThat(record.sid()).isEqualTo("mcPULcNEfUlnFEeOAAAA");
        assertThat(record.rooms()).containsOnlyKeys("mcPULcNEfUlnFEeOAAAA", "room1");
        assertThat(record.data()).containsEntry("side", "node");
        assertThat(record.connected()).isFalse();
        assertThat(backend.sessions().claim("yUagLSFRua9sevzqAAAB").join().claimed()).as("claimed once").isFalse();
        // Without an offset, a recovery from it cannot know what the client missed.
        assertThat(backend.history().read(HistoryQuery.room(record.position(), "room1", 10)).join().status())
                .isEqualTo(Status.PRUNED);
    }

    @Test
    void sessionsAreWrittenForTheNodeAdapterAndOnlyTheirOwnerAndNamespaceMayTouchThem() {
        RecoveryBackend chat = backend("/chat", RedisStreamsAdapterOptions.defaults());
        RecoveryBackend admins = backend("/admin", RedisStreamsAdapterOptions.defaults());
        StreamPosition start = chat.history().head();
        SessionRecord mine = new SessionRecord("p1", "s1", "/chat", Map.of("s1", 0L, "r", 0L), Map.of("user", "ada"),
                start, "incarnation-1", 0);
        chat.sessions().save(mine, Duration.ofMinutes(1)).join();

        String value = admin.get("sio:session:p1");
        assertThat(value).isNotNull();
        assertThat(admin.pttl("sio:session:p1")).isBetween(1L, 60_000L);
        // What the Node.js adapter reads: sid, pid, rooms, data.
        Session session = new RedisStreamsFormat(new ClusterMessageCodec(), false)
                .decodeSession(value.getBytes(StandardCharsets.US_ASCII));
        assertThat(session.sid()).isEqualTo("s1");
        assertThat(session.rooms()).containsExactlyInAnyOrder("s1", "r");
        assertThat(session.data()).isEqualTo(Map.of("user", "ada"));

        SessionRecord ghost = new SessionRecord("p1", "s1", "/chat", Map.of("s1", 0L), Map.of(), start, "incarnation-0", 0);
        assertThat(chat.sessions().update(ghost, Duration.ofMinutes(1)).join()).isFalse();
        assertThat(chat.sessions().delete("p1", "incarnation-0").join()).isFalse();
        assertThat(admins.sessions().claim("p1").join().claimed()).as("another namespace's claim").isFalse();
        assertThat(admin.exists("sio:session:p1")).isEqualTo(1L);

        SessionRecord left = new SessionRecord("p1", "s1", "/chat", Map.of("s1", 0L), Map.of("user", "ada"), start,
                "incarnation-1", 42);
        assertThat(chat.sessions().update(left, Duration.ofMinutes(1)).join()).isTrue();
        assertThat(chat.sessions().claim("p1").join().record()).isEqualTo(left);
        assertThat(chat.sessions().claim("p1").join().claimed()).as("a second claim").isFalse();
    }

    @Test
    void aSessionGoesToExactlyOneOfConcurrentClaims() throws Exception {
        List<RecoveryBackend> nodes = List.of(backend("/", RedisStreamsAdapterOptions.defaults()),
                backend("/", RedisStreamsAdapterOptions.defaults()));
        SessionRecord record = new SessionRecord("p", "s", "/", Map.of("s", 0L), Map.of(), nodes.get(0).history().head(), "i", 1);
        nodes.get(0).sessions().save(record, WINDOW).join();
        int claimers = 6;
        CyclicBarrier start = new CyclicBarrier(claimers);
        List<CompletableFuture<SessionClaim>> claims = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            RecoveryBackend node = nodes.get(i % nodes.size());
            claims.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return node.sessions().claim("p").join();
            }));
        }
        assertThat(claims.stream().map(CompletableFuture::join).filter(SessionClaim::claimed)).hasSize(1);
    }

    @Test
    void anExpiredSessionIsNeverClaimed() {
        RecoveryBackend backend = backend("/", RedisStreamsAdapterOptions.defaults());
        SessionRecord record = new SessionRecord("p", "s", "/", Map.of(), Map.of(), backend.history().head(), "i", 1);
        backend.sessions().save(record, Duration.ofMillis(20)).join();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> admin.exists("sio:session:p") == 0);
        assertThat(backend.sessions().claim("p").join().claimed()).isFalse();
    }
}
