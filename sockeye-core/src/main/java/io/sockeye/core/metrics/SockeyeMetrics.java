package io.sockeye.core.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;

/**
 * What the server reports about itself as it runs: sessions, packets, broadcasts, acks, cluster
 * traffic. Set an implementation with {@link io.sockeye.core.ServerOptions.Builder#metrics}; the
 * default {@link #NOOP} records nothing. The standalone server ships a Prometheus implementation.
 *
 * <p>Every method has an empty default, so an implementation overrides only what it records, and a
 * method added later does not break it. Obligations of an implementation:
 * <ol>
 *   <li><b>Threading.</b> Methods are called from many event loops at once (and from bus or timer
 *       threads for the cluster ones): they are thread-safe.</li>
 *   <li><b>Must not block and must be cheap.</b> Most are called once per packet on an event loop:
 *       no locks, no I/O, no allocation on the steady path (counters such as {@code LongAdder}).</li>
 *   <li><b>Must not throw.</b> The server does not guard the calls.</li>
 *   <li><b>Bounded labels.</b> Namespaces, reasons and event names come from the network or from user
 *       code: an implementation that turns them into labels bounds how many distinct values it keeps
 *       (event names: an allowlist, others counted as {@code other}).</li>
 * </ol>
 *
 * <p>Arguments are the protocol's own words: transports {@code "polling"} / {@code "websocket"};
 * close reasons as socket.io spells them ({@code "transport close"}, {@code "ping timeout"}, ...,
 * see {@link io.sockeye.core.DisconnectReason}); sizes in bytes as the transport sees them (text
 * received is counted in characters, which equals bytes for ASCII); durations in nanoseconds.
 */
public interface SockeyeMetrics {

