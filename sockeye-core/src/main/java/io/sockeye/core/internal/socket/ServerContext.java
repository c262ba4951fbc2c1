package io.sockeye.core.internal.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.Args;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.socket.DecoderLimits;
import io.sockeye.core.recovery.HistoryBudget;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacketEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every part of the Socket.IO layer of one server shares: options, the packet encoder, the
 * namespaces and the open connections. Internal; {@link SocketIoServer} is its public face.
 */
public final class ServerContext {

    private static final Logger log = LoggerFactory.getLogger(ServerContext.class);

    /** How long {@link #shutdown()} waits for each event loop to disconnect its sockets. */
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final SocketIoServer server;
    private final ServerOptions options;
    private final ObjectMapper mapper;
    private final SocketPacketEncoder encoder;
    private final MsgpackPacketEncoder msgpackEncoder;
    private final MsgpackPacketDecoder msgpackDecoder = new MsgpackPacketDecoder();
    private final DecoderLimits decoderLimits;
    private final AtomicLong pendingAttachmentBytes = new AtomicLong();
    private final Namespaces namespaces;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final SockeyeMetrics metrics;
    private final ServerGauges gauges = new ServerGauges() {
        @Override
        public Map<String, Long> rooms() {
            Map<String, Long> out = new LinkedHashMap<>();
            for (NamespaceImpl nsp : namespaces.all()) {
                // Every connected socket is in a room named by its id; those are not rooms users made.
                long n = nsp.adapter().rooms().size() - nsp.sockets().size();
                out.put(nsp.name(), Math.max(0, n));
            }
            return out;
        }

        @Override
        public long pendingAttachmentBytes() {
            return pendingAttachmentBytes.get();
        }
    };
    private final HistoryBudget historyBudget;
    private volatile boolean closed;

    public ServerContext(SocketIoServer server, ServerOptions options) {
        this.server = server;
        this.options = options;
        this.historyBudget = options.connectionStateRecovery() == null ? null
                : new HistoryBudget(options.connectionStateRecovery().history().maxBytes());
        this.mapper = options.objectMapper();
        this.encoder = new SocketPacketEncoder(mapper);
        this.msgpackEncoder = new MsgpackPacketEncoder(mapper);
        this.decoderLimits = DecoderLimits.of(DecoderLimits.DEFAULT_MAX_ATTACHMENTS, options.maxHttpBufferSize());
        this.metrics = options.metrics();
        this.namespaces = new Namespaces(this);
        metrics.addGauges(gauges);
    }

    public SocketIoServer server() {
        return server;
    }

    public ServerOptions options() {
        return options;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    SocketPacketEncoder encoder() {
        return encoder;
    }

    /** The msgpack parser's encoder (thread-safe; used for msgpack connections only). */
    MsgpackPacketEncoder msgpackEncoder() {
        return msgpackEncoder;
    }

    /** The msgpack parser's decoder (stateless, shared by every msgpack connection). */
    MsgpackPacketDecoder msgpackDecoder() {
        return msgpackDecoder;
    }

    SockeyeMetrics metrics() {
        return metrics;
    }

    /** What every connection's packet decoder accepts (one parser factory for the whole server). */
    DecoderLimits decoderLimits() {
        return decoderLimits;
    }

    /**
     * Counts {@code bytes} more held for binary packets awaiting attachments, unless that would pass
     * {@code maxPendingAttachmentBytes}; false (and nothing counted) then.
     */
    boolean reservePendingAttachmentBytes(long bytes) {
        long max = options.maxPendingAttachmentBytes();
        while (true) {
            long held = pendingAttachmentBytes.get();
            if (held + bytes > max) {
                return false;
            }
            if (pendingAttachmentBytes.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    void releasePendingAttachmentBytes(long bytes) {
        pendingAttachmentBytes.addAndGet(-bytes);
    }

    /** The memory budget shared by the node-local histories of every namespace; null without recovery. */
    HistoryBudget historyBudget() {
        return historyBudget;
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    Args args(List<?> values) {
        return Args.of(values, mapper);
    }

    /** Runs namespace-level user code (server-side event handlers, broadcast ack completions). */
    void runHandler(Runnable task) {
        Executor executor = options.handlerExecutor();
        if (executor == null) {
            HandlerDispatcher.runSafely(task);
        } else {
            try {
                executor.execute(() -> HandlerDispatcher.runSafely(task));
            } catch (RuntimeException e) {
                log.warn("handler executor rejected a task; running it on the calling thread", e);
                HandlerDispatcher.runSafely(task);
            }
        }
    }

    /** Completes {@code target} where user continuations should run (see {@link #runHandler}). */
    <T> void complete(CompletableFuture<T> target, T value, Throwable error) {
        runHandler(() -> {
            if (error != null) {
                target.completeExceptionally(error);
            } else {
                target.complete(value);
            }
        });
    }

    /** A new Engine.IO session: its Socket.IO client object starts listening. Called on its event loop. */
    public void accept(EngineSocket engineSocket) {
        if (closed) {
            engineSocket.close("forced close");
            return;
        }
        Client client = new Client(this, engineSocket);
        clients.add(client);
        client.start();
    }

    void removeClient(Client client) {
        clients.remove(client);
    }

    /** Number of open Socket.IO connections. */
    public int clientCount() {
        return clients.size();
    }

    /**
     * Disconnects every socket with {@code server shutting down} (each on its own event loop, waiting a
     * bounded time for them), closes their connections and the namespaces' adapters.
     */
    public void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        metrics.removeGauges(gauges);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Client client : new ArrayList<>(clients)) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            boolean queued = client.runOnLoop(() -> {
                try {
                    client.shutdown();
                } finally {
                    f.complete(null);
                }
            });
            if (!queued) {
                f.complete(null); // its event loop is gone, and the connection with it
            }
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("some connections did not finish disconnecting within {} s", SHUTDOWN_WAIT_SECONDS, e);
        }
        namespaces.closeAdapters();
    }

    boolean closed() {
        return closed;
    }
}
