package io.sockeye.core.adapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the answers of one broadcast with acks (socket.io's {@code BroadcastOperator.emitWithAck}
 * bookkeeping): it knows how many nodes to hear from, learns from each node how many clients it
 * wrote to, and completes once every counted client replied. Callbacks may arrive in any order and
 * from any thread.
 *
 * <p>Part of the adapter-support API: {@link Adapter#broadcastWithAck(io.sockeye.protocol.socket.SocketPacket,
 * BroadcastOptions)} uses it, and an adapter that overrides that method may too.
 */
public final class BroadcastAckCollector {

    private final int expectedServers;
    private final CompletableFuture<List<List<Object>>> result = new CompletableFuture<>();
    private final List<List<Object>> replies = new ArrayList<>();
    private final ScheduledFuture<?> timer;
    private int countedServers;
    private int expectedClients;
    private boolean done;

    public BroadcastAckCollector(int expectedServers, Duration timeout) {
        this.expectedServers = Math.max(1, expectedServers);
        this.timer = AdapterTimers.shared().schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public CompletableFuture<List<List<Object>>> result() {
        return result;
    }

    public void onClientCount(int clients) {
        List<List<Object>> complete;
        synchronized (this) {
            if (done) {
                return;
            }
            countedServers++;
            expectedClients += clients;
            complete = completeIfDone();
        }
        finish(complete);
    }

    public void onAck(List<Object> args) {
        List<List<Object>> complete;
        synchronized (this) {
            if (done) {
                return;
            }
            replies.add(args);
            complete = completeIfDone();
        }
        finish(complete);
    }

    // Called under the lock; the future is completed outside it so callbacks never run while holding it.
    private List<List<Object>> completeIfDone() {
        if (countedServers >= expectedServers && replies.size() >= expectedClients) {
            done = true;
            return List.copyOf(replies);
        }
        return null;
    }

    private void finish(List<List<Object>> complete) {
        if (complete != null) {
            timer.cancel(false);
            result.complete(complete);
        }
    }

    private void onTimeout() {
        AdapterTimeoutException failure;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            int missingServers = expectedServers - countedServers;
            int missingClients = Math.max(0, expectedClients - replies.size());
            failure = new AdapterTimeoutException("operation has timed out: " + replies.size() + " acks received, "
                    + missingClients + " clients and " + Math.max(0, missingServers) + " servers missing",
                    replies, missingClients + Math.max(0, missingServers));
        }
        result.completeExceptionally(failure);
    }
}
