package io.sockeye.server.gateway.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.util.concurrent.CompletableFuture;

/**
 * One {@code POST} to a backend and its answer. Its state is only touched on the event loop of the pool that
 * sends it; {@link #answer} may be completed (cancelled, by the call's deadline) from any thread, which the
 * pool then notices.
 */
final class BackendExchange {

    /** An answer as read: the status and, for a {@code 200}, the body (others are discarded). */
    record Answer(int status, byte[] body) {
    }

    final BackendAddress address;
    final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final HttpHeaders headers;
    private final byte[] body;
    private final boolean idempotent;

    /** The channel carrying it now, or {@code null} while it waits or connects. */
    Channel channel;
    /** Whether the request left on {@link #channel} (its write succeeded). */
    boolean written;
    /** Whether it was already sent again on a fresh connection after a kept-alive one died under it. */
    boolean resent;

    BackendExchange(BackendAddress address, HttpHeaders headers, byte[] body, boolean idempotent) {
        this.address = address;
        this.headers = headers;
        this.body = body;
        this.idempotent = idempotent;
    }

    /** A request to write; a new one per attempt, since the encoder releases what it writes. */
    FullHttpRequest request() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, address.target(),
                Unpooled.wrappedBuffer(body), headers, EmptyHttpHeaders.INSTANCE);
    }

    boolean done() {
        return answer.isDone();
    }

    /**
     * Whether the request may go again on a fresh connection after the kept-alive {@code channel} closed before
     * any answer: only once, and for a call that is not idempotent only if none of it was written (the backend
     * cannot have run it).
     */
    boolean mayResend() {
        return !resent && (idempotent || !written);
    }
}
