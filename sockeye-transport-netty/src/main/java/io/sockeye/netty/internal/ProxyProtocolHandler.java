package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.NetUtil;
import io.sockeye.core.metrics.SockeyeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The PROXY protocol (v1 text, v2 binary: HAProxy's {@code send-proxy} / {@code send-proxy-v2}, cloud
 * load balancers), first in the pipeline of every connection when the front has it on, with the trust
 * rule of the forwarding headers:
 * <ul>
 *   <li>a <b>trusted</b> peer must begin with a PROXY header; its source address becomes the
 *       connection's client. A {@code LOCAL} (v2) or {@code UNKNOWN} (v1) header — what HAProxy's
 *       health checks send — keeps the peer's address. No header, or a broken one: the connection is
 *       closed;</li>
 *   <li>an <b>untrusted</b> peer is a direct client: plain HTTP (or TLS) is served as usual, and a PROXY
 *       header from it — a client naming its own address — closes the connection.</li>
 * </ul>
 * Netty's {@link HAProxyMessageDecoder} reads the header; this handler looks at the first 12 bytes to
 * decide, then leaves the pipeline. Refusals are logged at debug and counted
 * ({@link SockeyeMetrics#connectionRefused}).
 */
public final class ProxyProtocolHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    private final boolean peerTrusted;
    private final SockeyeMetrics metrics;

    public ProxyProtocolHandler(boolean peerTrusted, SockeyeMetrics metrics) {
        this.peerTrusted = peerTrusted;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolDetectionResult<HAProxyProtocolVersion> detected = HAProxyMessageDecoder.detectProtocol(in);
        switch (detected.state()) {
            case NEEDS_MORE_DATA -> {
                // Both signatures fit in the first 12 bytes; an HTTP request line or TLS hello is longer.
            }
            case INVALID -> {
                if (peerTrusted) {
                    refuse(ctx, in, "proxy_header_missing", "no PROXY protocol header from trusted peer");
                } else {
                    ctx.pipeline().remove(this); // a direct client; the bytes read so far go on to HTTP
                }
            }
            case DETECTED -> {
                if (!peerTrusted) {
                    refuse(ctx, in, "proxy_header_untrusted", "PROXY protocol header from a peer not in trusted_proxies");
                } else {
                    ctx.pipeline().addAfter(ctx.name(), "proxy-source", new SourceReader(metrics));
                    ctx.pipeline().replace(this, "proxy-decoder", new HAProxyMessageDecoder());
                }
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String reason, String why) {
        in.skipBytes(in.readableBytes());
        refused(ctx.channel(), metrics, reason, why);
    }

    static void refused(Channel channel, SockeyeMetrics metrics, String reason, String why) {
        log.debug("closing connection from {}: {}", peer(channel), why);
        metrics.connectionRefused(reason);
        channel.close();
    }

    private static String peer(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }

    /** After the decoder: records the header's source on the channel, then leaves the pipeline. */
    static final class SourceReader extends ChannelInboundHandlerAdapter {
        private final SockeyeMetrics metrics;

        SourceReader(SockeyeMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HAProxyMessage header)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                InetAddress source = header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null
                        ? NetUtil.createInetAddressFromIpAddressString(header.sourceAddress()) : null;
                // LOCAL and UNKNOWN (health checks, unix sockets): the peer speaks for itself.
                if (source != null) {
                    ctx.channel().attr(ConnectionAddresses.PROXIED_SOURCE).set(source);
                }
            } finally {
                header.release();
            }
            ctx.pipeline().remove(this);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof HAProxyProtocolException) {
                refused(ctx.channel(), metrics, "proxy_header_invalid", "invalid PROXY protocol header: " + cause.getMessage());
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
