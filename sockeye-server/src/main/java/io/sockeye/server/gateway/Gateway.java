package io.sockeye.server.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.util.HashedWheelTimer;
import io.sockeye.server.gateway.GatewaySettings.ConnectMode;
import io.sockeye.server.gateway.forward.ForwardedEvent;
import io.sockeye.server.gateway.forward.Forwarding;
import io.sockeye.server.gateway.proxy.BackendConnections;
import io.sockeye.server.gateway.proxy.ProxyKind;
import io.sockeye.server.gateway.proxy.Proxies;
import io.sockeye.server.rooms.RoomsHooks;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The standalone server as a gateway to the application's backends (hub and spoke, {@code docs/proxy.md}):
 * the rooms service's {@link RoomsHooks} served by HTTP proxies ({@link Proxies}) and by forwarding into
 * brokers ({@link Forwarding}).
 *
 * <ul>
 *   <li>connect: the connect proxy admits the connections {@link GatewaySettings.ConnectMode} gives it;</li>
 *   <li>subscribe: rooms in the subscribe proxy's scope that no grant or rule decides;</li>
 *   <li>publish: in the publish proxy's scope, the proxy validates (and may replace the data) unless a rule
 *       denies; then every broker with a route for the room must accept the event before it is
 *       broadcast;</li>
 *   <li>rpc: forwarded to the brokers with an rpc destination, then answered by the rpc proxy (without one,
 *       the result is {@code null} once the brokers took it).</li>
 * </ul>
 *
 * Threads: the proxies' HTTP calls run on the server's own event loops ({@link BackendConnections}), each on
 * the loop of the client connection that made it; one timer wheel holds every deadline, and one small executor
 * completes broker acknowledgements and resolves backend host names; nothing waits on a thread.
 */
public final class Gateway implements RoomsHooks, AutoCloseable {

    private final GatewaySettings settings;
    private final Proxies proxies;
    private final Forwarding forwarding;
    private final BackendConnections connections;
    private final HashedWheelTimer timer;
    private final ExecutorService executor;
    private final Clock clock;

    private Gateway(GatewaySettings settings, Proxies proxies, BackendConnections connections, Forwarding forwarding,
                    HashedWheelTimer timer, ExecutorService executor, Clock clock) {
        this.settings = settings;
        this.proxies = proxies;
        this.connections = connections;
        this.forwarding = forwarding;
        this.timer = timer;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Builds the proxies and connects to the brokers.
     *
     * @param loops a client bootstrap on the server's event loops, read at the first proxy call ({@code null}
     *              until the server has started)
     * @throws IllegalStateException naming the key of a broker that cannot be reached
     */
    public static Gateway start(GatewaySettings settings, GatewayMetrics metrics, Clock clock, Supplier<Bootstrap> loops) {
        HashedWheelTimer timer = new HashedWheelTimer(daemon("sockeye-gateway-timer"), 10, TimeUnit.MILLISECONDS);
        // Broker acknowledgements complete here, and backend host names are resolved here (the JDK blocks).
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("sockeye-gateway"));
        try {
            boolean https = settings.proxies().values().stream().anyMatch(p -> "https".equalsIgnoreCase(p.url().getScheme()));
            BackendConnections http = new BackendConnections(loops, https ? BackendConnections.defaultTls() : null, timer,
                    executor, settings.pool(), settings.maxAnswerBytes());
            Forwarding forwarding = settings.forward().enabled()
                    ? Forwarding.connect(settings.forward(), timer, executor, metrics)
                    : new Forwarding(List.of(), settings.forward().timeout(), timer, executor, metrics);
            return new Gateway(settings, new Proxies(settings, http, timer, metrics), http, forwarding, timer, executor, clock);
        } catch (RuntimeException e) {
            timer.stop();
            executor.shutdownNow();
            throw e;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- RoomsHooks ---------------------------------------------------------------------------

    @Override
    public boolean admits(boolean sentToken) {
        return proxies.has(ProxyKind.CONNECT) && (settings.connectMode() == ConnectMode.PROXY_ONLY || !sentToken);
    }

    @Override
    public CompletableFuture<Admission> connect(ConnectAttempt attempt) {
        return proxies.connect(attempt);
    }

    @Override
    public boolean refreshes() {
        return proxies.has(ProxyKind.REFRESH);
    }

    @Override
    public CompletableFuture<Instant> refresh(Caller caller) {
        return proxies.refresh(caller);
    }

    @Override
    public boolean authorizesSubscribe(String room) {
        return proxies.inScope(ProxyKind.SUBSCRIBE, room);
    }

    @Override
    public CompletableFuture<Object> subscribe(Caller caller, String room, Object data) {
        return proxies.subscribe(caller, room, data);
    }

    @Override
    public boolean validatesPublish(String room) {
        return proxies.inScope(ProxyKind.PUBLISH, room);
    }

    @Override
    public boolean interceptsPublish(String room) {
        return validatesPublish(room) || forwarding.forwards(room);
    }

    @Override
    public CompletableFuture<Object> publish(Caller caller, String room, String event, Object data, String id) {
        CompletableFuture<Object> validated = validatesPublish(room) ? proxies.publish(caller, room, event, data)
                : CompletableFuture.completedFuture(data);
        if (!forwarding.forwards(room)) {
            return validated;
        }
        return validated.thenCompose(d -> forwarding.send(ForwardedEvent.publish(room, event, d, id, caller.user(),
                caller.client(), caller.meta(), clock.millis())).thenApply(v -> d));
    }

    @Override
    public boolean servesRpc() {
        return proxies.has(ProxyKind.RPC) || forwarding.forwardsRpc();
    }

    @Override
    public CompletableFuture<Object> rpc(Caller caller, String method, Object data, String id) {
        CompletableFuture<Void> forwarded = forwarding.forwardsRpc()
                ? forwarding.send(ForwardedEvent.rpc(method, data, id, caller.user(), caller.client(), caller.meta(),
                        clock.millis()))
                : CompletableFuture.completedFuture(null);
        if (!proxies.has(ProxyKind.RPC)) {
            return forwarded.thenApply(v -> null);
        }
        return forwarded.thenCompose(v -> proxies.rpc(caller, method, data));
    }

    @Override
    public void close() {
        connections.close();
        forwarding.close();
        timer.stop();
        executor.shutdownNow();
    }
}
