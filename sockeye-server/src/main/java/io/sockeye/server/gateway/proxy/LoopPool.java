package io.sockeye.server.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.Timeout;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The kept-alive HTTP/1.1 connections to one backend origin on one event loop, and the calls waiting for
 * one. Everything here runs on that loop, so nothing is locked: a call from a client connection on this loop
 * is written and its answer read without leaving the thread.
 *
 * <p>At most {@code maxPerLoop} connections are open or opening; a call finding them all busy waits (its
 * deadline still runs) until one is given back or closes. Idle connections are reused most recently used
 * first, so that the ones left over age and are closed by {@link #closeIdle}.
 */
final class LoopPool {

    /** A TCP connect taking longer fails the call that opened it (it counts as a refused connection). */
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private record Idle(Channel channel, long since) {
    }

    final EventLoop loop;
    private final BackendAddress.Origin origin;
    private final BackendConnections owner;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();
    private final ArrayDeque<BackendExchange> waiting = new ArrayDeque<>();
    private int open;
    private boolean closed;

    LoopPool(EventLoop loop, BackendAddress.Origin origin, BackendConnections owner, Bootstrap base) {
        this.loop = loop;
        this.origin = origin;
        this.owner = owner;
        this.bootstrap = base.clone(loop)
                .resolver(NoopAddressResolverGroup.INSTANCE) // resolved off the loop (BackendConnections.resolve)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (origin.tls()) {
                            SslHandler tls = owner.tls().newHandler(ch.alloc(), origin.host(), origin.port());
                            tls.setHandshakeTimeoutMillis(0); // the call's deadline closes a stuck handshake
                            p.addLast(tls);
                        }
                        p.addLast(new HttpClientCodec());
                        p.addLast(new BackendChannelHandler(LoopPool.this, owner.maxAnswerBytes()));
                    }
                });
    }

    /** Sends {@code x} on an idle connection, a new one, or once one is free. */
    void send(BackendExchange x) {
        if (x.done()) {
            return;
        }
        if (closed) {
            x.answer.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.CONNECT, "the gateway is closing"));
            return;
        }
        for (Idle i = idle.pollFirst(); i != null; i = idle.pollFirst()) {
            if (i.channel().isActive()) {
                dispatch(i.channel(), x, true);
                return;
            }
        }
        if (open < owner.maxPerLoop()) {
            connect(x);
        } else {
            waiting.addLast(x);
        }
    }

    /** {@code x} again, on a fresh connection: a kept-alive one closed under it before any answer. */
    void resend(BackendExchange x) {
        if (open < owner.maxPerLoop() && !closed) {
            connect(x);
        } else {
            waiting.addFirst(x);
            serveWaiting();
        }
    }

    /** A connection whose answer was read: kept for the next call, or closed. */
    void release(Channel ch, boolean keepAlive) {
        if (!keepAlive || closed || !ch.isActive()) {
            ch.close();
            return;
        }
        BackendExchange next = nextWaiting();
        if (next != null) {
            dispatch(ch, next, true);
        } else {
            idle.addFirst(new Idle(ch, System.nanoTime()));
        }
    }

    /** {@code x}'s deadline passed or its call ended: out of the queue, and its connection closed if it had one. */
    void abort(BackendExchange x) {
        waiting.remove(x);
        Channel ch = x.channel;
        if (ch != null) {
            BackendChannelHandler h = ch.pipeline().get(BackendChannelHandler.class);
            if (h != null && h.current() == x) {
                h.detach(); // a late answer would belong to nobody: the connection cannot be reused
                ch.close();
            }
            x.channel = null;
        }
    }

    /** Closes the connections idle for {@code idleNanos} or more. */
    void closeIdle(long idleNanos) {
        long now = System.nanoTime();
        for (Idle oldest = idle.peekLast(); oldest != null && now - oldest.since() >= idleNanos; oldest = idle.peekLast()) {
            idle.pollLast();
            oldest.channel().close();
        }
    }

    /** Closes the idle connections and fails the waiting calls; connections in use close once answered. */
    void close() {
        closed = true;
        for (Idle i = idle.pollFirst(); i != null; i = idle.pollFirst()) {
            i.channel().close();
        }
        for (BackendExchange x = waiting.pollFirst(); x != null; x = waiting.pollFirst()) {
            x.answer.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.CONNECT, "the gateway is closing"));
        }
    }

    /** Connections open or opening (tests). */
    int open() {
        return open;
    }

    private void dispatch(Channel ch, BackendExchange x, boolean reused) {
        x.channel = ch;
        x.written = false;
        ch.pipeline().get(BackendChannelHandler.class).begin(x, reused);
        ch.writeAndFlush(x.request()).addListener(w -> {
            if (w.isSuccess()) {
                if (x.channel == ch) {
                    x.written = true;
                }
            } else {
                ch.close(); // the handler sees the close with x in flight and unwritten
            }
        });
    }

    private void connect(BackendExchange x) {
        open++;
        CompletableFuture<InetSocketAddress> address = owner.resolve(origin);
        address.whenComplete((a, error) -> onLoop(() -> {
            if (error != null) {
                open--;
                fail(x, error);
                serveWaiting();
            } else {
                connect(a, x);
            }
        }));
    }

    private void connect(InetSocketAddress address, BackendExchange x) {
        ChannelFuture connected = bootstrap.connect(address);
        Channel ch = connected.channel();
        ch.closeFuture().addListener(f -> closed(ch));
        Timeout deadline = owner.timer().newTimeout(t -> {
            if (!connected.isDone()) {
                ch.close();
            }
        }, CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        connected.addListener(f -> {
            deadline.cancel();
            if (!f.isSuccess()) {
                ch.close();
                fail(x, f.cause() == null ? new IllegalStateException("connect timed out") : f.cause());
            } else if (x.done()) {
                release(ch, true); // the call gave up meanwhile: the connection serves the next one
            } else {
                dispatch(ch, x, false);
            }
        });
    }

    private void closed(Channel ch) {
        open--;
        idle.removeIf(i -> i.channel() == ch);
        serveWaiting();
    }

    /** A connection slot freed: the first waiting call opens a new connection. */
    private void serveWaiting() {
        if (open >= owner.maxPerLoop()) {
            return;
        }
        BackendExchange next = nextWaiting();
        if (next != null) {
            if (closed) {
                fail(next, new IllegalStateException("the gateway is closing"));
            } else {
                connect(next);
            }
        }
    }

    private BackendExchange nextWaiting() {
        for (BackendExchange x = waiting.pollFirst(); x != null; x = waiting.pollFirst()) {
            if (!x.done()) {
                return x;
            }
        }
        return null;
    }

    private void fail(BackendExchange x, Throwable cause) {
        Throwable error = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (!x.done()) {
            x.answer.completeExceptionally(error instanceof ProxyFailure f ? f
                    : new ProxyFailure(ProxyFailure.Reason.CONNECT, origin + ": " + describe(error)));
        }
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    /** A cause on one line: its type and message. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
