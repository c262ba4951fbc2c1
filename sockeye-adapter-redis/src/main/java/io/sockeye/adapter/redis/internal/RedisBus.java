package io.sockeye.adapter.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.sockeye.adapter.redis.RedisUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One node's two connections to Redis, shared by the adapters of all its namespaces (as socket.io
 * shares {@code pubClient}/{@code subClient}): publishes and queries go out pipelined on one
 * connection (Lettuce writes each command without waiting for earlier replies), and a dedicated
 * subscriber connection receives, dispatching each message by channel or pattern to its handler on
 * Lettuce's I/O thread, in the order Redis sent them.
 *
 * <p>Faults. Publishes and queries fail at once with {@link RedisUnavailableException} while the
 * publish connection is down, and when Lettuce rejects them (its request queue is full, or, with the
 * factory's client options, the connection is reconnecting): nothing is queued for later. Lettuce
 * reconnects both connections with backoff and re-subscribes what it knew; on top of that, the
 * subscriptions asked for while Redis was away, and unsubscriptions that failed, are reconciled once
 * the subscriber is back, retrying until it is.
 *
 * <p>Behind a Sentinel, every (re)connection goes to the master the sentinels name at that moment,
 * so after a failover both connections come back on the new master and the subscriptions follow. On
 * a Redis Cluster, the subscriptions are also reconciled after every topology change (a failover, a
 * slot moved) and when a node ends a shard channel subscription by itself, so that each shard
 * channel is subscribed on the master owning its slot now.
 */
public final class RedisBus {

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    private static final long RECONCILE_DELAY_MS = 50;
    private static final int RECONCILE_ATTEMPTS = 600; // 30 s of retries per reconnection

    /** How a handler is subscribed. */
    public enum Kind { CHANNEL, PATTERN, SHARD_CHANNEL }

    /** Receives the messages of one channel or pattern; must not block. */
    @FunctionalInterface
    public interface Handler {
        void onMessage(String channel, byte[] payload);
    }

    private final RedisConnections connections;
    private final String target;
    private final Counters counters;
    private final ScheduledExecutorService scheduler;
    private final Map<Kind, ConcurrentHashMap<String, Handler>> handlers = new EnumMap<>(Kind.class);
    private final Map<Kind, Set<String>> stale = new EnumMap<>(Kind.class);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean outageLogged = new AtomicBoolean();
    private final RedisConnectionStateListener stateListener = new StateListener();
    private final StatefulConnection<byte[], byte[]> pub;
    private final StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private final Disposable topologyWatch;

    /**
     * Opens both connections (blocking: call it at startup).
     *
     * @param connect opens the connections, e.g. {@code () -> RedisConnections.single(client)}
     * @param target a description of the server for messages, e.g. its URI without password
     * @throws RedisUnavailableException when Redis cannot be reached now
     */
    public RedisBus(Supplier<RedisConnections> connect, String target, Counters counters,
                    ScheduledExecutorService scheduler) {
        this.target = target;
        this.counters = counters;
        this.scheduler = scheduler;
        for (Kind kind : Kind.values()) {
            handlers.put(kind, new ConcurrentHashMap<>());
            stale.put(kind, ConcurrentHashMap.newKeySet());
        }
        try {
            this.connections = connect.get();
        } catch (RuntimeException e) {
            throw new RedisUnavailableException("cannot connect to Redis at " + target, e);
        }
        this.pub = connections.pubConnection;
        this.sub = connections.sub;
        sub.addListener(new Listener());
        connections.client().addListener(stateListener);
        topologyWatch = connections.onTopologyChange(this::reconcileSoon);
    }

    /** Whether both connections are up. */
    public boolean isConnected() {
        return pub.isOpen() && sub.isOpen();
    }

    // ---- publishing and queries --------------------------------------------------------------

    /** {@code PUBLISH} (or {@code SPUBLISH} when {@code sharded}); completes when Redis accepted it. */
    public CompletableFuture<Void> publish(Outgoing message, boolean sharded) {
        RedisUnavailableException down = unavailableNow("message not published");
        if (down != null) {
            counters.publishError();
            return CompletableFuture.failedFuture(down);
        }
        byte[] channel = bytes(message.channel());
        BaseRedisAsyncCommands<byte[], byte[]> commands = connections.publisher();
        return call(() -> sharded ? commands.spublish(channel, message.payload())
                : commands.publish(channel, message.payload()), "message not published")
                .handle((receivers, error) -> {
                    if (error != null) {
                        counters.publishError();
                        throw error instanceof CompletionException c ? c : new CompletionException(error);
                    }
                    counters.published();
                    return null;
                });
    }

    /**
     * Runs one command on the publishing connection (pipelined like publishes), failing at once with
     * {@link RedisUnavailableException} while Redis is unreachable; {@code what} says what fails then.
     */
    public <T> CompletableFuture<T> execute(String what,
                                            Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
        RedisUnavailableException down = unavailableNow(what);
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        return call(() -> command.apply(connections.publisher()), what);
    }

    /** {@code PUBSUB NUMSUB channel} (or {@code SHARDNUMSUB}): how many connections subscribe to it. */
    public CompletableFuture<Integer> subscriberCount(String channel, boolean sharded) {
        RedisUnavailableException down = unavailableNow("cannot count servers");
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        byte[] name = bytes(channel);
        return call(() -> connections.subscriberCount(name, sharded), "cannot count servers");
    }

    private RedisUnavailableException unavailableNow(String what) {
        if (closed.get()) {
            return new RedisUnavailableException("Redis adapter closed: " + what, null);
        }
        if (!pub.isOpen()) {
            return new RedisUnavailableException("Redis at " + target + " is unreachable (reconnecting): " + what, null);
        }
        return null;
    }

    private <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> command, String what) {
        CompletableFuture<T> future;
        try {
            future = command.get().toCompletableFuture();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            throw new CompletionException(new RedisUnavailableException(
                    "Redis at " + target + " did not take the command (" + cause.getMessage() + "): " + what, cause));
        });
    }

    // ---- subscriptions -----------------------------------------------------------------------

    /**
     * Subscribes {@code handler} to {@code name}. Completes when Redis confirmed, or at once when Redis
     * is unreachable: the subscription is then made when the connection is back.
     */
    public CompletableFuture<Void> subscribe(Kind kind, String name, Handler handler) {
        handlers.get(kind).put(name, handler);
        stale.get(kind).remove(name);
        if (!sub.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        return command(kind, true, List.of(name)).exceptionally(e -> {
            log.debug("subscribing to {} failed; retried when the connection is back", name, e);
            return null;
        });
    }

    /** Unsubscribes; messages still arriving for {@code name} are dropped. */
    public CompletableFuture<Void> unsubscribe(Kind kind, String name) {
        handlers.get(kind).remove(name);
        if (!sub.isOpen()) {
            stale.get(kind).add(name);
            return CompletableFuture.completedFuture(null);
        }
        return command(kind, false, List.of(name)).exceptionally(e -> {
            stale.get(kind).add(name);
            return null;
        });
    }

    private CompletableFuture<Void> command(Kind kind, boolean subscribe, List<String> names) {
        List<byte[]> all = names.stream().map(RedisBus::bytes).toList();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (List<byte[]> group : connections.commandGroups(kind == Kind.SHARD_CHANNEL, all)) {
            sent.add(command(kind, subscribe, group.toArray(byte[][]::new)));
        }
        return sent.size() == 1 ? sent.get(0) : CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> command(Kind kind, boolean subscribe, byte[][] args) {
        RedisPubSubAsyncCommands<byte[], byte[]> async = sub.async();
        try {
            RedisFuture<Void> future = switch (kind) {
                case CHANNEL -> subscribe ? async.subscribe(args) : async.unsubscribe(args);
                case PATTERN -> subscribe ? async.psubscribe(args) : async.punsubscribe(args);
                case SHARD_CHANNEL -> subscribe ? async.ssubscribe(args) : async.sunsubscribe(args);
            };
            return future.toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Reconciles the subscriptions shortly (after a reconnection or a topology change). */
    private void reconcileSoon() {
        if (!closed.get()) {
            scheduler.schedule(() -> reconcile(0), RECONCILE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** After a reconnection: make Redis's view of our subscriptions match ours, retrying until it does. */
    private void reconcile(int attempt) {
        if (closed.get() || attempt > RECONCILE_ATTEMPTS) {
            return;
        }
        if (!sub.isOpen()) {
            scheduler.schedule(() -> reconcile(attempt + 1), RECONCILE_DELAY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        List<CompletableFuture<Void>> commands = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<String> wanted = new ArrayList<>(handlers.get(kind).keySet());
            if (!wanted.isEmpty()) {
                commands.add(command(kind, true, wanted));
            }
            List<String> unwanted = new ArrayList<>(stale.get(kind));
            unwanted.removeAll(wanted);
            if (!unwanted.isEmpty()) {
                commands.add(command(kind, false, unwanted).thenRun(() -> stale.get(kind).removeAll(unwanted)));
            }
        }
        CompletableFuture.allOf(commands.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (e != null) {
                scheduler.schedule(() -> reconcile(attempt + 1), RECONCILE_DELAY_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Closes both connections (subscriptions end with them). Idempotent. */
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        connections.client().removeListener(stateListener);
        topologyWatch.dispose();
        return connections.closeAsync();
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }

    private void dispatch(Kind kind, byte[] key, byte[] channel, byte[] payload) {
        counters.received();
        Handler handler = handlers.get(kind).get(text(key));
        if (handler == null) {
            return; // unsubscribed meanwhile
        }
        try {
            handler.onMessage(key == channel ? text(key) : text(channel), payload);
        } catch (RuntimeException e) {
            counters.receiveError();
            log.warn("dropped a malformed or unprocessable message on {}: {}", text(channel), e.toString());
        }
    }

    private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] channel, byte[] message) {
            dispatch(Kind.CHANNEL, channel, channel, message);
        }

        @Override
        public void message(byte[] pattern, byte[] channel, byte[] message) {
            dispatch(Kind.PATTERN, pattern, channel, message);
        }

        @Override
        public void smessage(byte[] channel, byte[] message) {
            dispatch(Kind.SHARD_CHANNEL, channel, channel, message);
        }

        /**
         * Redis ends shard channel subscriptions by itself when their slot moves to another node (a
         * resharding, a failover on a Redis Cluster). One we still have a handler for was not ended by
         * us: subscribe again, which goes to the slot's new owner.
         */
        @Override
        public void sunsubscribed(byte[] channel, long count) {
            if (!closed.get() && handlers.get(Kind.SHARD_CHANNEL).containsKey(text(channel))) {
                reconcileSoon();
            }
        }
    }

    /** Logs outages once, counts reconnections and reconciles subscriptions after them. */
    private final class StateListener implements RedisConnectionStateListener {
        private final Set<Object> seen = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (closed.get() || !connections.concerns(connection)) {
                return;
            }
            boolean first = seen.add(connection) && connection != pub && connection != sub;
            if (first) {
                // A cluster node's first connection: not a reconnection, but a subscription sent while
                // it was being made was rejected.
                if (connections.reconcileOnFirstConnect()) {
                    reconcileSoon();
                }
                return;
            }
            counters.reconnected();
            if (outageLogged.compareAndSet(true, false)) {
                log.info("Redis connection to {} restored; cluster operations resume", target);
            }
            if (connection != pub) {
                reconcileSoon();
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (closed.get() || !connections.concerns(connection)) {
                return;
            }
            if (outageLogged.compareAndSet(false, true)) {
                log.warn("Redis connection to {} lost; cluster operations fail until it is back, local delivery continues",
                        target);
            }
        }
    }
}
