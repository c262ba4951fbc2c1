package io.sockeye.netty.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.TrustedProxies;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Where a connection's client is, as the front learns it: the proxies it trusts (set on the channel
 * when it is accepted, only when some are configured) and the source a trusted PROXY protocol header
 * named. Requests read both to fill {@code RequestInfo.remoteAddress}; without either the client is
 * the peer and nothing is stored on the channel.
 */
public final class ConnectionAddresses {

    static final AttributeKey<TrustedProxies> TRUSTED = AttributeKey.valueOf("sockeye.trustedProxies");
    static final AttributeKey<InetAddress> PROXIED_SOURCE = AttributeKey.valueOf("sockeye.proxiedSource");

    private final TrustedProxies trusted;
    private final boolean proxyProtocol;
    private final SockeyeMetrics metrics;

    /**
     * @param trusted       the proxies whose forwarding headers (and PROXY headers) count
     * @param proxyProtocol whether connections may (trusted peers: must) begin with a PROXY protocol header
     * @param metrics       where refused connections are counted
     */
    public ConnectionAddresses(TrustedProxies trusted, boolean proxyProtocol, SockeyeMetrics metrics) {
        this.trusted = trusted;
        this.proxyProtocol = proxyProtocol;
        this.metrics = metrics;
    }

    /** Prepares an accepted connection: the trust list on the channel, the PROXY protocol first in its pipeline. */
    void install(Channel channel) {
        if (trusted.isEmpty()) {
            return;
        }
        channel.attr(TRUSTED).set(trusted);
        if (proxyProtocol) {
            boolean peerTrusted = channel.remoteAddress() instanceof InetSocketAddress inet && trusted.trusts(inet.getAddress());
            channel.pipeline().addFirst("proxy-protocol", new ProxyProtocolHandler(peerTrusted, metrics));
        }
    }

    /**
     * The client's address for a request with {@code headers} on {@code channel}, whose peer is
     * {@code peer}: the PROXY header's source if one was accepted, then the trusted forwarding
     * headers (see {@link TrustedProxies#clientAddress}).
     */
    public static InetAddress client(Channel channel, InetAddress peer, Map<String, String> headers) {
        InetAddress from = channel.hasAttr(PROXIED_SOURCE) ? channel.attr(PROXIED_SOURCE).get() : null;
        if (from == null) {
            from = peer;
        }
        TrustedProxies trusted = channel.hasAttr(TRUSTED) ? channel.attr(TRUSTED).get() : null;
        return trusted == null ? from : trusted.clientAddress(from, headers);
    }
}
