package io.sockeye.core.engine;

import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;

/**
 * The sessions of one event loop that have packets to flush, flushed by one task. A broadcast to a
 * thousand connections of a loop queues one task, not a thousand: the writes of the current task are
 * still coalesced per session (one flush, one system call each), but the loop's task queue sees one
 * entry. Touched only on the loop's own thread (sessions enqueue on their executor).
 */
final class FlushBatch implements Runnable {

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

    private FlushBatch() {
    }

    /** Flushes {@code session} once the current task of its event loop (the calling thread) is done. */
    static void schedule(EngineSession session) {
        FlushBatch batch = CURRENT.get();
        batch.pending.add(session);
        if (!batch.scheduled) {
            batch.scheduled = true;
            try {
                session.executor().execute(batch);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and will flush nothing more; keep the batch consistent.
                batch.scheduled = false;
                batch.pending.clear();
                throw e;
            }
        }
    }

    @Override
    public void run() {
        scheduled = false;
        ArrayList<EngineSession> now = pending;
        pending = spare;
        spare = now;
        try {
            for (int i = 0, n = now.size(); i < n; i++) {
                EngineSession session = now.get(i);
                try {
                    session.flush();
                } catch (Throwable e) {
                    // Any failure, an Error included (an OutOfMemoryError, say), ends that session only:
                    // the sessions after it in this batch still flush, or their packets would wait forever.
                    log.warn("flush of session {} failed; closing it", session.id(), e);
                    closeAfterFailure(session);
                }
            }
        } finally {
            now.clear();
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
