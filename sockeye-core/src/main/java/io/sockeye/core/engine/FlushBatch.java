package io.sockeye.core.engine;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * The sessions of one event loop that have packets to flush, flushed by one task. A broadcast to a
 * thousand connections of a loop queues one task, not a thousand: the writes of the current task are
 * still coalesced per session (one flush, one system call each), but the loop's task queue sees one
 * entry. Touched only on the loop's own thread (sessions enqueue on their executor).
 *
 * <p>A broadcast that is alone on its loop gains nothing from waiting for the batch — each recipient
 * costs one write either way — so the broadcast path flushes each recipient as it is written
 * ({@link #broadcastStarts}, {@link #flushNow}): the first recipients get their bytes before the last
 * are queued. Batching is kept under load: only the first broadcast of a batch goes out eagerly, only
 * when no task waits on the loop, and not while the loop's previous batch held several broadcasts.
 * Public for the broadcast path of {@code io.sockeye.core.adapter}; not an application API.
 */
public final class FlushBatch {

    private static final Logger log = LoggerFactory.getLogger(FlushBatch.class);

    private static final FastThreadLocal<FlushBatch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
            return new FlushBatch();
        }
    };

    // Two lists used in turn: a session's flush may schedule another flush (a close packet, say),
    // which goes into the other list and gets a task of its own.
    private ArrayList<EngineSession> pending = new ArrayList<>();
    private ArrayList<EngineSession> spare = new ArrayList<>();
    private boolean scheduled;
    private boolean flushing;
    private final Runnable task = this::run;
    // Broadcasts written since this batch's task last ran, and how many the run before had.
    private int broadcasts;
    private int broadcastsBefore;

    private FlushBatch() {
    }

    /**
     * A broadcast's writes on the calling event loop begin: true when each recipient should be flushed
     * as it is written ({@link #flushNow}), false when the writes wait for the batch.
     */
    public static boolean broadcastStarts(EventExecutor loop) {
        FlushBatch batch = CURRENT.get();
        boolean eager = ++batch.broadcasts == 1 && batch.broadcastsBefore <= 1 && !othersWaiting(loop, batch);
        if (!batch.scheduled) {
            // The task marks the end of this batch even when no recipient queues anything.
            batch.scheduled = true;
            try {
                loop.execute(batch.task);
            } catch (RejectedExecutionException e) {
                batch.scheduled = false;
                return false; // the loop is shutting down
            }
        }
        return eager;
    }

    // Tasks other than this batch's own wait on the loop: more work that could share its flushes.
    private static boolean othersWaiting(EventExecutor loop, FlushBatch batch) {
        return loop instanceof SingleThreadEventExecutor single && single.pendingTasks() > (batch.scheduled ? 1 : 0);
    }

    /**
     * Flushes now the session written last on the calling event loop, if its packets wait for the batch
     * and it is on WebSocket. A long-polling session keeps waiting for the batch: a parked poll answered
     * with the first packet alone would make its client poll again for the rest.
     */
    public static void flushNow() {
        FlushBatch batch = CURRENT.get();
        ArrayList<EngineSession> pending = batch.pending;
        int last = pending.size() - 1;
        if (!batch.flushing && last >= 0 && pending.get(last).transport() instanceof WebSocketTransport) {
            flush(pending.remove(last));
        }
    }

    /** Flushes {@code session} once the current task of its event loop (the calling thread) is done. */
    static void schedule(EngineSession session) {
        FlushBatch batch = CURRENT.get();
        batch.pending.add(session);
        if (!batch.scheduled) {
            batch.scheduled = true;
            try {
                session.executor().execute(batch.task);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and will flush nothing more; keep the batch consistent.
                batch.scheduled = false;
                batch.pending.clear();
                throw e;
            }
        }
    }

    private void run() {
        scheduled = false;
        broadcastsBefore = broadcasts;
        broadcasts = 0;
        flushPending();
    }

    private void flushPending() {
        ArrayList<EngineSession> now = pending;
        pending = spare;
        spare = now;
        flushing = true;
        try {
            for (int i = 0, n = now.size(); i < n; i++) {
                flush(now.get(i));
            }
        } finally {
            flushing = false;
            now.clear();
        }
    }

    private static void flush(EngineSession session) {
        try {
            session.flush();
        } catch (Throwable e) {
            // Any failure, an Error included (an OutOfMemoryError, say), ends that session only:
            // the sessions after it in this batch still flush, or their packets would wait forever.
            log.warn("flush of session {} failed; closing it", session.id(), e);
            closeAfterFailure(session);
        }
    }

    private static void closeAfterFailure(EngineSession session) {
        try {
            session.closeNow("transport error");
        } catch (Throwable e) {
            log.warn("closing session {} after its failed flush failed too", session.id(), e);
        }
    }
}
