package io.sockeye.adapter.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.cluster.codec.RedisStreamsFormat.Session;
import io.sockeye.core.recovery.SessionClaim;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.SessionStore;
import io.sockeye.core.recovery.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Recovery sessions where the Node.js Redis Streams adapter keeps them: {@code <prefix><pid>} holding
 * base64 of the msgpack of {@code {sid, pid, rooms, data}} (see docs/protocol-notes.md, "Redis Streams
 * format"), so that a Node.js node restores what a Sockeye node saved and the other way round. Sockeye's
 * own fields ride along in the same map, which the Node.js adapter ignores: the owner's token first
 * (see {@link RedisStreamsFormat#encodeSession(Session, String)}), then {@code nsp}, {@code pos} (where
 * the session started), {@code since} (the position each room was joined at), {@code incarnation} and
 * {@code at} (when it disconnected, 0 while connected).
 *
 * <p>The token is 12 characters derived from the owner's incarnation and 12 from the namespace, and
 * scripts compare its base64 at a fixed place of the value: updates and deletes act only on the
 * owner's record, so a half-open ghost whose session was taken over cannot overwrite or delete the new
 * owner's; a claim (one script that takes the record and leaves the claim's own mark in its place: single
 * use, and the same claim sent again after a timeout gets the record again) takes only a record of its
 * own namespace, or one without a token. A session a Node.js node saved has none of Sockeye's fields:
 * it belongs to the namespace that claims it, is disconnected, and does not say where it started
 * ({@link EntryIdFormat#UNKNOWN_START}).
 */
public final class StreamSessions implements SessionStore {

    private static final Logger log = LoggerFactory.getLogger(StreamSessions.class);
    /** Start of a claimed record's value; never the start of a session (not base64). */
    private static final String CLAIMED = "!claimed:";
    /** How long a claimed record stays, marked, for its claim to be answered again. */
    private static final long CLAIM_MARK_MS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** SET when the value holds the owner's token: KEYS[1] key; ARGV token marker, value, ttl ms or "". */
    private static final String UPDATE = """
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, %d, %d) == ARGV[1] then
              if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
              return 1
            end
            return 0
            """.formatted(RedisStreamsFormat.TOKEN_MARKER_START + 1, RedisStreamsFormat.TOKEN_MARKER_START + 32);
    /** DEL when the value holds the owner's token: KEYS[1] key; ARGV[1] token marker. */
    private static final String DELETE = """
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, %d, %d) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """.formatted(RedisStreamsFormat.TOKEN_MARKER_START + 1, RedisStreamsFormat.TOKEN_MARKER_START + 32);

    /**
     * Takes the record unless it carries a token of another namespace, or was claimed already. KEYS[1] key;
     * ARGV[1] the first characters of every value Sockeye writes, ARGV[2] the namespace's half of the token
     * marker, ARGV[3] this claim's mark ({@code !claimed:<random>:}), ARGV[4] how long the mark stays (ms).
     * The claimed value stays behind the mark instead of being deleted, so that the same claim sent again
     * (its first answer came after the command timeout) gets the record again: single use, and idempotent.
     */
    private static final String CLAIM = """
            local v = redis.call('GET', KEYS[1])
            if not v then return false end
            if string.sub(v, 1, #ARGV[3]) == ARGV[3] then return string.sub(v, #ARGV[3] + 1) end
            if string.sub(v, 1, %d) == '%s' then return false end
            if string.sub(v, 1, %d) == ARGV[1] and string.sub(v, %d, %d) ~= ARGV[2] then return false end
            redis.call('SET', KEYS[1], ARGV[3] .. v, 'PX', ARGV[4])
            return v
            """.formatted(CLAIMED.length(), CLAIMED, RedisStreamsFormat.TOKEN_MARKER_START,
            RedisStreamsFormat.TOKEN_MARKER_START + 17, RedisStreamsFormat.TOKEN_MARKER_START + 32);

    private final RedisBus bus;
    private final String keyPrefix;
    private final String namespace;
    private final RedisStreamsFormat format;
    private final String namespaceHalf;
    private final byte[] valuePrefix;
    private final OffsetFormat offsets;

    public StreamSessions(RedisBus bus, String keyPrefix, String namespace, RedisStreamsFormat format) {
        this(bus, keyPrefix, namespace, format, EntryIdFormat.INSTANCE, EntryIdFormat.START);
    }

    /**
     * Sessions whose positions are written in {@code offsets} (the pub/sub adapters' shared stream uses
     * Sockeye's own offsets); {@code sample} is any position of that format.
     */
    public StreamSessions(RedisBus bus, String keyPrefix, String namespace, RedisStreamsFormat format,
                          OffsetFormat offsets, StreamPosition sample) {
        this.bus = bus;
        this.offsets = offsets;
        this.keyPrefix = keyPrefix;
        this.namespace = namespace;
        this.format = format;
        this.namespaceHalf = RedisStreamsFormat.tokenMarker(token("", namespace)).substring(16);
        // Every value written here has the same number of fields, hence the same first characters.
        SessionRecord record = new SessionRecord("p", "s", namespace, Map.of(), Map.of(), sample, "i", 0);
        this.valuePrefix = java.util.Arrays.copyOf(encode(record), RedisStreamsFormat.TOKEN_MARKER_START);
    }

    @Override
    public CompletableFuture<Void> save(SessionRecord record, Duration ttl) {
        byte[] value = encode(record);
        return bus.execute("session not saved", c -> ttl == null ? c.set(key(record.pid()), value)
                : c.set(key(record.pid()), value, SetArgs.Builder.px(Math.max(1, ttl.toMillis())))).thenApply(ok -> null);
    }

    @Override
    public CompletableFuture<Boolean> update(SessionRecord record, Duration ttl) {
        byte[][] args = {marker(record.incarnation()), encode(record),
                ttl == null ? new byte[0] : ascii(Long.toString(Math.max(1, ttl.toMillis())))};
        return bus.execute("session not updated", c -> c.<Long>eval(UPDATE, ScriptOutputType.INTEGER,
                new byte[][]{key(record.pid())}, args)).thenApply(done -> done == 1L);
    }

    @Override
    public CompletableFuture<SessionClaim> claim(String pid) {
        byte[] mark = ascii(CLAIMED + attemptId() + ":");
        byte[] markMs = ascii(Long.toString(CLAIM_MARK_MS));
        return TimeoutRetry.call(TimeoutRetry.ATTEMPTS, () -> bus.execute("session not claimed", c -> c.<byte[]>eval(CLAIM,
                ScriptOutputType.VALUE, new byte[][]{key(pid)}, valuePrefix, ascii(namespaceHalf), mark, markMs))).thenApply(value -> {
            if (value == null) {
                return SessionClaim.unknown();
            }
            try {
                return SessionClaim.of(decode(pid, value));
            } catch (RuntimeException e) {
                log.debug("session {} of namespace {} is not readable: {}", pid, namespace, e.toString());
                return SessionClaim.unknown();
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> delete(String pid, String incarnation) {
        return bus.execute("session not deleted", c -> c.<Long>eval(DELETE, ScriptOutputType.INTEGER,
                new byte[][]{key(pid)}, marker(incarnation))).thenApply(deleted -> deleted == 1L);
    }

    @Override
    public CompletableFuture<Void> touch(Collection<String> pids, Duration ttl) {
        List<CompletableFuture<Boolean>> touched = new ArrayList<>(pids.size());
        for (String pid : pids) {
            touched.add(bus.execute("session not refreshed", c -> c.pexpire(key(pid), Math.max(1, ttl.toMillis()))));
        }
        return CompletableFuture.allOf(touched.toArray(CompletableFuture[]::new));
    }

    // ---- the value -----------------------------------------------------------------------------

    private byte[] encode(SessionRecord record) {
        Map<String, Object> extra = new LinkedHashMap<>(8);
        extra.put("nsp", record.namespace());
        extra.put("pos", offsets.format(record.position()));
        Map<String, Object> since = new LinkedHashMap<>();
        record.rooms().forEach((room, sequence) ->
                since.put(room, offsets.format(new StreamPosition(record.position().epoch(), sequence))));
        extra.put("since", since);
        extra.put("incarnation", record.incarnation());
        extra.put("at", record.disconnectedAt());
        Session session = new Session(record.sid(), record.pid(), new ArrayList<>(record.rooms().keySet()),
                record.data(), extra);
        return ascii(format.encodeSession(session, token(record.incarnation(), record.namespace())));
    }

    @SuppressWarnings("unchecked")
    private SessionRecord decode(String pid, byte[] value) {
        Session session = format.decodeSession(value);
        Map<String, Object> extra = session.extra();
        String nsp = extra.get("nsp") instanceof String s ? s : namespace;
        StreamPosition position = offset(extra.get("pos"));
        Map<String, Object> since = extra.get("since") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Long> rooms = new LinkedHashMap<>();
        for (String room : session.rooms()) {
            StreamPosition joined = offset(since.get(room));
            rooms.put(room, joined == null ? 0L : joined.sequence());
        }
        Map<String, Object> data = session.data() instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        String incarnation = extra.get("incarnation") instanceof String s ? s : "saved-by-another-node";
        long disconnectedAt = extra.get("at") instanceof Number n ? n.longValue() : 1;
        return new SessionRecord(pid.equals(session.pid()) ? pid : session.pid(), session.sid(), nsp, rooms, data,
                position == null ? EntryIdFormat.UNKNOWN_START : position, incarnation, disconnectedAt);
    }

    private StreamPosition offset(Object value) {
        return value instanceof String s ? offsets.parse(s) : null;
    }

    /** 16 random characters: one claim's own mark, the same when it is sent again. */
    private static String attemptId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The owner's token: 12 characters derived from its incarnation, 12 from its namespace. */
    static String token(String incarnation, String namespace) {
        return digest(incarnation) + digest(namespace);
    }

    private static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, RedisStreamsFormat.TOKEN_LENGTH / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private byte[] marker(String incarnation) {
        return ascii(RedisStreamsFormat.tokenMarker(token(incarnation, namespace)));
    }

    private byte[] key(String pid) {
        return (keyPrefix + pid).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
