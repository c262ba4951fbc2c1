package io.sockeye.core.internal.socket;

import io.sockeye.core.DisconnectReason;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.SessionStore;
import io.sockeye.core.recovery.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connection state recovery for one namespace: the adapter's {@link RecoveryBackend} and the session
 * bookkeeping of its sockets — a record saved at connect, updated on room changes, stamped at a
 * recoverable disconnect and deleted at any other. Restores themselves are {@link SessionRestore}'s.
 */
final class NamespaceRecovery {

    private static final Logger log = LoggerFactory.getLogger(NamespaceRecovery.class);

    /** socket.io keeps a session only for these reasons (its {@code RECOVERABLE_DISCONNECT_REASONS}). */
    static final Set<String> RECOVERABLE = Set.of(DisconnectReason.TRANSPORT_ERROR, DisconnectReason.TRANSPORT_CLOSE,
            DisconnectReason.FORCED_CLOSE, DisconnectReason.PING_TIMEOUT, DisconnectReason.SERVER_SHUTTING_DOWN,
            DisconnectReason.FORCED_SERVER_CLOSE);

    /** The adapters' shared timer thread: periodic refreshes and sweeps, tiny tasks. */
    private static final ScheduledExecutorService TIMER = ClusterAdapterOptions.defaults().scheduler();

    private final NamespaceImpl nsp;
    private final ConnectionStateRecovery options;
    private final RecoveryBackend backend;
    private final SockeyeMetrics metrics;
    private final Duration connectedTtl;
    private final ScheduledFuture<?> refresh;
    // This node's live sockets by pid: a restore looks for a ghost here before it claims the record, and
    // a leaving socket writes its record, leaves its rooms and the namespace, and only then this map, so
    // a restore either finds it (and waits until it is gone) or finds it gone and its record written.
    private final Map<String, SocketImpl> live = new ConcurrentHashMap<>();
    // Node-local: the ids of disconnected sessions whose room memberships the adapter keeps until the
    // deadline (recovery clock), so that buses that only deliver a room's broadcasts to nodes with members
    // keep delivering what those sessions are owed. The members are "phantoms": no socket, no recipient.
    private final Map<String, Phantom> phantoms = new ConcurrentHashMap<>(); // by pid

    /** The memberships of a gone socket whose session this node keeps, until {@code deadline}. */
    private record Phantom(String sid, long deadline) {
    }
    private final ScheduledFuture<?> phantomSweep;

