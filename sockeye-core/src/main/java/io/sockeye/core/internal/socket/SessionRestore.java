package io.sockeye.core.internal.socket;

import io.sockeye.core.Handshake;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryFailure;
import io.sockeye.core.recovery.SessionClaim;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Restores a socket from the CONNECT auth's {@code pid} and {@code offset} (socket.io's connection state
 * recovery), one step after the other on the client's event loop:
 *
 * <ol>
 *   <li>check the pid and offset are strings and the offset parses — else a fresh socket;</li>
 *   <li>claim the session record (single use: a second claim of the pid finds nothing);</li>
 *   <li>close a socket of the same session that still looks connected (a half-open ghost) and take its
 *       last rooms and data (on other nodes only when the record says it was still connected);</li>
 *   <li>run the middlewares (only those registered with {@code useAlways} when recovery skips
 *       middlewares); a rejection puts the record back and answers {@code connect_error};</li>
 *   <li>join the rooms with the socket holding live packets, then read the history after the offset
 *       (or after the session's start when the client sent none: it had received no event);</li>
 *   <li>write the missed packets, the CONNECT reply, and the held packets the replay did not cover.</li>
 * </ol>
 *
 * Any failure before the reply gives a fresh socket ({@code recovered:false}) that goes through every
 * middleware, as socket.io does; the reason goes to the metrics. Nothing throws.
 */
final class SessionRestore {

    private static final Logger log = LoggerFactory.getLogger(SessionRestore.class);
    /** Entries per history read; a longer replay takes several reads. */
    static final int PAGE = 1000;
    /** Longer pids are refused without asking the store. */
    private static final int MAX_PID_LENGTH = 128;

    private final NamespaceImpl nsp;
    private final NamespaceRecovery recovery;
    private final Client client;
    private final Handshake handshake;
    private final SockeyeMetrics metrics;
    private final List<HistoryEntry> replay = new ArrayList<>();
    private String pid; // once claimed
    private SessionRecord record;
    private StreamPosition after;
    private SocketImpl socket;

    private SessionRestore(NamespaceImpl nsp, NamespaceRecovery recovery, Client client, Handshake handshake) {
        this.nsp = nsp;
        this.recovery = recovery;
        this.client = client;
        this.handshake = handshake;
        this.metrics = recovery.metrics();
    }

    /** Starts restoring; called on the client's event loop with the CONNECT's auth. */
    static void start(NamespaceImpl nsp, NamespaceRecovery recovery, Client client, Map<String, Object> auth,
                      Handshake handshake) {
        new SessionRestore(nsp, recovery, client, handshake).start(auth.get("pid"), auth.get("offset"));
    }

    private void start(Object pid, Object offset) {
        metrics.recoveryAttempted(nsp.name());
        // socket.io restores only when both are strings; an absent offset means "no event received yet".
        if (!(pid instanceof String p) || p.isEmpty() || p.length() > MAX_PID_LENGTH
                || (offset != null && !(offset instanceof String))) {
            fresh(RecoveryFailure.MALFORMED);
            return;
        }
        StreamPosition presented = null;
        if (offset != null) {
            presented = recovery.backend().history().offsetFormat().parse((String) offset);
            if (presented == null) {
                fresh(RecoveryFailure.MALFORMED);
                return;
            }
        }
        StreamPosition offsetPosition = presented;
        // Looked up before the claim: a socket that leaves writes its record first, so either it is found
        // here (and its last state is taken from it) or the claim gets what it wrote.
        SocketImpl ghost = recovery.live(p);
        this.pid = p;
        call(() -> recovery.sessions().claim(p), (claim, error) -> claimed(claim, error, offsetPosition, ghost));
    }

    private void claimed(SessionClaim claim, Throwable error, StreamPosition presented, SocketImpl ghost) {
        if (!client.open()) {
            if (claim != null && claim.claimed()) {
                recovery.putBack(claim.record());
            }
            closed();
            return;
        }
        if (error != null) {
            log.debug("claiming a session on namespace {} failed", nsp.name(), error);
            fresh(RecoveryFailure.UNAVAILABLE);
            return;
        }
        if (!claim.claimed()) {
            fresh(claim.failure());
            return;
        }
        record = claim.record();
        if (!record.namespace().equals(nsp.name())) {
            fresh(RecoveryFailure.UNKNOWN_SESSION);
            return;
        }
        StreamPosition start = record.position();
        if (presented != null && !presented.sameEpoch(start)) {
            fresh(RecoveryFailure.OTHER_EPOCH);
            return;
        }
        // Replay never starts before the session did: a restored socket's earlier history was replayed.
        after = presented == null || presented.sequence() < start.sequence() ? start : presented;
        // Only a record still marked connected can have a ghost elsewhere (a half-open connection, or a
        // node that died): one that left stamped its record. A takeover is an entry in a bounded shared
        // stream, so one per restore would let a storm of restores trim away the history they replay.
        if (recovery.backend().isShared() && record.connected()) {
            recovery.backend().takeOver(record.sid());
        }
        if (ghost != null && ghost.id().equals(record.sid())) {
            metrics.recoveryTookOver(nsp.name());
            recovery.takeOver(ghost).whenComplete((last, e) -> onLoop(() -> withState(last != null ? last : record)));
        } else {
            withState(record);
        }
    }

    /** The session's last state is known (the record, or what a ghost had when it left). */
    private void withState(SessionRecord state) {
        record = state;
        if (!client.open()) {
            recovery.putBack(state);
            closed();
            return;
        }
        socket = new SocketImpl(nsp, client, state.sid(), handshake, SocketSession.restoring(state));
        state.data().forEach((key, value) -> {
            if (key != null && value != null) {
                socket.data().put(key, value);
            }
        });
        nsp.runMiddlewares(client, socket, recovery.options().skipMiddlewares(), error -> {
            if (error != null) {
                recovery.putBack(state); // a later attempt, e.g. with a fresh token, may still recover
                metrics.recoveryFailed(nsp.name(), RecoveryFailure.REJECTED);
                nsp.finishConnect(client, socket, error);
            } else {
                join();
            }
        });
    }

    private void join() {
        if (!client.open()) {
            recovery.putBack(record);
            closed();
            return;
        }
        if (!nsp.addRestoring(socket)) {
            fresh(RecoveryFailure.UNKNOWN_SESSION);
            return;
        }
        // Joined before the history is read, holding live packets: whatever is published from now on
        // reaches the socket live, whatever was published before is in the history.
        socket.restoring();
        Set<String> rooms = new HashSet<>(record.rooms().keySet());
        rooms.add(socket.id());
        socket.session().joining(rooms, record.position().sequence());
        nsp.adapter().addAll(socket.id(), rooms);
        read(new HistoryQuery(after, socket.session().roomsSince(socket.rooms()), true, PAGE));
    }

    private void read(HistoryQuery query) {
        call(() -> recovery.backend().history().read(query), (page, error) -> onPage(query, page, error));
    }

    private void onPage(HistoryQuery query, HistoryRead page, Throwable error) {
        if (!client.open()) {
            socket.abandonRestore(!recovery.backend().isShared()); // put back, with its rooms kept
            recovery.putBack(record);
            closed();
            return;
        }
        if (error != null || !page.ok()) {
            if (error != null) {
                log.debug("reading the history of namespace {} failed", nsp.name(), error);
            }
            socket.abandonRestore(false);
            fresh(error != null ? RecoveryFailure.UNAVAILABLE : reason(page.status()));
            return;
        }
        replay.addAll(page.entries());
        if (page.more()) {
            read(query.after(page.through()));
            return;
        }
        client.connectDone(nsp.name());
        recovery.phantomRestored(pid);
        OffsetFormat format = recovery.backend().history().offsetFormat();
        for (HistoryEntry entry : replay) {
            client.write(client.replayed(entry.replayPacket(format)), false); // before the CONNECT reply, as socket.io sends them
        }
        socket.restored(page.through());
        metrics.recoverySucceeded(nsp.name(), replay.size());
        log.debug("socket {} of namespace {} restored with {} missed packets", socket.id(), nsp.name(), replay.size());
        nsp.fireConnection(socket);
    }

    private static String reason(HistoryRead.Status status) {
        return switch (status) {
            case OTHER_EPOCH -> RecoveryFailure.OTHER_EPOCH;
            case AHEAD -> RecoveryFailure.AHEAD;
            case PRUNED -> RecoveryFailure.PRUNED;
            case OK -> throw new IllegalArgumentException("not a failure");
        };
    }

    /** Recovery failed: a fresh socket, as socket.io gives (a consumed session's kept rooms are let go). */
    private void fresh(String reason) {
        // Not for an unknown pid: a restore of that session may be under way on another connection.
        if (pid != null && (record != null || RecoveryFailure.EXPIRED.equals(reason))) {
            recovery.releasePhantom(pid);
        }
        metrics.recoveryFailed(nsp.name(), reason);
        log.debug("recovery on namespace {} failed ({}): connecting a fresh socket", nsp.name(), reason);
        nsp.connectFresh(client, handshake);
    }

    /** The connection went away mid-restore: nobody to answer. */
    private void closed() {
        metrics.recoveryFailed(nsp.name(), RecoveryFailure.CLOSED);
        client.connectDone(nsp.name());
    }

    /** Calls a store and continues on the client's loop with its outcome; a store that throws has failed. */
    private <T> void call(java.util.function.Supplier<CompletableFuture<T>> store,
                          java.util.function.BiConsumer<T, Throwable> next) {
        CompletableFuture<T> future;
        try {
            future = store.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((value, error) -> onLoop(() -> next.accept(value, error)));
    }

    private void onLoop(Runnable step) {
        if (!client.runOnLoop(() -> guarded(step)) && socket != null) {
            socket.abandonRestore(false); // the loop is shutting down, and the connection with it
        }
    }

    // A step runs inside a future's callback, where an exception would vanish and leave the CONNECT
    // unanswered: a bug here closes the connection instead (the client reconnects and tries again).
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("restoring a session on namespace {} failed; closing the connection", nsp.name(), e);
            if (socket != null) {
                socket.abandonRestore(false);
            }
            metrics.recoveryFailed(nsp.name(), RecoveryFailure.UNAVAILABLE);
            client.closeConnection(io.sockeye.core.DisconnectReason.FORCED_SERVER_CLOSE,
                    io.sockeye.core.DisconnectReason.FORCED_SERVER_CLOSE);
        }
    }
}
