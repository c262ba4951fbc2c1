package io.sockeye.server.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the answer to the one request in flight on a kept-alive connection to a backend (no pipelining), then
 * gives the connection back to its {@link LoopPool}. Only a {@code 200} answer's body is kept, up to the
 * limit ({@link LimitedBody}); another status's body is read and dropped so the connection can serve again.
 * A connection that closes with a request in flight fails it, or, when a kept-alive connection died before
 * any answer, has the pool send it once more on a fresh one ({@link BackendExchange#mayResend()}).
 */
final class BackendChannelHandler extends ChannelInboundHandlerAdapter {

    private final LoopPool pool;
    private final int maxAnswerBytes;
    private BackendExchange exchange;
    private boolean reused;
    private int status;
    private boolean keepAlive;
    private LimitedBody body;
    private Throwable cause;

    BackendChannelHandler(LoopPool pool, int maxAnswerBytes) {
        this.pool = pool;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** {@code x} is being written on this connection; {@code reused}: the connection served before. */
    void begin(BackendExchange x, boolean reused) {
        this.exchange = x;
        this.reused = reused;
        this.status = 0;
        this.body = null;
    }

    /** The exchange in flight here, or {@code null}. */
    BackendExchange current() {
        return exchange;
    }

    /** Forgets the exchange in flight (its deadline passed); the caller closes the connection. */
    void detach() {
        exchange = null;
        body = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            read(ctx, msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        BackendExchange x = exchange;
        if (x == null) { // bytes nobody asked for: the connection cannot be trusted with another request
            ctx.close();
            return;
        }
        if (msg instanceof DecoderResultProvider d && d.decoderResult().isFailure()) {
            fail(ctx, new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER,
                    "malformed HTTP answer: " + LoopPool.describe(d.decoderResult().cause())));
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code / 100 == 1) {
                return; // an interim answer (RFC 9110 §15.2): the final one follows
            }
            status = code;
            keepAlive = HttpUtil.isKeepAlive(response);
            if (code == 200) {
                try {
                    body = new LimitedBody(maxAnswerBytes, HttpUtil.getContentLength(response, -1L));
                } catch (ProxyFailure f) {
                    fail(ctx, f);
                    return;
                }
            }
        }
        if (msg instanceof HttpContent content && status != 0) {
            if (body != null) {
                try {
                    body.append(content.content());
                } catch (ProxyFailure f) {
                    fail(ctx, f);
                    return;
                }
            }
            if (msg instanceof LastHttpContent) {
                BackendExchange.Answer answer = new BackendExchange.Answer(status, body == null ? null : body.bytes());
                detach();
                x.channel = null;
                pool.release(ctx.channel(), keepAlive); // before the answer's consequences: a waiting call may go now
                x.answer.complete(answer);
            }
        }
    }

    /** The answer cannot be used: the connection closes (the rest of the answer is not read). */
    private void fail(ChannelHandlerContext ctx, ProxyFailure failure) {
        BackendExchange x = exchange;
        detach();
        ctx.close();
        if (x != null) {
            x.channel = null;
            x.answer.completeExceptionally(failure);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable error) {
        cause = error; // reported when the connection is gone, in channelInactive
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        BackendExchange x = exchange;
        boolean answering = status != 0;
        detach();
        if (x != null && !x.done()) {
            x.channel = null;
            if (reused && !answering && x.mayResend()) {
                x.resent = true;
                pool.resend(x);
            } else {
                x.answer.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.CONNECT,
                        (answering ? "connection closed in the middle of the answer" : "connection closed before an answer")
                                + (cause == null ? "" : ": " + LoopPool.describe(cause))));
            }
        }
        ctx.fireChannelInactive();
    }
}
