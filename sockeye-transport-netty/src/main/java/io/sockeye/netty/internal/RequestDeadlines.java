package io.sockeye.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.netty.ConnectionStats.Deadline;
import io.sockeye.netty.ConnectionStats.Refusal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * The deadlines of a connection while it speaks HTTP, right after the HTTP codec. A connection with no
 * request in progress (new, or between keep-alive requests) may stay silent for the idle timeout, then it
 * is closed; a request's head must be complete within the head timeout of its first byte, and its body
 * within the body timeout of the head, else the client gets 408 (RFC 9110 §15.5.9) and the connection
 * closes. A request being answered has no deadline here (a parked long-polling GET is the engine's to
 * answer), and a WebSocket upgrade removes this handler: the heartbeat takes over.
 *
 * <p>One timeout at a time on the shared timer wheel, armed lazily: moving from phase to phase writes a
 * field, and the timeout, when it fires, re-arms itself for the deadline of the phase the connection is in.
 *
 * <p>A connection from the health-check reserve ({@link AcceptLimiter#RESERVE}) may ask for a health check
 * only (other requests get 503) and is closed after its answer.
 */
final class RequestDeadlines extends ChannelDuplexHandler {

    private enum Phase { IDLE, HEAD, BODY, ANSWERING, DONE }

    private final ConnectionPolicy policy;
    private final boolean reserve;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.IDLE;
    private long deadline;          // nanoTime by which the current phase must end
    private long armedFor;          // the deadline the pending timeout was scheduled for
    private EngineTimer.Cancellable timeout;
    private int unanswered;         // requests received whole whose final response is not written yet
    private boolean responding;     // a final response has begun and its last part is not written yet
    private boolean decodedInRead;  // the current read produced a request, or part of one

    RequestDeadlines(ConnectionPolicy policy, boolean reserve) {
        this.policy = policy;
        this.reserve = reserve;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        enter(Phase.IDLE);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        done();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        done();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.DONE) {
            ReferenceCountUtil.release(msg); // answered 408 or 503 and closing: nothing more is read
            return;
        }
        decodedInRead = true;
        if (msg instanceof HttpRequest request) {
            if (reserve && !policy.healthChecks().contains(path(request.uri()))) {
                ReferenceCountUtil.release(msg);
                policy.counters().countRefused(Refusal.NOT_A_HEALTH_CHECK);
                answerAndClose(HttpResponseStatus.SERVICE_UNAVAILABLE, "Service Unavailable: too many connections");
                return;
            }
            enter(Phase.BODY);
        }
        if (msg instanceof LastHttpContent) {
            unanswered++;
            phase = Phase.ANSWERING;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (phase == Phase.IDLE && !decodedInRead) {
            enter(Phase.HEAD); // bytes came in, and no head yet
        }
        decodedInRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            int status = response.status().code();
            if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                ctx.write(msg, promise);
                ctx.pipeline().remove(this); // a WebSocket now: the engine's heartbeat watches it
                return;
            }
            if (status >= 200) { // 1xx answers (100 Continue) are not the response
                responding = true;
                if (reserve) {
                    HttpUtil.setKeepAlive(response, false);
                }
            }
        }
        if (responding && msg instanceof LastHttpContent) {
            responding = false;
            if (reserve) {
                promise = promise.unvoid();
                promise.addListener(ChannelFutureListener.CLOSE);
            }
            if (unanswered > 0 && --unanswered == 0 && phase == Phase.ANSWERING) {
                enter(Phase.IDLE);
            }
        }
        ctx.write(msg, promise);
    }

    private void enter(Phase next) {
        phase = next;
        long millis = switch (next) {
            case IDLE -> policy.idleMillis();
            case HEAD -> policy.headMillis();
            case BODY -> policy.bodyMillis();
            default -> 0;
        };
        if (millis <= 0) {
            return;
        }
        deadline = policy.timer().nanoTime() + millis * 1_000_000;
        if (timeout == null || deadline - armedFor < 0) {
            cancel();
            arm(millis);
        }
    }

    private void arm(long millis) {
        armedFor = deadline;
        timeout = policy.timer().schedule(() -> {
            try {
                ctx.executor().execute(this::check);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and closes the connection itself.
            }
        }, millis);
    }

    private void check() {
        timeout = null;
        if (phase == Phase.DONE || phase == Phase.ANSWERING) {
            return;
        }
        long left = deadline - policy.timer().nanoTime();
        if (left > 0) {
            arm((left + 999_999) / 1_000_000);
            return;
        }
        Phase expired = phase;
        if (expired == Phase.IDLE) {
            policy.counters().countTimedOut(Deadline.IDLE);
            done();
            ctx.close();
        } else {
            policy.counters().countTimedOut(expired == Phase.HEAD ? Deadline.REQUEST_HEAD : Deadline.REQUEST_BODY);
            answerAndClose(HttpResponseStatus.REQUEST_TIMEOUT, "Request Timeout");
        }
    }

    /** Answers before the request is whole, then closes (what cannot be written at once is dropped). */
    private void answerAndClose(HttpResponseStatus status, String body) {
        done();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response);
        ctx.close();
    }

    private void done() {
        phase = Phase.DONE;
        cancel();
    }

    private void cancel() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
