package io.sockeye.netty.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.netty.HandshakeFilter;
import io.sockeye.netty.HttpFallback;
import io.sockeye.netty.WebSocketPipeline;

import java.util.List;

/**
 * The whole pipeline, in one readable place: [PROXY protocol] → [TLS] → [HTTP/2 detection: see
 * {@link Http2Front}] → HTTP codec → request deadlines →
 * [compression] → body aggregation (capped at {@code maxHttpBufferSize}) → routing to Engine.IO or the
 * fallback. Connections are counted and capped before this, at accept ({@link AcceptLimiter}), by their
 * direct peer. WebSocket connections replace the HTTP handlers after the handshake (see
 * {@link WebSocketPipeline}).
 */
public final class FrontendChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** Responses smaller than this are sent uncompressed (engine.io's {@code threshold}). */
    static final int COMPRESSION_THRESHOLD = 1024;

    private final List<EngineEndpoint> engines;
    private final HttpFallback fallback;
    private final SslContext ssl;
    private final int maxBody;
    private final HandshakeFilter handshakeFilter;
    private final boolean compression;
    private final ConnectionAddresses addresses;
    private final ConnectionPolicy connections;
    private final boolean http2;
    private final ChannelGroup open;

    public FrontendChannelInitializer(List<EngineEndpoint> engines, HttpFallback fallback, SslContext ssl, int maxBody,
                                     HandshakeFilter handshakeFilter, boolean compression, ConnectionAddresses addresses,
                                     ConnectionPolicy connections) {
        this(engines, fallback, ssl, maxBody, handshakeFilter, compression, addresses, connections, false, null);
    }

    /**
     * @param http2 whether connections may speak HTTP/2: h2 by ALPN with TLS, prior knowledge (h2c) without
     * @param open  where every connection is kept until it closes, so that its owner can close them all; or null
     */
    public FrontendChannelInitializer(List<EngineEndpoint> engines, HttpFallback fallback, SslContext ssl, int maxBody,
                                     HandshakeFilter handshakeFilter, boolean compression, ConnectionAddresses addresses,
                                     ConnectionPolicy connections, boolean http2, ChannelGroup open) {
        this.http2 = http2;
        this.open = open;
        this.addresses = addresses;
        this.handshakeFilter = handshakeFilter;
        this.compression = compression;
        this.connections = connections;
        this.engines = List.copyOf(engines);
        this.fallback = fallback;
        this.ssl = ssl;
        this.maxBody = maxBody;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (open != null) {
            open.add(ch); // a group closed already closes it at once
        }
        ChannelPipeline p = ch.pipeline();
        addresses.install(ch); // trusted proxies; the PROXY protocol handler, first, when it is on
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        if (http2) {
            // Until the connection shows HTTP/2 (ALPN's answer, or the preface) it is HTTP/1.1.
            p.addLast("h2-detect", ssl != null ? new Http2Front.Alpn(this::streamHandlers)
                    : new Http2Front.PriorKnowledge(this::streamHandlers));
        }
        p.addLast("http", new HttpServerCodec());
        // Idle, head and body deadlines while the connection speaks HTTP; gone after a WebSocket upgrade.
        p.addLast("deadlines", new RequestDeadlines(connections, ch.hasAttr(AcceptLimiter.RESERVE)));
        if (compression) {
            // engine.io's httpCompression default: gzip/deflate per Accept-Encoding above 1 KiB.
            // The WebSocket handshaker removes it from upgraded connections.
            p.addLast("compressor", new HttpContentCompressor(COMPRESSION_THRESHOLD,
                    StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()));
        }
        p.addLast("aggregator", new EngineAwareAggregator(maxBody, engines));
        p.addLast("engine", new EngineHttpHandler(engines, fallback, handshakeFilter, connections));
    }

    /** What serves one HTTP/2 stream, as the HTTP/1.1 pipeline serves a connection after its codec. */
    private ChannelHandler[] streamHandlers() {
        return new ChannelHandler[] {new EngineAwareAggregator(maxBody, engines),
                new EngineHttpHandler(engines, fallback, handshakeFilter, connections)};
    }

    /** The largest request body any of the endpoints accepts (their {@code maxHttpBufferSize}). */
    public static int maxBody(List<EngineEndpoint> engines) {
        return (int) Math.min(Integer.MAX_VALUE,
                engines.stream().mapToLong(e -> e.options().maxHttpBufferSize()).max().orElse(1_000_000));
    }

    /** The body aggregator of an Engine.IO pipeline, capped at {@code maxBody}. */
    public static ChannelHandler aggregator(int maxBody, List<EngineEndpoint> engines) {
        return new EngineAwareAggregator(maxBody, engines);
    }

    /** Answers 413 for an oversize body and, like engine.io, closes the session it belonged to. */
    static final class EngineAwareAggregator extends HttpObjectAggregator {
        private final List<EngineEndpoint> engines;

        EngineAwareAggregator(int maxContentLength, List<EngineEndpoint> engines) {
            super(maxContentLength);
            this.engines = engines;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (oversized instanceof HttpRequest req) {
                QueryStringDecoder qs = new QueryStringDecoder(req.uri());
                List<String> sid = qs.parameters().get("sid");
                if (sid != null && !sid.isEmpty()) {
                    for (EngineEndpoint e : engines) {
                        e.closeSession(sid.get(0), "transport error");
                    }
                }
            }
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
