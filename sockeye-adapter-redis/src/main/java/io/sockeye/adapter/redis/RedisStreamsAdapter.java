package io.sockeye.adapter.redis;

import io.lettuce.core.XAddArgs;
import io.sockeye.adapter.redis.internal.Counters;
import io.sockeye.adapter.redis.internal.EntryIdFormat;
import io.sockeye.adapter.redis.internal.Outgoing;
import io.sockeye.adapter.redis.internal.RedisBus;
import io.sockeye.adapter.redis.internal.RedisBus.Kind;
import io.sockeye.adapter.redis.internal.StreamHistory;
import io.sockeye.adapter.redis.internal.StreamReader;
import io.sockeye.adapter.redis.internal.StreamSessions;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.NamespaceContext;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.StreamPosition;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A namespace adapter compatible with {@code @socket.io/redis-streams-adapter} 0.3
 * ({@code createAdapter(redisClient, {streamName, …})}, see docs/protocol-notes.md, "Redis Streams
 * format"): Node.js socket.io servers with that adapter and Sockeye nodes share one cluster.
 *
 * <ul>
 *   <li>Broadcasts without acks, socketsJoin/Leave and disconnectSockets are appended to the
 *       namespace's stream ({@code XADD <stream> MAXLEN ~ <maxLen> * uid … nsp … type … data …}), which
 *       every node reads in one order with {@code XREAD}; the entry id is the message's offset.</li>
 *   <li>Broadcasts with acks, serverSideEmit, fetchSockets and every response go over pub/sub:
 *       {@code <prefix>#<nsp>#} to all, {@code <prefix>#<nsp>#<uid>#} to one node.</li>
 *   <li>The server count is Redis's subscriber count of {@code <prefix>#<nsp>#}.</li>
 * </ul>
 */
public final class RedisStreamsAdapter extends RedisAdapter {

    /**
     * How long a restore whose offset this node's reader has not reached yet waits for it before it reads
     * Redis: the client came from a node that read a little further.
     */
    static final long TAIL_WAIT_MS = 1_000;

    private final RedisStreamsFormat format;
    private final StreamReader reader;
    private final byte[] streamKey;
    private final XAddArgs appendArgs;
    private final String publicChannel;
    private final String privateChannel;
    private final boolean sharded;
    private final Kind kind;
    private final RedisStreamsAdapterOptions options;

    RedisStreamsAdapter(NamespaceContext namespace, RedisBus bus, Counters counters, RedisStreamsAdapterOptions options,
                        RedisStreamsFormat format, StreamReader reader) {
        super(namespace, bus, counters, options.connection());
        this.format = format;
        this.reader = reader;
        this.streamKey = reader.stream().getBytes(StandardCharsets.UTF_8);
        this.appendArgs = XAddArgs.Builder.maxlen(options.maxLen()).approximateTrimming();
        this.publicChannel = options.channelPrefix() + "#" + namespace.name() + "#";
        this.privateChannel = channelOf(uid());
        this.sharded = options.useShardedPubSub();
        this.kind = sharded ? Kind.SHARD_CHANNEL : Kind.CHANNEL;
        this.options = options;
    }

    /** The stream this namespace's durable messages go to. */
    public String stream() {
        return reader.stream();
    }

    // ---- backend -----------------------------------------------------------------------------

    @Override
    protected CompletableFuture<Void> doInit() {
        reader.register(namespace.name(), new StreamReader.Handler() {
            @Override
            public ClusterMessage decode(Map<String, byte[]> fields) {
                return decodeEntry(fields);
            }

            @Override
            public void deliver(String id, ClusterMessage message) {
                deliverEntry(id, message);
            }
        });
        return CompletableFuture.allOf(
                bus.subscribe(kind, publicChannel, this::onPublished),
                bus.subscribe(kind, privateChannel, this::onPublished),
                reader.started());
    }

    @Override
    protected CompletableFuture<Void> doClose() {
        reader.unregister(namespace.name());
        return CompletableFuture.allOf(bus.unsubscribe(kind, publicChannel), bus.unsubscribe(kind, privateChannel));
    }

    /** Ephemeral messages over pub/sub (no offset); durable ones appended, completing with their entry id. */
    @Override
    protected CompletableFuture<String> doPublish(ClusterMessage message) {
        if (RedisStreamsFormat.isEphemeral(message)) {
            return send(new Outgoing(publicChannel, format.encodePublished(message)), sharded);
        }
        Map<byte[], byte[]> body = new LinkedHashMap<>(8);
        format.entry(message).forEach((name, value) -> body.put(name.getBytes(StandardCharsets.UTF_8), value));
        return bus.execute("message not appended to stream " + reader.stream(),
                        commands -> commands.xadd(streamKey, appendArgs, body))
                .whenComplete((id, error) -> {
                    StreamPosition position = error == null ? EntryIdFormat.INSTANCE.parse(id) : null;
                    if (position != null) {
                        reader.tail().appended(position);
                    }
                    if (error == null) {
                        counters.published();
                    } else {
                        counters.publishError();
                    }
                });
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        sendResponse(new Outgoing(channelOf(requesterUid), format.encodePublished(response)), sharded);
    }

    /** {@code PUBSUB NUMSUB <prefix>#<nsp>#} (or {@code SHARDNUMSUB}). */
    @Override
    public CompletableFuture<Integer> serverCount() {
        return bus.subscriberCount(publicChannel, sharded);
    }

    private String channelOf(String nodeUid) {
        return publicChannel + nodeUid + "#";
    }

    // ---- connection state recovery -----------------------------------------------------------

    /**
     * The stream is the cluster's recovery history and the sessions are where the Node.js adapter keeps
     * them, so a client recovers on any node, Node.js ones included; offsets are entry ids. Every node
     * delivers its own broadcasts as it reads them back, so all see the stream in one order. A ghost of
     * a restored session on another node is disconnected through the stream, which Node.js nodes obey
     * too.
     */
    @Override
    protected RecoveryBackend newRecoveryBackend(RecoveryContext context) {
        StreamHistory history = new StreamHistory(bus, reader.stream(), namespace.name(), format,
                namespace.encoder()::encode, options.restorePageSize(), options.restoreMaxEntries(), reader::lastId,
                reader.tail(), TAIL_WAIT_MS, options.scheduler());
        StreamSessions sessions = new StreamSessions(bus, options.sessionKeyPrefix(), namespace.name(), format);
        return RecoveryBackend.shared(history, sessions, this::disconnectRemote);
    }

    // ---- receiving ---------------------------------------------------------------------------

    private ClusterMessage decodeEntry(Map<String, byte[]> fields) {
        try {
            return format.decodeEntry(fields);
        } catch (RuntimeException e) {
            dropped(reader.stream(), e);
            return null;
        }
    }

    private void deliverEntry(String id, ClusterMessage message) {
        onMessage(message, id);
    }

    /** The id of the last entry this node's reader read (tests wait for it). */
    String lastRead() {
        return reader.lastId();
    }

    private void onPublished(String channel, byte[] payload) {
        try {
            ClusterMessage message = format.decodePublished(payload);
            if (message != null) {
                onMessage(message);
            }
        } catch (RuntimeException e) {
            dropped(channel, e);
        }
    }
}
