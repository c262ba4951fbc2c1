package io.sockeye.server.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.server.gateway.GatewaySettings;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The gateway's HTTP/1.1 client, on the server's own event loops: a {@link LoopPool} of kept-alive
 * connections per backend origin and per loop. A call made on one of the loops (a client connection's
 * request) is written and answered on that loop, with no thread in between; one made elsewhere (a retry, a
 * broker's acknowledgement) goes to the loops in turn. {@code https} backends are HTTP/1.1 over TLS (the
 * JDK's engine, the JDK's trusted certificates, the host name checked); no HTTP/2.
 *
 * <p>Host names are resolved on the gateway's executor (the JDK resolver blocks), only when a connection is
 * opened. One sweep on the timer wheel closes the connections idle past {@code proxy.idle_timeout}.
 */
public final class BackendConnections implements AutoCloseable {

    private record Loops(Bootstrap base, EventLoop[] all) {
    }

    private final Supplier<Bootstrap> source;
    private final SslContext tls;
    private final Timer timer;
    private final Executor resolver;
    private final int maxPerLoop;
    private final long idleNanos;
    private final int maxAnswerBytes;
    private final Map<BackendAddress.Origin, Map<EventLoop, LoopPool>> pools = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private volatile Loops loops;
    private volatile boolean closed;
    private Timeout sweep;

    /**
     * @param source         a client bootstrap on the server's event loops (group and channel type set), or
     *                       {@code null} until the server has started
     * @param tls            the TLS client context of {@code https} backends ({@link #defaultTls()})
     * @param resolver       where host names are resolved
     */
    public BackendConnections(Supplier<Bootstrap> source, SslContext tls, Timer timer, Executor resolver,
                              GatewaySettings.Pool pool, int maxAnswerBytes) {
        this.source = source;
        this.tls = tls;
        this.timer = timer;
        this.resolver = resolver;
        this.maxPerLoop = pool.maxPerLoop();
        this.idleNanos = pool.idleTimeout().toNanos();
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** HTTP/1.1 over TLS with the JDK's engine and trusted certificates, the backend's host name verified. */
    public static SslContext defaultTls() {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS client context: " + e.getMessage(), e);
        }
    }

    /** The loop the calling thread runs, if it is one of the server's; else the next in turn; {@code null} before the start. */
    EventLoop loop() {
        Loops l = loops();
        if (l == null) {
            return null;
        }
        for (EventLoop e : l.all()) {
            if (e.inEventLoop()) {
                return e;
            }
        }
        return l.all()[Math.floorMod(turn.getAndIncrement(), l.all().length)];
    }

    /** Sends {@code x} on {@code loop} (from {@link #loop()}); cancelling its answer aborts it. */
    CompletableFuture<BackendExchange.Answer> send(EventLoop loop, BackendExchange x) {
        LoopPool pool = pools.computeIfAbsent(x.address.origin(), this::poolsOf).get(loop);
        x.answer.whenComplete((a, error) -> {
            if (x.answer.isCancelled()) {
                run(pool, () -> pool.abort(x));
            }
        });
        if (loop.inEventLoop()) {
            pool.send(x);
        } else {
            run(pool, () -> pool.send(x));
        }
        return x.answer;
    }

    private Map<EventLoop, LoopPool> poolsOf(BackendAddress.Origin origin) {
        Loops l = loops();
        Map<EventLoop, LoopPool> byLoop = new IdentityHashMap<>();
        for (EventLoop e : l.all()) {
            byLoop.put(e, new LoopPool(e, origin, this, l.base()));
        }
        return byLoop;
    }

    private Loops loops() {
        Loops l = loops;
        if (l == null) {
            synchronized (this) {
                l = loops;
                Bootstrap base = l == null ? source.get() : null;
                if (base != null) {
                    List<EventLoop> all = new ArrayList<>();
                    for (EventExecutor e : base.config().group()) {
                        all.add((EventLoop) e);
                    }
                    l = new Loops(base, all.toArray(EventLoop[]::new));
                    loops = l;
                    long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), idleNanos / 2);
                    sweep = timer.newTimeout(t -> sweep(every), every, TimeUnit.NANOSECONDS);
                }
            }
        }
        return l;
    }

    private void sweep(long every) {
        if (closed) {
            return;
        }
        for (Map<EventLoop, LoopPool> byLoop : pools.values()) {
            for (LoopPool pool : byLoop.values()) {
                run(pool, () -> pool.closeIdle(idleNanos));
            }
        }
        synchronized (this) {
            if (!closed) {
                sweep = timer.newTimeout(t -> sweep(every), every, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Runs {@code task} on the pool's loop; a loop already shut down (the server stopping) has nothing left to do. */
    private static void run(LoopPool pool, Runnable task) {
        try {
            pool.loop.execute(task);
        } catch (RejectedExecutionException e) {
            // the server is stopping: its loops close every connection
        }
    }

    /** {@code origin}'s address: an IP address as it is, a name looked up on the resolver. */
    CompletableFuture<InetSocketAddress> resolve(BackendAddress.Origin origin) {
        String host = origin.host();
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return CompletableFuture.completedFuture(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host),
                    origin.port()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return new InetSocketAddress(InetAddress.getByName(host), origin.port());
                } catch (UnknownHostException e) {
                    throw new ProxyFailure(ProxyFailure.Reason.CONNECT, "cannot resolve " + host);
                }
            }, resolver);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ProxyFailure(ProxyFailure.Reason.CONNECT, "the gateway is closing"));
        }
    }

    SslContext tls() {
        return tls;
    }

    Timer timer() {
        return timer;
    }

    int maxPerLoop() {
        return maxPerLoop;
    }

    int maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /** Connections to {@code origin} open or opening on every loop (tests; reads each loop's count on it). */
    int open(BackendAddress.Origin origin) throws Exception {
        Map<EventLoop, LoopPool> byLoop = pools.get(origin);
        int n = 0;
        if (byLoop != null) {
            for (LoopPool pool : byLoop.values()) {
                n += pool.loop.submit(pool::open).get(10, TimeUnit.SECONDS);
            }
        }
        return n;
    }

    /** Closes the idle connections and fails the waiting calls. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (sweep != null) {
                sweep.cancel();
            }
        }
        for (Map<EventLoop, LoopPool> byLoop : pools.values()) {
            for (LoopPool pool : byLoop.values()) {
                run(pool, pool::close);
            }
        }
    }
}
