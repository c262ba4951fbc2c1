package io.sockeye.server;

import io.sockeye.core.SocketIoServer;
import io.sockeye.server.cluster.ClusterBus;
import io.sockeye.server.metrics.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster bus's confirmation of this node's subscriptions for the standalone namespace {@code /}.
 * Until it comes, readiness says "cluster subscriptions pending": a broadcast another node publishes
 * before would not reach the clients connected here, so a load balancer must not send any yet.
 */
final class BusSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(BusSubscriptions.class);

    /** How long the start waits for the confirmation before it goes on, not ready. */
    static final Duration START_WAIT = Duration.ofSeconds(20);

    private final ClusterBus bus;
    private final CompletableFuture<Void> confirmed;

    private BusSubscriptions(ClusterBus bus, CompletableFuture<Void> confirmed) {
        this.bus = bus;
        this.confirmed = confirmed;
    }

    /** Makes namespace {@code /} (its adapter subscribes then) and keeps readiness pending until confirmed. */
    static BusSubscriptions watch(ClusterBus bus, SocketIoServer io, Readiness readiness) {
        io.of("/");
        CompletableFuture<Void> confirmed = bus.subscriptionsConfirmed("/");
        readiness.setClusterSubscriptionsPending(!confirmed.isDone() || confirmed.isCompletedExceptionally());
        return new BusSubscriptions(bus, confirmed.whenComplete((v, e) -> {
            if (e != null) {
                log.warn("the {} bus did not subscribe namespace /: /readyz stays not ready", bus.name(), e);
            } else {
                readiness.setClusterSubscriptionsPending(false);
            }
        }));
    }

    /** Waits at most {@code bound} for the confirmation; past it, warns and returns (readiness stays pending). */
    void await(Duration bound) {
        try {
            confirmed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the {} bus has not confirmed the subscriptions of namespace / within {} s: /readyz says"
                    + " not ready until it does", bus.name(), bound.toSeconds());
        } catch (ExecutionException e) {
            log.debug("subscriptions failed", e); // warned about in watch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
