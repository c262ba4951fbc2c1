package io.sockeye.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import io.sockeye.netty.ConnectionStats.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Counts TCP connections as they are accepted, before any byte is read, and refuses what is past the caps
 * with a reset: more than {@code maxPerAddress} from one peer address (the direct peer), or more than {@code maxConnections} in all — of which the last {@code reserve} are let in for
 * health checks only ({@link #RESERVE}). A connection counts until its socket is closed. On the server
 * channel, ahead of Netty's acceptor; accepts run on one thread, closes on any.
 *
 * <p>A trusted proxy is exempt from the per-address cap (it carries many clients, whose own addresses the
 * per-client limits see once the forwarding header or PROXY header is read) but counts towards the total.
 */
@ChannelHandler.Sharable
public final class AcceptLimiter extends ChannelInboundHandlerAdapter {

    /** Set on a connection accepted past {@code maxConnections}: it may only ask for a health check. */
    static final AttributeKey<Boolean> RESERVE = AttributeKey.valueOf("sockeye.healthCheckReserve");

    private static final Logger log = LoggerFactory.getLogger(AcceptLimiter.class);

    private final int maxPerAddress;
    private final long maxConnections;
    private final int reserve;
    private final ConnectionCounters counters;
    private final Predicate<InetAddress> trustedProxy;
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final ChannelFutureListener release = f -> release(f.channel());

    /**
     * @param maxPerAddress  connections one address may hold, 0 for no cap
     * @param maxConnections connections in all, {@link Long#MAX_VALUE} for no cap
     * @param reserve        connections let in past {@code maxConnections} for health checks
     * @param trustedProxy   peers exempt from {@code maxPerAddress}
     */
    public AcceptLimiter(int maxPerAddress, long maxConnections, int reserve, ConnectionCounters counters,
                         Predicate<InetAddress> trustedProxy) {
        this.maxPerAddress = maxPerAddress;
        this.maxConnections = maxConnections;
        this.reserve = reserve;
        this.counters = counters;
        this.trustedProxy = trustedProxy;
        counters.maxConnections(maxConnections);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        InetAddress address = capped(address(child));
        if (maxPerAddress > 0 && address != null && !take(address)) {
            refuse(child, Refusal.PER_ADDRESS);
            return;
        }
        long open = counters.opened();
        if (open - reserve > maxConnections) {
            counters.closed();
            give(address);
            refuse(child, Refusal.MAX_CONNECTIONS);
            return;
        }
        if (open > maxConnections) {
            child.attr(RESERVE).set(Boolean.TRUE);
        }
        child.closeFuture().addListener(release);
        ctx.fireChannelRead(child);
    }

    /** Connections open from {@code address} (tests, diagnostics). */
    int connectionsOf(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    private boolean take(InetAddress address) {
        boolean[] taken = {false};
        perAddress.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerAddress) {
                return n;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    private void give(InetAddress address) {
        if (maxPerAddress > 0 && address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private void release(Channel child) {
        counters.closed();
        give(capped(address(child)));
    }

    /** The address the per-address cap counts, or null for a peer it does not count (a trusted proxy). */
    private InetAddress capped(InetAddress address) {
        return address == null || trustedProxy.test(address) ? null : address;
    }

    private void refuse(Channel child, Refusal why) {
        counters.countRefused(why);
        log.debug("refused a connection from {}: {}", child.remoteAddress(), why.label());
        try {
            child.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            log.debug("SO_LINGER 0 refused; closing normally", e);
        }
        child.unsafe().closeForcibly();
    }

    private static InetAddress address(Channel channel) {
        // Read at accept, so the channel has cached it by the time it closes.
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
