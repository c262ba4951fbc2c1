package io.sockeye.server.gateway.forward;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.sockeye.server.gateway.GatewayMetrics;
import io.sockeye.server.rooms.RoomsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends each client event to every broker with a route for it, and completes once all of them accepted it
 * ({@code forward.timeout} at most; on the gateway's executor, never on a broker client's I/O thread). A
 * broker that did not accept in time, or refused, fails the whole event: the publisher is answered
 * {@code unavailable} and nothing is broadcast.
 */
public final class Forwarding implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Forwarding.class);

    private final List<Forwarder> forwarders;
    private final Duration timeout;
    private final Timer timer;
    private final Executor executor;
    private final GatewayMetrics metrics;

    public Forwarding(List<Forwarder> forwarders, Duration timeout, Timer timer, Executor executor, GatewayMetrics metrics) {
        this.forwarders = List.copyOf(forwarders);
        this.timeout = timeout;
        this.timer = timer;
        this.executor = executor;
        this.metrics = metrics;
    }

    /**
     * Connects to every configured broker.
     *
     * @throws IllegalStateException naming the key of a broker that cannot be reached (the others are closed)
     */
    public static Forwarding connect(ForwardSettings settings, Timer timer, Executor executor, GatewayMetrics metrics) {
        List<Forwarder> connected = new ArrayList<>();
        try {
            if (settings.kafka() != null) {
                connected.add(KafkaForwarder.connect(settings.kafka(), settings.timeout()));
            }
            if (settings.nats() != null) {
                connected.add(NatsForwarder.connect(settings.nats(), settings.timeout()));
            }
            if (settings.redis() != null) {
                connected.add(RedisStreamForwarder.connect(settings.redis(), settings.timeout()));
            }
        } catch (RuntimeException e) {
            connected.forEach(Forwarder::close);
            throw e;
        }
        connected.forEach(f -> log.info("forwarding client events to {}", f.name()));
        return new Forwarding(connected, settings.timeout(), timer, executor, metrics);
    }

    /** Whether publishes to {@code room} are forwarded anywhere. */
    public boolean forwards(String room) {
        for (Forwarder f : forwarders) {
            if (f.forwardsRoom(room)) {
                return true;
            }
        }
        return false;
    }

    /** Whether rpc calls are forwarded anywhere. */
    public boolean forwardsRpc() {
        for (Forwarder f : forwarders) {
            if (f.forwardsRpc()) {
                return true;
            }
        }
        return false;
    }

    /** Sends {@code event} to every broker routing it; completes when all accepted it. */
    public CompletableFuture<Void> send(ForwardedEvent event) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(forwarders.size());
        for (Forwarder f : forwarders) {
            if (event.room() != null ? f.forwardsRoom(event.room()) : f.forwardsRpc()) {
                acks.add(sendOne(f, event));
            }
        }
        CompletableFuture<Void> all = acks.size() == 1 ? acks.get(0) : CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
        CompletableFuture<Void> out = new CompletableFuture<>();
        all.whenCompleteAsync((v, e) -> {
            if (e == null) {
                out.complete(null);
            } else {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        }, executor);
        return out;
    }

    private CompletableFuture<Void> sendOne(Forwarder f, ForwardedEvent event) {
        long start = System.nanoTime();
        CompletableFuture<Void> ack;
        try {
            ack = f.send(event);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> acked = ack;
        Timeout deadline = timer.newTimeout(t -> acked.completeExceptionally(new TimeoutException(
                f.name() + " did not acknowledge within " + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return acked.whenComplete((v, e) -> {
            deadline.cancel();
            metrics.forwarded(f.name(), e == null, System.nanoTime() - start);
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                metrics.forwardError(f.name(), cause instanceof TimeoutException ? "timeout"
                        : cause instanceof RoomsException ? "refused" : "unavailable");
                log.debug("{} did not take event {}: {}", f.name(), event.id(), cause.toString());
            }
        });
    }

    @Override
    public void close() {
        forwarders.forEach(Forwarder::close);
    }
}
