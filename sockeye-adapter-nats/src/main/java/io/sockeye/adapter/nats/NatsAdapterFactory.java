package io.sockeye.adapter.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.ReconnectDelayHandler;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.adapter.NamespaceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cluster adapters over NATS: plug one factory per node into the server, and every node on the same
 * NATS (and {@link NatsAdapterOptions#subjectPrefix() subject prefix}) serves each namespace as one.
 *
 * <pre>{@code
 * NatsAdapterFactory nats = NatsAdapterFactory.connect("nats://localhost:4222", NatsAdapterOptions.defaults());
 * SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(nats).build());
 * ...
 * io.close();
 * nats.close();   // closes the connection it opened
 * }</pre>
 *
 * <p>One connection per node, shared by the adapters of all namespaces (each has its own dispatcher
 * thread). {@link #connect} opens a connection configured for this use (reconnect forever with backoff,
 * bounded reconnect buffer, {@code noEcho}); {@link #create(Connection, NatsAdapterOptions)} uses one
 * the application owns and configures.
 *
 * <p>Faults: while the connection is down, cluster operations fail at once with
 * {@link NatsUnavailableException} (local delivery continues), heartbeats are skipped, and the client
 * reconnects; once it has re-sent the subscriptions, every adapter announces itself again. See
 * {@link #isConnected()} and {@link #stats()} for the connection state and the counters.
 */
public final class NatsAdapterFactory implements AdapterFactory, ClusterBusStatus {

    private static final Logger log = LoggerFactory.getLogger(NatsAdapterFactory.class);

    private final Connection connection;
    private final boolean ownsConnection;
    private final NatsAdapterOptions options;
    private final ClusterMessageCodec codec;
    private final NatsCounters counters = new NatsCounters();
    private final Set<NatsClusterAdapter> adapters = ConcurrentHashMap.newKeySet();
    private final ConnectionListener listener = new Listener();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set while the connection is lost: jnats reports DISCONNECTED again after each failed attempt. */
    private final AtomicBoolean down = new AtomicBoolean();

    private NatsAdapterFactory(Connection connection, boolean ownsConnection, NatsAdapterOptions options) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.ownsConnection = ownsConnection;
        this.options = Objects.requireNonNull(options, "options");
        this.codec = new ClusterMessageCodec(options.objectMapper());
        connection.addConnectionListener(listener);
    }

    /**
     * Adapters on a connection the application owns (and closes, after this factory). Give it a
     * bounded reconnect buffer and unlimited reconnects; with {@code noEcho} do not share it between
     * two Sockeye servers of one JVM (they would not hear each other).
     */
    public static NatsAdapterFactory create(Connection connection, NatsAdapterOptions options) {
        return new NatsAdapterFactory(connection, false, options);
    }

    /**
     * Opens a connection to {@code servers} (comma-separated {@code nats://host:port} URLs) with
     * {@link #connectionOptions}; {@link #close()} closes it. Blocks until connected.
     *
     * @throws NatsUnavailableException if no server can be reached
     */
    public static NatsAdapterFactory connect(String servers, NatsAdapterOptions options) {
        return connect(connectionOptions(servers, options).build(), options);
    }

    /**
     * Opens a connection with the given jnats options (start from {@link #connectionOptions} to add
     * TLS or credentials); {@link #close()} closes it. Blocks until connected.
     *
     * @throws NatsUnavailableException if no server can be reached
     */
    public static NatsAdapterFactory connect(Options natsOptions, NatsAdapterOptions options) {
        try {
            return new NatsAdapterFactory(Nats.connect(natsOptions), true, options);
        } catch (IOException e) {
            throw new NatsUnavailableException("cannot connect to NATS " + natsOptions.getServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsUnavailableException("interrupted while connecting to NATS " + natsOptions.getServers(), e);
        }
    }

    /**
     * The jnats options {@link #connect(String, NatsAdapterOptions)} uses: reconnect forever, waiting
     * {@code reconnectWait} min→max (doubling, with jitter); reconnect buffer of {@code maxPendingBytes};
     * ping every {@code pingInterval}; {@code noEcho} (a node drops its own messages anyway); problems
     * logged through SLF4J.
     */
    public static Options.Builder connectionOptions(String servers, NatsAdapterOptions options) {
        Objects.requireNonNull(servers, "servers");
        return new Options.Builder()
                .servers(servers.split("\\s*,\\s*"))
                .connectionName("sockeye")
                .maxReconnects(-1)
                .reconnectDelayHandler(backoff(options.reconnectWaitMin(), options.reconnectWaitMax()))
                .reconnectBufferSize(options.maxPendingBytes())
                // Enough slots that maxPendingBytes, checked before each publish, is the limit that bites.
                .maxMessagesInOutgoingQueue(1 << 16)
                .pingInterval(options.pingInterval())
                .errorListener(new NatsErrorLog())
                .noEcho();
    }

    /** {@code min}, doubling per round of failed attempts up to {@code max}, minus up to 25% jitter. */
    static ReconnectDelayHandler backoff(Duration min, Duration max) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        return rounds -> {
            int doublings = (int) Math.min(Math.max(rounds - 1, 0), 62);
            long wait = minNanos > (maxNanos >> doublings) ? maxNanos : Math.min(maxNanos, minNanos << doublings);
            // Jitter so that the nodes of a cluster do not all reconnect in the same instant.
            return Duration.ofNanos(wait - ThreadLocalRandom.current().nextLong(wait / 4 + 1));
        };
    }

    // ---- AdapterFactory ----------------------------------------------------------------------

    @Override
    public Adapter create(NamespaceContext namespace) {
        if (closed.get()) {
            throw new IllegalStateException("NatsAdapterFactory is closed");
        }
        return new NatsClusterAdapter(namespace, this, options);
    }

    // ---- state -------------------------------------------------------------------------------

    /** The NATS connection of this node. */
    public Connection connection() {
        return connection;
    }

    public NatsAdapterOptions options() {
        return options;
    }

    /** Whether cluster operations can be sent right now (for readiness checks). */
    @Override
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    /**
     * This node's counters. {@code receiveErrors} includes the messages jnats dropped because a
     * namespace's dispatcher did not keep up; {@code roomSubscriptions} counts the room subjects of
     * {@link SubscriptionMode#DYNAMIC}.
     */
    @Override
    public ClusterBusStats stats() {
        int rooms = 0;
        long dropped = 0;
        for (NatsClusterAdapter adapter : adapters) {
            rooms += adapter.roomSubscriptionCount();
            dropped += adapter.droppedByClient();
        }
        return new ClusterBusStats(counters.published.sum(), counters.publishErrors.sum(), counters.received.sum(),
                counters.receiveErrors.sum() + dropped, counters.reconnects.sum(), rooms);
    }

    /**
     * Stops listening to the connection and, if this factory opened it, closes it after flushing what
     * is queued (at most a second). Close the server (its adapters) first. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connection.removeConnectionListener(listener);
        if (!ownsConnection) {
            return;
        }
        try {
            if (isConnected()) {
                connection.flush(Duration.ofSeconds(1)); // e.g. the adapters' ADAPTER_CLOSE
            }
        } catch (TimeoutException | IllegalStateException e) {
            log.debug("NATS flush before close failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- for the adapters --------------------------------------------------------------------

    NatsCounters counters() {
        return counters;
    }

    ClusterMessageCodec codec() {
        return codec;
    }

    void register(NatsClusterAdapter adapter) {
        adapters.add(adapter);
    }

    void unregister(NatsClusterAdapter adapter) {
        adapters.remove(adapter);
    }

    /** {@code null} when a message can be published now, else why not. Never waits. */
    String unavailableReason() {
        Connection.Status status = connection.getStatus();
        if (status != Connection.Status.CONNECTED) {
            return "NATS connection is " + status;
        }
        long bytes = connection.outgoingPendingBytes();
        if (bytes > options.maxPendingBytes()) {
            return "NATS outgoing buffer full (" + bytes + " bytes pending, maxPendingBytes " + options.maxPendingBytes() + ")";
        }
        // Past the client's own queue limit jnats would block the caller (or drop silently): refuse first.
        long messages = connection.outgoingPendingMessageCount();
        if (messages >= connection.getOptions().getMaxMessagesInOutgoingQueue()) {
            return "NATS outgoing queue full (" + messages + " messages pending)";
        }
        return null;
    }

    /** Logs the connection's ups and downs and re-announces the adapters once they are resubscribed. */
    private final class Listener implements ConnectionListener {

        @Override
        @SuppressWarnings("deprecation")
        public void connectionEvent(Connection conn, Events type) {
            connectionEvent(conn, type, null, null);
        }

        @Override
        public void connectionEvent(Connection conn, Events type, Long time, String uriDetails) {
            String where = uriDetails != null ? uriDetails : String.valueOf(conn.getConnectedUrl());
            switch (type) {
                case DISCONNECTED -> {
                    if (down.compareAndSet(false, true)) {
                        log.warn("NATS connection lost ({}): cluster operations fail until it is back; "
                                + "local delivery continues", where);
                    }
                }
                case RECONNECTED -> {
                    down.set(false);
                    counters.reconnects.increment();
                    log.info("NATS reconnected ({})", where);
                }
                case RESUBSCRIBED -> adapters.forEach(NatsClusterAdapter::onResubscribed);
                case CLOSED -> {
                    if (!closed.get()) {
                        log.warn("NATS connection closed ({}): this node has left the cluster", where);
                    }
                }
                default -> log.debug("NATS connection event {} ({})", type, where);
            }
        }
    }
}
