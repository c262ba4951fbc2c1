package io.sockeye.adapter.redis;

import io.lettuce.core.XAddArgs;
import io.sockeye.adapter.redis.internal.Counters;
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
        reader.register(namespace.name(), this::onEntry);
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
                namespace.encoder()::encode, options.restorePageSize(), options.restoreMaxEntries(), reader::lastId);
        StreamSessions sessions = new StreamSessions(bus, options.sessionKeyPrefix(), namespace.name(), format);
        return RecoveryBackend.shared(history, sessions, this::disconnectRemote);
    }

    // ---- receiving ---------------------------------------------------------------------------

    private void onEntry(String id, Map<String, byte[]> fields) {
        try {
            ClusterMessage message = format.decodeEntry(fields);
            if (message != null) {
                onMessage(message, id);
            }
        } catch (RuntimeException e) {
            dropped(reader.stream(), e);
        }
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