    private NamespaceRecovery(NamespaceImpl nsp, ConnectionStateRecovery options, RecoveryBackend backend,
                              SockeyeMetrics metrics) {
        this.nsp = nsp;
        this.options = options;
        this.backend = backend;
        this.metrics = metrics;
        if (backend.isShared()) {
            // A record in a shared store outlives a node that dies: refreshed while connected, it expires
            // one window plus one refresh period after the node's last refresh.
            Duration period = options.maxDisconnectionDuration().dividedBy(4);
            this.connectedTtl = options.maxDisconnectionDuration().plus(period);
            long millis = Math.max(1, period.toMillis());
            this.refresh = TIMER.scheduleWithFixedDelay(this::refreshConnected, millis, millis,
                    TimeUnit.MILLISECONDS);
        } else {
            this.connectedTtl = null; // node-local records die with the node
            this.refresh = null;
        }
        long sweep = Math.max(1_000, Math.min(30_000, options.maxDisconnectionDuration().toMillis() / 4));
        this.phantomSweep = backend.isShared() ? null : TIMER
                .scheduleWithFixedDelay(this::releaseExpiredPhantoms, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Recovery for {@code nsp}, or {@code null} when the server has it off or the adapter cannot
     * support it.
     */
    static NamespaceRecovery create(NamespaceImpl nsp, Adapter adapter, ServerContext server) {
        ServerOptions serverOptions = server.options();
        ConnectionStateRecovery options = serverOptions.connectionStateRecovery();
        if (options == null) {
            return null;
        }
        RecoveryContext context = new RecoveryContext(nsp.name(), options, server.historyBudget(), server.metrics(),
                serverOptions.pingInterval().plus(serverOptions.pingTimeout()), TIMER);
        RecoveryBackend backend = adapter.recovery(context);
        if (backend == null) {
            log.warn("the adapter of namespace {} ({}) does not support connection state recovery; the namespace runs without it",
                    nsp.name(), adapter.getClass().getName());
            return null;
        }
        return new NamespaceRecovery(nsp, options, backend, server.metrics());
    }

    ConnectionStateRecovery options() {
        return options;
    }

    RecoveryBackend backend() {
        return backend;
    }

    SockeyeMetrics metrics() {
        return metrics;
    }

    SessionStore sessions() {
        return backend.sessions();
    }

    /** The stream's head as this node knows it. */
    StreamPosition head() {
        return backend.history().head();
    }

    // ---- the session record of a socket ------------------------------------------------------

    /** The record of {@code socket} as it is now, in {@code rooms}. */
    SessionRecord record(SocketImpl socket, Set<String> rooms, long disconnectedAt) {
        SocketSession session = socket.session();
        return new SessionRecord(session.pid(), socket.id(), nsp.name(), session.roomsSince(rooms),
                socket.dataSnapshot(), session.position(), session.incarnation(), disconnectedAt);
    }

    /** A socket connected (or was restored): its record is saved under its new incarnation. */
    void connected(SocketImpl socket) {
        live.put(socket.session().pid(), socket);
        logFailure(sessions().save(record(socket, socket.rooms(), 0), connectedTtl), "save", socket);
    }

    /** The live socket of this node holding session {@code pid}, or null. */
    SocketImpl live(String pid) {
        return live.get(pid);
    }

    /** A connected socket joined or left rooms. */
    void roomsChanged(SocketImpl socket) {
        logFailure(sessions().update(record(socket, socket.rooms(), 0), connectedTtl), "update", socket);
    }

    /**
     * The socket is leaving with {@code reason}, still in its rooms: its record is stamped and kept for
     * the window when the reason is recoverable, else deleted. A socket taken over by a new connection
     * writes nothing: the session is the new socket's now. Returns the socket's last state.
     */
    SessionRecord leaving(SocketImpl socket, String reason) {
        SocketSession session = socket.session();
        SessionRecord last = record(socket, socket.rooms(), options.now());
        if (!session.takenOver()) {
            if (RECOVERABLE.contains(reason)) {
                logFailure(sessions().update(last.disconnected(options.now()), options.maxDisconnectionDuration()),
                        "keep", socket);
            } else {
                logFailure(sessions().delete(session.pid(), session.incarnation()), "delete", socket);
            }
        }
        return last;
    }

    /**
     * Whether a socket leaving with {@code reason} keeps its room memberships as a phantom: node-local
     * recovery, a session kept for the window. Called after {@link #leaving}.
     */
    boolean keepsRooms(SocketImpl socket, String reason) {
        if (backend.isShared() || socket.session().takenOver() || !RECOVERABLE.contains(reason)) {
            return false;
        }
        long deadline = options.now() + options.maxDisconnectionDuration().toMillis();
        phantoms.put(socket.session().pid(), new Phantom(socket.id(), deadline));
        return true;
    }

    /** The session {@code pid} ended here (consumed by a recovery that failed, or expired): its rooms go. */
    void releasePhantom(String pid) {
        Phantom phantom = phantoms.remove(pid);
        if (phantom != null && nsp.socket(phantom.sid()) == null) {
            nsp.adapter().delAll(phantom.sid());
        }
    }

    /** A restored socket took its phantom's memberships over. */
    void phantomRestored(String pid) {
        phantoms.remove(pid);
    }

    private void releaseExpiredPhantoms() {
        try {
            long now = options.now();
            phantoms.forEach((pid, phantom) -> {
                if (phantom.deadline() <= now && phantoms.remove(pid, phantom) && nsp.socket(phantom.sid()) == null) {
                    nsp.adapter().delAll(phantom.sid());
                }
            });
        } catch (RuntimeException e) {
            log.warn("releasing the rooms of expired sessions of namespace {} failed", nsp.name(), e);
        }
    }

    /** The socket has left its rooms and the namespace: a restore no longer finds it. */
    void gone(SocketImpl socket, SessionRecord last) {
        live.remove(socket.session().pid(), socket);
        socket.session().gone(last);
    }

    /**
     * Puts a claimed record back (a restore that could not finish: rejected by a middleware, or the
     * connection closed meanwhile) for what is left of its window.
     */
    void putBack(SessionRecord record) {
        long now = options.now();
        SessionRecord kept = record.connected() ? record.disconnected(now) : record;
        long left = kept.disconnectedAt() + options.maxDisconnectionDuration().toMillis() - now;
        if (left > 0) {
            logFailure(sessions().save(kept, Duration.ofMillis(left)), "restore", null);
        }
    }

    private void refreshConnected() {
        try {
            List<String> pids = new ArrayList<>();
            for (SocketImpl socket : nsp.sockets()) {
                if (socket.connected() && socket.session() != null) {
                    pids.add(socket.session().pid());
                }
            }
            if (!pids.isEmpty()) {
                logFailure(sessions().touch(pids, connectedTtl), "refresh", null);
            }
        } catch (RuntimeException e) {
            log.warn("refreshing the sessions of namespace {} failed", nsp.name(), e);
        }
    }

    private <T> void logFailure(CompletableFuture<T> write, String what, SocketImpl socket) {
        write.whenComplete((result, error) -> {
            if (error != null) {
                log.warn("session store: {} for {} of namespace {} failed", what,
                        socket == null ? "sessions" : "socket " + socket.id(), nsp.name(), error);
            }
        });
    }

    /**
     * A new connection restored the session of {@code ghost}, a socket of this node that still looks
     * connected: it leaves with {@code session taken over} (writing nothing to the store) and its
     * connection closes if nothing else uses it. Completes with its last state once it has left its
     * rooms and the namespace, or with {@code null} if it never connected.
     */
    CompletableFuture<SessionRecord> takeOver(SocketImpl ghost) {
        CompletableFuture<SessionRecord> result = new CompletableFuture<>();
        boolean queued = ghost.client().runOnLoop(() -> {
            SocketSession session = ghost.session();
            if (!ghost.connected() && !ghost.disconnecting()) {
                result.complete(session.lastState()); // gone already
                return;
            }
            session.takeOver().whenComplete((last, error) -> result.complete(last));
            if (ghost.connected()) {
                ghost.onClose(DisconnectReason.SESSION_TAKEN_OVER);
                ghost.client().closeIfIdle();
            }
        });
        if (!queued) {
            result.complete(null);
        }
        return result;
    }

    /** Stops refreshing; the adapter closes the backend's stores. */
    void close() {
        if (refresh != null) {
            refresh.cancel(false);
        }
        if (phantomSweep != null) {
            phantomSweep.cancel(false);
        }
    }
}
