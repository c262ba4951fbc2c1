package io.sockeye.core.recovery;

import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stores connection state recovery uses for one namespace, as an adapter provides them
 * ({@link io.sockeye.core.adapter.Adapter#recovery}). Two modes:
 *
 * <ul>
 *   <li><b>Node-local</b> ({@link #nodeLocal}): the node numbers and keeps every broadcast it delivers
 *       (its own and, on a cluster, other nodes') in its own stream with its own epoch. A client
 *       recovers when it comes back to the same node (sticky sessions, which polling needs anyway) and
 *       gets {@code recovered:false} elsewhere. The in-memory adapter and cluster buses without a
 *       shared store (NATS) work this way. A disconnected socket whose session is kept stays in its
 *       rooms on its node (receiving nothing) until it is restored or its window passes, so buses that
 *       deliver a room's broadcasts only to nodes with members keep delivering what it is owed.</li>
 *   <li><b>Shared</b> ({@link #shared}): one stream per namespace for the whole cluster. The backend
 *       assigns each broadcast its position <em>as it publishes</em> (atomically with storing it), and
 *       every node — the publisher included — delivers broadcasts from the bus with the position the
 *       bus gave them, so all nodes see one order. Sessions are in the shared store, so a client
 *       recovers on any node, also after its node died.</li>
 * </ul>
 */
public final class RecoveryBackend {

    private final HistoryStore history;
    private final SessionStore sessions;
    private final boolean shared;
    private final Consumer<String> takeOver;
    private final Runnable onClose;

    private RecoveryBackend(HistoryStore history, SessionStore sessions, boolean shared, Consumer<String> takeOver,
                            Runnable onClose) {
        this.history = Objects.requireNonNull(history, "history");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.shared = shared;
        this.takeOver = Objects.requireNonNull(takeOver, "takeOver");
        this.onClose = onClose;
    }

    /** Node-local history and sessions: the Socket.IO layer appends to {@code history} as it delivers. */
    public static RecoveryBackend nodeLocal(LocalHistory history, SessionStore sessions) {
        return new RecoveryBackend(history, sessions, false, sid -> { }, () -> { });
    }

    /**
     * Node-local {@link InMemoryHistoryStore} and {@link InMemorySessionStore} for the context's
     * namespace, swept for expired entries and sessions every quarter of the history's age (between
     * 1 and 30 seconds) on the context's scheduler.
     */
    public static RecoveryBackend inMemory(RecoveryContext context) {
        InMemoryHistoryStore history = InMemoryHistoryStore.create(context);
        InMemorySessionStore sessions = new InMemorySessionStore(context.options().clock());
        long period = Math.max(1_000, Math.min(30_000, context.options().history().maxAge().toMillis() / 4));
        ScheduledFuture<?> sweep = context.scheduler().scheduleWithFixedDelay(() -> {
            try {
                history.sweep();
                sessions.sweep();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(RecoveryBackend.class).warn("sweeping the history of {} failed", context.namespace(), e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return new RecoveryBackend(history, sessions, false, sid -> { }, () -> sweep.cancel(false));
    }

    /**
     * History and sessions shared by the cluster.
     *
     * @param takeOver closes the socket with this id wherever it still looks connected on <em>other</em>
     *                 nodes (a half-open "ghost" whose session a new connection just claimed, e.g. by
     *                 publishing a disconnect for the id's room to the other nodes only); whatever the
     *                 ghost then writes to the session store is of an older incarnation and ignored
     */
    public static RecoveryBackend shared(HistoryStore history, SessionStore sessions, Consumer<String> takeOver) {
        return new RecoveryBackend(history, sessions, true, takeOver, () -> { });
    }

    public HistoryStore history() {
        return history;
    }

    public SessionStore sessions() {
        return sessions;
    }

    /** Whether history and sessions are shared by the cluster (else they are this node's). */
    public boolean isShared() {
        return shared;
    }

    /** The history this node appends to, or {@code null} for a shared backend. */
    public LocalHistory localHistory() {
        return shared ? null : (LocalHistory) history;
    }

    /** Asks other nodes to close a ghost socket with id {@code sid} (a no-op for node-local backends). */
    public void takeOver(String sid) {
        takeOver.accept(sid);
    }

    /** Closes both stores (and stops their sweeping). */
    public void close() {
        onClose.run();
        history.close();
        sessions.close();
    }
}
