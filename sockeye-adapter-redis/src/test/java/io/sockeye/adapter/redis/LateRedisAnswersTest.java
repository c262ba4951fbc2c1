package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.sockeye.core.adapter.RecordingNamespace;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.HistoryBudget;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.SessionClaim;
import io.sockeye.core.recovery.SessionRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore whose Redis commands are answered after the client's command timeout — Redis ran them, the
 * answer came late (a busy CPU, a pause) — still recovers: the claim and the history reads are sent again,
 * and the claim gets the session it already took. Redis is held with {@code CLIENT PAUSE} for longer than
 * the 2 s command timeout here.
 */
class LateRedisAnswersTest {

    private static final Duration WINDOW = Duration.ofMinutes(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long PAUSE_MS = 3_000;
    /** Restores read Redis (no tail), each command times out after 2 s. */
    private static final RedisStreamsAdapterOptions OPTIONS = RedisStreamsAdapterOptions.builder()
            .restoreTailEntries(0).commandTimeout(TIMEOUT).build();

    private RedisWithClient redis;
    private RedisCommands<String, String> admin;
    private final List<RedisStreamsAdapterFactory> factories = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisWithClient.start(RedisStreamsAdapterFactory.clientOptions(OPTIONS));
        admin = redis.client.connect(StringCodec.UTF8).sync();
    }

    @AfterEach
    void stop() {
        factories.forEach(RedisStreamsAdapterFactory::close);
        redis.close();
    }

    private RecoveryBackend backend() {
        RedisClient client = redis.client;
        RedisStreamsAdapterFactory factory = RedisStreamsAdapterFactory.connect(client, OPTIONS);
        factories.add(factory);
        RecordingNamespace namespace = new RecordingNamespace("/");
        RedisStreamsAdapter adapter = factory.create(namespace);
        RecoveryBackend backend = adapter.recovery(new RecoveryContext("/", ConnectionStateRecovery.of(WINDOW, true),
                new HistoryBudget(HistoryBounds.DEFAULT_MAX_BYTES), SockeyeMetrics.NOOP, Duration.ofSeconds(45),
                OPTIONS.scheduler()));
        namespace.attach(adapter);
        assertThat(adapter.init()).succeedsWithin(Duration.ofSeconds(30));
        return backend;
    }

    @Test
    void aClaimAnsweredAfterTheCommandTimeoutStillGetsTheSessionAndOnlyOnce() {
        RecoveryBackend backend = backend();
        SessionRecord record = new SessionRecord("p", "s", "/", Map.of("s", 0L), Map.of(), backend.history().head(), "i", 1);
        backend.sessions().save(record, WINDOW).join();

        admin.clientPause(PAUSE_MS); // the claim is queued in Redis past its timeout, then runs
        SessionClaim claim = backend.sessions().claim("p").join();

        assertThat(claim.claimed()).as("claimed despite the late answer").isTrue();
        assertThat(claim.record()).isEqualTo(record);
        assertThat(backend.sessions().claim("p").join().claimed()).as("a second claim").isFalse();
    }

    @Test
    void aHistoryReadAnsweredAfterTheCommandTimeoutStillReplays() {
        RecoveryBackend backend = backend();
        String first = append("m0");
        append("m1");
        append("m2");

        admin.clientPause(PAUSE_MS);
        HistoryRead read = backend.history().read(new HistoryQuery(backend.history().offsetFormat().parse(first),
                Map.of("r", 0L), true, 1000)).join();

        assertThat(read.ok()).isTrue();
        assertThat(read.entries()).extracting(e -> e.packet().text()).satisfiesExactly(
                text -> assertThat(text).contains("\"m1\""), text -> assertThat(text).contains("\"m2\""));
    }

    /** Appends a broadcast of event {@code m} with argument {@code value} to room r, as a Node.js node does. */
    private String append(String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("uid", "0585fe9b370536bf");
        fields.put("nsp", "/");
        fields.put("type", "3");
        fields.put("data", "{\"packet\":{\"type\":2,\"data\":[\"m\",\"" + value + "\"]},\"opts\":{\"rooms\":[\"r\"],"
                + "\"except\":[],\"flags\":{}}}");
        return admin.xadd("socket.io", XAddArgs.Builder.maxlen(10_000).approximateTrimming(), fields);
    }
}
