package io.sockeye.adapter.redis;

import io.sockeye.adapter.redis.internal.Counters;
import io.sockeye.adapter.redis.internal.Outgoing;
import io.sockeye.adapter.redis.internal.RedisBus;
import io.sockeye.core.adapter.AdapterTimeoutException;
import io.sockeye.core.adapter.ClusterAdapter;
import io.sockeye.core.adapter.NamespaceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The adapter of one namespace on Redis pub/sub, made by a {@link RedisAdapterFactory}: either
 * {@link ClassicRedisAdapter} (redis-adapter's {@code createAdapter}) or {@link ShardedRedisAdapter}
 * ({@code createShardedAdapter}). Request correlation, timeouts and the local side of every operation
 * are the core {@link ClusterAdapter}'s; this class family only moves bytes.
 *
 * <p>Server count is Redis's own subscriber count of the namespace's request (classic) or main
 * (sharded) channel, as in socket.io, so no heartbeats are sent. A node whose process dies is
 * dropped from the count as soon as Redis sees its connection close; a node cut off without its TCP
 * connection closing stays counted until Redis's {@code tcp-keepalive} notices (300 s by default),
 * and requests meanwhile end with {@link AdapterTimeoutException} after their timeout, carrying the
 * results that did arrive.
 *
 * <p>Faults: while Redis is unreachable, broadcasts are still delivered to this node's sockets and
 * cluster operations fail at once with {@link RedisUnavailableException} (fetchSockets,
 * serverSideEmitWithAck, serverCount, broadcast with acks) or are dropped with a log line and a
 * {@code publishErrors} count (broadcast, socketsJoin/Leave, disconnectSockets, serverSideEmit):
 * nothing is queued for later. A received message that is not one of the format's is dropped and
 * counted in {@code receiveErrors}, logged once at warn per namespace and then at debug.
 */
public abstract class RedisAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);

    final RedisBus bus;
    final Counters counters;
    final RedisAdapterOptions redisOptions;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicBoolean warnedUndecodable = new AtomicBoolean();

    RedisAdapter(NamespaceContext namespace, RedisBus bus, Counters counters, RedisAdapterOptions options) {
        super(namespace, options.clusterOptions());
        this.bus = bus;
        this.counters = counters;
        this.redisOptions = options;
    }

    /**
     * Completes when {@link #init()} did: the subscriptions are confirmed by Redis (or deferred until
     * it is back, when it was unreachable at startup).
     */
    public CompletableFuture<Void> ready() {
        return ready.copy();
    }

    @Override
    public CompletableFuture<Void> init() {
        CompletableFuture<Void> started = super.init();
        started.whenComplete((v, e) -> {
            if (e != null) {
                ready.completeExceptionally(e);
            } else {
                if (!bus.isConnected()) {
                    log.warn("namespace {}: Redis is unreachable, subscriptions will be made when it is back",
                            namespace.name());
                }
                ready.complete(null);
            }
        });
        return started;
    }

    /** Room channels subscribed right now (sharded dynamic modes); the classic format has none. */
    int roomSubscriptionCount() {
        return 0;
    }

    // ---- sending -----------------------------------------------------------------------------

    /** Publishes, completing with no offset (pub/sub has none). */
    final CompletableFuture<String> send(Outgoing message, boolean sharded) {
        if (message == null) {
            return CompletableFuture.completedFuture(null);
        }
        return bus.publish(message, sharded).thenApply(v -> null);
    }

    /** Publishes a response; a failure is counted and logged, nobody waits for it. */
    final void sendResponse(Outgoing message, boolean sharded) {
        if (message == null) {
            return;
        }
        bus.publish(message, sharded).whenComplete((v, e) -> {
            if (e != null) {
                log.debug("namespace {}: response on {} not published", namespace.name(), message.channel(), e);
            }
        });
    }

    /** Counts and logs a message that could not be handled; never throws. */
    final void dropped(String channel, RuntimeException e) {
        counters.receiveError();
        // Once at warn (a misconfigured peer on our channels), then at debug: no log flood.
        if (warnedUndecodable.compareAndSet(false, true)) {
            log.warn("namespace {}: dropped a message on {} (further ones logged at debug): {}", namespace.name(),
                    channel, e.toString());
        } else {
            log.debug("namespace {}: dropped a message on {}: {}", namespace.name(), channel, e.toString());
        }
    }
}
