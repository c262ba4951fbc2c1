package io.sockeye.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.sockeye.core.CorsOptions;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.internal.ConnectionAddresses;
import io.sockeye.netty.internal.Cors;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Netty request into the core's {@link RequestInfo}: what the front hands to the Engine.IO
 * endpoints and to its {@link HttpFallback}, and what a handler of its own on the same port (an admin
 * or metrics listener, say) needs to ask the same questions of a request. Common header names and
 * values are shared between requests, since a session keeps its handshake request for its whole life.
 */
public final class Requests {

    private Requests() {
    }

    /**
     * The request as the core sees it: method, path, query, headers (lower-case names), the client's
     * address (the peer's, or what a trusted proxy forwarded: {@code NettyFrontend.Builder#trustedProxies}),
     * the peer's address, TLS.
     */
    public static RequestInfo info(Channel stream, HttpRequest req) {
        // An HTTP/2 stream's addresses, TLS and trusted proxies are its connection's.
        Channel channel = stream instanceof Http2StreamChannel ? stream.parent() : stream;
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> e : qs.parameters().entrySet()) {
            if (!e.getValue().isEmpty()) {
                query.put(CommonStrings.canonical(e.getKey()), CommonStrings.canonical(e.getValue().get(0)));
            }
        }
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = CommonStrings.canonical(h.getKey().toLowerCase(Locale.ROOT));
            headers.merge(name, CommonStrings.headerValue(name, h.getValue()), (a, b) -> a + ", " + b);
        }
        String peer = address(channel.remoteAddress());
        String client = peer;
        if (channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            InetAddress resolved = ConnectionAddresses.client(channel, inet.getAddress(), headers);
            if (resolved != inet.getAddress()) {
                client = resolved.getHostAddress();
            }
        }
        return new RequestInfo(req.method().name(), CommonStrings.url(req.uri(), query), CommonStrings.canonical(qs.path()),
                query, headers, client, peer, channel.pipeline().get(SslHandler.class) != null);
    }

    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /**
     * Adds the CORS response headers {@code cors} gives {@code request} (as the front's long-polling answers
     * carry them) to {@code out}: for a response served outside the Engine.IO path to a page of another origin.
     */
    public static void corsHeaders(CorsOptions cors, RequestInfo request, HttpHeaders out) {
        Cors.apply(cors, request, out);
    }
}