    /** Records nothing; the default. The server skips clock reads and per-broadcast bookkeeping for it. */
    SockeyeMetrics NOOP = new SockeyeMetrics() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public String toString() {
            return "SockeyeMetrics.NOOP";
        }
    };

    /**
     * Whether anything is recorded. When false the server skips work done only for metrics (reading
     * the clock for latencies, tracking a broadcast until its last write). Default true.
     */
    default boolean enabled() {
        return true;
    }

    // ---- Engine.IO sessions ------------------------------------------------------------------

    /**
     * A handshake succeeded: a new session is open on {@code transport}, pinned to {@code loop} (an
     * implementation may watch each loop it sees, e.g. for scheduling delay).
     */
    default void sessionOpened(String transport, EventExecutor loop) {
    }

    /**
     * An Engine.IO request was refused before reaching a session.
     *
     * @param reason    {@code unknown_transport}, {@code bad_request}, {@code bad_handshake_method},
     *                  {@code unsupported_protocol_version}, {@code forbidden} (the {@code allowRequest}
     *                  hook), {@code shutting_down}, or {@code unknown_sid}
     * @param handshake whether it asked for a new session (no {@code sid})
     */
    default void requestRejected(String reason, boolean handshake) {
    }

    /**
     * The transport closed a connection before reading any request from it.
     *
     * @param reason {@code proxy_header_missing} (a trusted proxy sent no PROXY protocol header),
     *               {@code proxy_header_untrusted} (a peer outside the trusted proxies sent one) or
     *               {@code proxy_header_invalid}
     */
    default void connectionRefused(String reason) {
    }

    /** A session completed its upgrade from {@code from} to {@code to} (polling → websocket). */
    default void sessionUpgraded(String from, String to) {
    }

    /** A session closed while on {@code transport}, with an Engine.IO close reason. Once per opened session. */
    default void sessionClosed(String transport, String reason) {
    }

    /** An Engine.IO packet arrived on {@code transport}. */
    default void enginePacketReceived(String transport, EnginePacketType type) {
    }

    /** An Engine.IO packet was written to {@code transport}. */
    default void enginePacketSent(String transport, EnginePacketType type) {
    }

    /** Bytes read from the network: one WebSocket frame or one polling POST body. */
    default void engineBytesReceived(String transport, long bytes) {
    }

    /** Bytes written to the network: one WebSocket frame or one polling response body. */
    default void engineBytesSent(String transport, long bytes) {
    }

    /** A volatile packet was dropped because its connection was over the write high-water mark. */
    default void volatileDropped() {
    }

    /** A session was closed because its unsent bytes passed {@code maxBufferedBytes} ({@code slow consumer}). */
    default void slowConsumerClosed() {
    }

    // ---- Socket.IO ---------------------------------------------------------------------------

    /** A socket joined {@code namespace} (its CONNECT succeeded). */
    default void socketConnected(String namespace) {
    }

    /** A socket left {@code namespace}, with a socket.io disconnect reason. Once per connected socket. */
    default void socketDisconnected(String namespace, String reason) {
    }

    /**
     * A CONNECT was answered with CONNECT_ERROR.
     *
     * @param reason {@code invalid_namespace} (no such namespace) or {@code middleware} (a middleware
     *               rejected the socket, e.g. authentication)
     */
    default void connectRejected(String reason) {
    }

    /**
     * A binary packet (text followed by attachments) was refused while its attachments arrived, and its
     * connection closed with {@code transport error}.
     *
     * @param reason {@code packet_too_large} (its text and attachments together passed
     *               {@code maxHttpBufferSize}), {@code binary_packet_timeout} (its attachments did not all
     *               arrive within {@code binaryPacketTimeout}) or {@code pending_attachments_limit} (the
     *               server already held {@code maxPendingAttachmentBytes} for such packets)
     */
    default void binaryPacketRefused(String reason) {
    }

    /**
     * A complete Socket.IO packet arrived; {@code bytes} counts its text and binary attachments.
     */
    default void packetReceived(SocketPacketType type, long bytes) {
    }

    /** A Socket.IO packet was handed to a connection; {@code bytes} counts its text and attachments. */
    default void packetSent(SocketPacketType type, long bytes) {
    }

    /** An EVENT named {@code event} arrived on {@code namespace} (before middlewares and handlers). */
    default void eventReceived(String namespace, String event) {
    }

    /** This node started a broadcast on {@code namespace} ({@code io.to(room).emit}, {@code socket.broadcast}...). */
    default void broadcastStarted(String namespace) {
    }

    /**
     * A broadcast (started here or received from another node) was handed to its local recipients.
     *
     * @param recipients   the local fan-out (at least 1)
     * @param elapsedNanos from the moment the adapter started resolving recipients to the last local
     *                     write (handing the packet to the last recipient's connection)
     */
    default void broadcastDelivered(int recipients, long elapsedNanos) {
    }

    /** A client answered an ack the server asked for, {@code elapsedNanos} after the request was queued. */
    default void ackReceived(long elapsedNanos) {
    }

    /** An ack the server asked for did not arrive within its timeout. */
    default void ackTimedOut() {
    }

    // ---- connection state recovery (see io.sockeye.core.recovery) -----------------------------

    /** A client presented a session id ({@code pid}) in its CONNECT to {@code namespace}. */
    default void recoveryAttempted(String namespace) {
    }

    /** A socket of {@code namespace} was restored, with {@code replayed} missed packets sent before its CONNECT reply. */
    default void recoverySucceeded(String namespace, int replayed) {
    }

    /**
     * A recovery attempt on {@code namespace} ended with a fresh socket ({@code recovered:false}), or with
     * {@code connect_error} for {@link io.sockeye.core.recovery.RecoveryFailure#REJECTED}.
     *
     * @param reason one of the {@link io.sockeye.core.recovery.RecoveryFailure} constants
     */
    default void recoveryFailed(String namespace, String reason) {
    }

    /**
     * A socket of {@code namespace} that still looked connected (a half-open "ghost") was closed because
     * a new connection restored its session.
     */
    default void recoveryTookOver(String namespace) {
    }

    /** A node-local history of {@code namespace} kept a new entry of about {@code bytes}. */
    default void historyAppended(String namespace, long bytes) {
    }

    /**
     * A node-local history of {@code namespace} dropped an entry of about {@code bytes}. With
     * {@link #historyAppended} an implementation keeps entry and byte gauges.
     *
     * @param reason {@code size} (per-room bound), {@code age}, {@code memory} (the node's budget) or
     *               {@code closed} (the namespace's adapter closed)
     */
    default void historyEvicted(String namespace, long bytes, String reason) {
    }

    // ---- cluster adapters (called by ClusterAdapter and its backends) -------------------------

    /** A cluster message of {@code type} (a {@link io.sockeye.core.adapter.ClusterMessageType} name) was published. */
    default void clusterPublished(String type) {
    }

    /** Publishing a cluster message of {@code type} failed. */
    default void clusterPublishFailed(String type) {
    }

    /** A cluster message of {@code type} from another node was received. */
    default void clusterReceived(String type) {
    }

    /** A cluster request ({@code fetch_sockets}, {@code server_side_emit}, ...) timed out waiting for other nodes. */
    default void clusterRequestTimedOut(String request) {
    }

    /** The bus took {@code elapsedNanos} to accept a publish (or to deliver a message, if the backend can tell). */
    default void clusterBusLatency(long elapsedNanos) {
    }

    /**
     * The bus connection went up or down (e.g. Redis or NATS reconnecting).
     *
     * @param detail a short human-readable reason, never a URL with credentials
     */
    default void clusterBusStatus(boolean up, String detail) {
    }

    // ---- values read when the metrics are collected ------------------------------------------

    /** A server starts: its gauges are read from {@code gauges} until {@link #removeGauges}. */
    default void addGauges(ServerGauges gauges) {
    }

    /** The server closed. */
    default void removeGauges(ServerGauges gauges) {
    }
}
