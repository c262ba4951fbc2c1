package io.sockeye.adapter.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.recovery.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one Redis stream for every namespace routed to it, on a connection of its own (an
 * {@code XREAD BLOCK} holds its connection until entries come or the block time passes), and hands each
 * entry, in stream order, to the handler of the namespace its {@code nsp} field names — on Lettuce's I/O
 * thread, so handlers must not block.
 *
 * <p>Where reading starts: the last entry id of the stream when the reader starts ({@code 0-0} when the
 * stream does not exist yet), then the id of the last entry read. The Node.js adapter starts from
 * {@code $} on every read until its first entry arrives, which loses what is appended between two of
 * its reads; an explicit id loses nothing. A failed read (Redis away, a timeout) is retried from the
 * same id, with a backoff from 50 ms to 2 s while it keeps failing: nothing is skipped, and an entry is
 * handed over once.
 */
public final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
    private static final long RETRY_MIN_MS = 50;
    private static final long RETRY_MAX_MS = 2_000;
    private static final String START_OF_STREAM = "0-0";

    /** Receives the entries of one namespace; must not block. */
    public interface Handler {
        /** The entry decoded, or null when it carries nothing for this node (undecodable ones included). */
        ClusterMessage decode(Map<String, byte[]> fields);

        /** Acts on a decoded entry, once the reader's tail holds it. */
        void deliver(String id, ClusterMessage message);
    }

    private final String stream;
    private final byte[] key;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisStreamAsyncCommands<byte[], byte[]> commands;
    private final XReadArgs readArgs;
    private final ScheduledExecutorService scheduler;
    private final Counters counters;
    private final StreamTail tail;
    private final RedisConnectionStateListener disconnects;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String lastId;
    private final AbstractRedisClient client;
    private long retryMs = RETRY_MIN_MS; // only touched by the one read in flight

    private StreamReader(AbstractRedisClient client, String stream, StatefulConnection<byte[], byte[]> connection,
                         RedisStreamAsyncCommands<byte[], byte[]> commands, int readCount, Duration blockTime,
                         ScheduledExecutorService scheduler, Counters counters, StreamTail tail) {
        this.client = client;
        this.stream = stream;
        this.key = stream.getBytes(StandardCharsets.UTF_8);
        this.connection = connection;
        this.commands = commands;
        this.readArgs = XReadArgs.Builder.block(blockTime).count(readCount);
        this.scheduler = scheduler;
        this.counters = counters;
        this.tail = tail;
        // A lost connection may mean a Redis that restarted or failed over and lost entries this reader
        // had not read: Lettuce re-sends the XREAD on its own, so the tail must stop claiming continuity
        // (a needless invalidation only sends a few restores to Redis).
        this.disconnects = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
                // A cluster connection's node connections are not the reader's own object: any of them.
                if (c == connection || connection instanceof StatefulRedisClusterConnection) {
                    tail.invalidate();
                }
            }
        };
    }

    /**
     * Opens the reader's connection (blocking: call it at startup) and starts reading.
     *
     * @param client a {@link RedisClient} or a {@link RedisClusterClient}
     */
    public static StreamReader open(AbstractRedisClient client, String stream, int readCount, Duration blockTime,
                                    ScheduledExecutorService scheduler, Counters counters, StreamTail tail) {
        StreamReader reader;
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<byte[], byte[]> c = cluster.connect(ByteArrayCodec.INSTANCE);
            reader = new StreamReader(client, stream, c, c.async(), readCount, blockTime, scheduler, counters, tail);
        } else {
            StatefulRedisConnection<byte[], byte[]> c = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
            reader = new StreamReader(client, stream, c, c.async(), readCount, blockTime, scheduler, counters, tail);
        }
        client.addListener(reader.disconnects);
        reader.findStart();
        return reader;
    }

    /** The entries read last, for restores. */
    public StreamTail tail() {
        return tail;
    }

    /** The stream's key. */
    public String stream() {
        return stream;
    }

    /** Completes once the reader knows where to start: every entry appended after that is read. */
    public CompletableFuture<Void> started() {
        return started.copy();
    }

    /** The id of the last entry read (or where reading started); {@code null} before {@link #started()}. */
    public String lastId() {
        return lastId;
    }

    /** Hands the entries of namespace {@code nsp} to {@code handler} from now on. */
    public void register(String nsp, Handler handler) {
        handlers.put(nsp, handler);
    }

    public void unregister(String nsp) {
        handlers.remove(nsp);
    }

    /** Stops reading and closes the connection. Idempotent. */
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        started.completeExceptionally(new IllegalStateException("stream reader closed"));
        client.removeListener(disconnects);
        tail.invalidate();
        return connection.closeAsync();
    }

    private void findStart() {
        if (closed.get()) {
            return;
        }
        commands.xrevrange(key, Range.create("-", "+"), Limit.from(1)).whenComplete((last, error) -> {
            if (error != null) {
                retry("finding the end of stream " + stream, error, this::findStart);
                return;
            }
            lastId = last.isEmpty() ? START_OF_STREAM : last.get(0).getId();
            StreamPosition start = EntryIdFormat.INSTANCE.parse(lastId);
            if (start != null) {
                tail.start(start);
            }
            retryMs = RETRY_MIN_MS;
            started.complete(null);
            read();
        });
    }

    private void read() {
        if (closed.get()) {
            return;
        }
        CompletableFuture<List<StreamMessage<byte[], byte[]>>> reading;
        try {
            reading = commands.xread(readArgs, StreamOffset.from(key, lastId)).toCompletableFuture();
        } catch (RuntimeException e) {
            reading = CompletableFuture.failedFuture(e);
        }
        reading.whenComplete((entries, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof RedisCommandTimeoutException) {
                    read(); // the client's command timeout fired first: nothing lost, read again
                } else {
                    tail.invalidate();
                    retry("reading stream " + stream, cause, this::read);
                }
                return;
            }
            retryMs = RETRY_MIN_MS;
            if (entries != null) {
                for (StreamMessage<byte[], byte[]> entry : entries) {
                    lastId = entry.getId();
                    dispatch(entry);
                }
            }
            read();
        });
    }

    private void dispatch(StreamMessage<byte[], byte[]> entry) {
        counters.received();
        Map<String, byte[]> fields = new LinkedHashMap<>(8);
        int size = 0;
        for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
            fields.put(new String(field.getKey(), StandardCharsets.UTF_8), field.getValue());
            size += field.getKey().length + field.getValue().length;
        }
        byte[] nspField = fields.get("nsp");
        String nsp = nspField == null ? null : new String(nspField, StandardCharsets.UTF_8);
        // A namespace this node does not serve, or not an adapter's entry: no handler, a marker in the tail.
        Handler handler = nsp == null ? null : handlers.get(nsp);
        ClusterMessage message = null;
        try {
            message = handler == null ? null : handler.decode(fields);
        } catch (RuntimeException e) {
            counters.receiveError();
            log.warn("dropped an undecodable entry {} of stream {}: {}", entry.getId(), stream, e.toString());
        }
        StreamPosition position = EntryIdFormat.INSTANCE.parse(entry.getId());
        try {
            if (position == null) {
                tail.invalidate(); // an id Redis did not generate: the tail cannot place it
            } else {
                tail.append(position, nsp, message, size);
            }
        } catch (RuntimeException e) {
            // Never a reason to stop reading: without the entry the tail cannot vouch for what precedes it.
            tail.invalidate();
            log.warn("entry {} of stream {} not kept for recovery: {}", entry.getId(), stream, e.toString());
        }
        if (message == null) {
            return;
        }
        try {
            handler.deliver(entry.getId(), message);
        } catch (RuntimeException e) {
            counters.receiveError();
            log.warn("dropped an unprocessable entry {} of stream {}: {}", entry.getId(), stream, e.toString());
        }
    }

    private void retry(String what, Throwable error, Runnable again) {
        if (closed.get()) {
            return;
        }
        log.debug("{} failed, retrying in {} ms: {}", what, retryMs, error.toString());
        long delay = retryMs;
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
        scheduler.schedule(again, delay, TimeUnit.MILLISECONDS);
    }
}
