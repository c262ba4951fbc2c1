package io.sockeye.server.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP side of an SSE stream (docs/sse.md): the {@code 200 text/event-stream} head with its
 * {@code retry:} line, or a refusal as a JSON error with a status that stops a browser's
 * {@code EventSource} from reconnecting (anything but {@code 200 text/event-stream} does).
 *
 * @param retryMillis the reconnection delay the stream asks browsers for ({@code retry:})
 */
record SseResponse(long retryMillis) {

    /** Says whether a resuming stream was caught up: {@code true}, or {@code false} with a {@code sockeye:reset} first. */
    static final String RECOVERED_HEADER = "Sockeye-Recovered";
    /** The event that tells a resuming subscriber its rooms could not all be caught up. */
    static final String RESET_EVENT = "sockeye:reset";

    /** A refused stream: an HTTP status and the client protocol's {@code {code, message}}. */
    record Refusal(int status, String code, String message) {
        static final Refusal UNAVAILABLE = new Refusal(503, "unavailable", "the stream ended before it began");
    }

    /** Begins the stream: the head (with {@link #RECOVERED_HEADER} when it resumes) and the {@code retry:} line. */
    void begin(Channel channel, SseRequest request, boolean reset) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Accel-Buffering", "no"); // nginx: pass each event on at once
        h.add(request.cors());
        if (request.resuming()) {
            h.set(RECOVERED_HEADER, String.valueOf(!reset));
        }
        HttpUtil.setTransferEncodingChunked(head, true);
        withoutCompression(channel);
        channel.write(head);
        channel.write(new DefaultHttpContent(Unpooled.copiedBuffer("retry: " + retryMillis + "\n\n",
                StandardCharsets.US_ASCII)));
    }

    /** The {@code sockeye:reset} event naming the rooms that were not caught up. */
    static ByteBuf resetEvent(List<String> rooms) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", Map.of("rooms", rooms));
        return Unpooled.copiedBuffer("event: " + RESET_EVENT + "\ndata: " + SseRequest.json(data) + "\n\n",
                StandardCharsets.UTF_8);
    }

    /** Answers {@code refusal} as {@code {ok: false, error: {code, message}}} and closes the connection. */
    static void refuse(Channel channel, Refusal refusal) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", refusal.code());
        error.put("message", refusal.message());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("error", error);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refusal.status()),
                Unpooled.copiedBuffer(SseRequest.json(body), StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Takes the front's response compression out of this connection: a compressor would hold events back
     * to fill its blocks. The connection serves nothing after the stream.
     */
    private static void withoutCompression(Channel channel) {
        if (channel.pipeline().get("compressor") != null) {
            channel.pipeline().remove("compressor");
        }
    }
}
