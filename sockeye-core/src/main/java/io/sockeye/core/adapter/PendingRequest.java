package io.sockeye.core.adapter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One cluster request waiting for other nodes' responses (fetchSockets, serverSideEmitWithAck).
 *
 * <p>Two ways to know when it is complete:
 * <ul>
 *   <li>by node: the ids of the nodes alive when it was sent (heartbeat tracking); a node that
 *       leaves meanwhile is no longer waited for;</li>
 *   <li>by count: "N more responses" when the bus only knows a subscriber count.</li>
 * </ul>
 * Either way a node's second response is ignored, so duplicate deliveries are harmless. Responses
 * from nodes not waited for (they joined after the request was sent) still add their results.
 * Thread-safe; the future is completed outside the lock.
 *
 * <p>Part of the adapter-support API: {@link ClusterAdapter} correlates its own requests with it, and a
 * backend with requests of its own (the Redis adapter's room listing across nodes, say) may use it too.
 */
public final class PendingRequest {

    private final String requestId;
    private final Set<String> awaiting;     // by node, or null when by count
    private int remaining;                  // by count
    private final Set<String> responded = new HashSet<>();
    private final List<Object> results;
    private final CompletableFuture<List<Object>> future = new CompletableFuture<>();
    private volatile ScheduledFuture<?> timer;
    private boolean done;

    private PendingRequest(String requestId, Set<String> awaiting, int remaining, Collection<?> initialResults) {
        this.requestId = requestId;
        this.awaiting = awaiting;
        this.remaining = remaining;
        this.results = new ArrayList<>(initialResults);
    }

    /** Waits for one response from each of {@code nodes}. */
    public static PendingRequest byNode(String requestId, Set<String> nodes, Collection<?> initialResults) {
        return new PendingRequest(requestId, new HashSet<>(nodes), 0, initialResults);
    }

    /** Waits for {@code count} responses from distinct nodes. */
    public static PendingRequest byCount(String requestId, int count, Collection<?> initialResults) {
        return new PendingRequest(requestId, null, count, initialResults);
    }

    public String requestId() {
        return requestId;
    }

    public CompletableFuture<List<Object>> future() {
        return future;
    }

    public void setTimer(ScheduledFuture<?> timer) {
        this.timer = timer;
        if (future.isDone()) {
            timer.cancel(false);
        }
    }

    /** Records a node's response; returns true when this completed the request. */
    public boolean onResponse(String nodeUid, Collection<?> items) {
        List<Object> complete;
        synchronized (this) {
            if (done || !responded.add(nodeUid)) {
                return false;
            }
            results.addAll(items);
            if (awaiting != null) {
                awaiting.remove(nodeUid);
            } else {
                remaining--;
            }
            complete = completeIfDone();
        }
        return finish(complete);
    }

    /** A node left the cluster: stop waiting for it; returns true when this completed the request. */
    public boolean onNodeGone(String nodeUid) {
        List<Object> complete;
        synchronized (this) {
            if (done || awaiting == null || !awaiting.remove(nodeUid)) {
                return false;
            }
            complete = completeIfDone();
        }
        return finish(complete);
    }

    /** Completes the request if nothing is awaited (e.g. no other node); returns true if it did. */
    public boolean completeIfNothingAwaited() {
        List<Object> complete;
        synchronized (this) {
            complete = done ? null : completeIfDone();
        }
        return finish(complete);
    }

    /** The deadline passed: fail with the results gathered so far. */
    public void onTimeout() {
        AdapterTimeoutException failure;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            int missing = awaiting != null ? awaiting.size() : remaining;
            failure = new AdapterTimeoutException("timeout reached: " + responded.size()
                    + " responses received, " + missing + " missing", results, missing);
        }
        future.completeExceptionally(failure);
    }

    /** Fails the request (publish failed, adapter closed). */
    public void fail(Throwable cause) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        cancelTimer();
        future.completeExceptionally(cause);
    }

    private List<Object> completeIfDone() {
        boolean complete = awaiting != null ? awaiting.isEmpty() : remaining <= 0;
        if (!complete) {
            return null;
        }
        done = true;
        // Replies may be null, hence no List.copyOf.
        return Collections.unmodifiableList(new ArrayList<>(results));
    }

    private boolean finish(List<Object> complete) {
        if (complete == null) {
            return false;
        }
        cancelTimer();
        future.complete(complete);
        return true;
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
