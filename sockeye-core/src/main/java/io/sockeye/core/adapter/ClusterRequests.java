package io.sockeye.core.adapter;

import io.sockeye.core.metrics.SockeyeMetrics;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The requests a {@link ClusterAdapter} has in flight on the bus, correlated by request id: those that
 * wait for every other node's answer (fetchSockets, serverSideEmitWithAck) and the broadcasts with acks,
 * which count clients and collect acks until their timeout. Thread-safe: answers arrive on the bus
 * client's threads.
 */
final class ClusterRequests {

    private record AckRequest(IntConsumer clientCount, Consumer<List<Object>> ack) {
    }

    private final ScheduledExecutorService scheduler;
    private final SockeyeMetrics metrics;
    private final ConcurrentHashMap<String, PendingRequest> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AckRequest> ackRequests = new ConcurrentHashMap<>();

    ClusterRequests(ScheduledExecutorService scheduler, SockeyeMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /**
     * Sends {@code payload(requestId)} with {@code publish} and waits for the request's answers, starting
     * from {@code initialResults} (this node's own). {@code awaited} says whom to wait for: the nodes known
     * alive, or a number of answers when the bus only knows a subscriber count.
     */
    CompletableFuture<List<Object>> request(Function<String, ClusterPayload> payload, List<?> initialResults,
                                            Duration timeout, Supplier<CompletableFuture<Awaited>> awaited,
                                            Function<ClusterPayload, CompletableFuture<String>> publish) {
        String requestId = ClusterSupport.randomId();
        return awaited.get().thenApply(a -> a.nodes() != null
                        ? PendingRequest.byNode(requestId, a.nodes(), initialResults)
                        : PendingRequest.byCount(requestId, a.count(), initialResults))
                .thenCompose(request -> {
                    if (request.completeIfNothingAwaited()) {
                        return request.future(); // no other node: nothing to ask
                    }
                    ClusterPayload message = payload.apply(requestId);
                    requests.put(requestId, request);
                    request.future().whenComplete((r, e) -> {
                        requests.remove(requestId);
                        if (e instanceof AdapterTimeoutException) {
                            metrics.clusterRequestTimedOut(message.type().name());
                        }
                    });
                    request.setTimer(scheduler.schedule(request::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS));
                    publish.apply(message).whenComplete((offset, error) -> {
                        if (error != null) {
                            request.fail(error);
                        }
                    });
                    return request.future();
                });
    }

    /** Whom a request waits for: these nodes, or (when {@code nodes} is null) this many answers. */
    record Awaited(Set<String> nodes, int count) {
    }

    /** Registers a broadcast with acks; counts and acks arriving after {@code timeout} have nobody to report to. */
    String trackAcks(IntConsumer clientCount, Consumer<List<Object>> ack, Duration timeout) {
        String requestId = ClusterSupport.randomId();
        ackRequests.put(requestId, new AckRequest(clientCount, ack));
        scheduler.schedule(() -> ackRequests.remove(requestId), timeout.toNanos(), TimeUnit.NANOSECONDS);
        return requestId;
    }

    void onClientCount(String requestId, int count) {
        AckRequest request = ackRequests.get(requestId);
        if (request != null) {
            request.clientCount().accept(count);
        }
    }

    void onAck(String requestId, Object packet) {
        AckRequest request = ackRequests.get(requestId);
        if (request != null) {
            request.ack().accept(Collections.singletonList(packet));
        }
    }

    void onResponse(String requestId, String sender, List<?> items) {
        PendingRequest request = requests.get(requestId);
        if (request != null && sender != null) {
            request.onResponse(sender, items);
        }
    }

    void onNodeGone(String nodeUid) {
        for (PendingRequest request : requests.values()) {
            request.onNodeGone(nodeUid);
        }
    }

    /** Fails every waiting request with {@code cause} and forgets the broadcasts with acks. */
    void closeAll(RuntimeException cause) {
        requests.values().forEach(request -> request.fail(cause));
        requests.clear();
        ackRequests.clear();
    }
}
