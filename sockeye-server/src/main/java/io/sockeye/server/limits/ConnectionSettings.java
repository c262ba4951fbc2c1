package io.sockeye.server.limits;

import io.sockeye.netty.NettyFrontend;

import java.time.Duration;
import java.util.Objects;

/**
 * What the standalone server allows a TCP connection on its port, before and besides Socket.IO: the
 * deadlines of a connection that speaks HTTP, the close deadline of a WebSocket, and the caps on
 * connections counted at accept. Per node; {@code docs/operations.md} says what each one protects.
 *
 * @param idleTimeout            a connection with no request in progress (new, or between keep-alive
 *                               requests) is closed after this long; default 30 s
 * @param requestHeadTimeout     a request's head must be complete this long after its first byte (408 then);
 *                               default 10 s
 * @param requestBodyTimeout     a request's body must be complete this long after its head (408 then);
 *                               default 30 s
 * @param closeTimeout           a WebSocket close the client does not take within this is cut off with a
 *                               reset; default 5 s
 * @param maxTcpConnectionsPerIp TCP connections one address may hold, counted at accept; 0 for no cap.
 *                               Default three times {@code maxConnectionsPerIp}: a client on long-polling
 *                               uses two connections, and a third while it upgrades
 * @param maxTcpConnections      TCP connections open at once, or {@code null} for the open-file limit less a
 *                               reserve for everything else ({@link NettyFrontend.Builder#maxConnections});
 *                               0 for no cap
 */
public record ConnectionSettings(Duration idleTimeout, Duration requestHeadTimeout, Duration requestBodyTimeout,
                                 Duration closeTimeout, int maxTcpConnectionsPerIp, Long maxTcpConnections) {

    /** The default of {@code maxTcpConnectionsPerIp}, as a multiple of {@code maxConnectionsPerIp}. */
    public static final int TCP_CONNECTIONS_PER_SOCKET_IO_CONNECTION = 3;
    /**
     * Added to that default: HTTP clients keep idle keep-alive connections in a pool, and a client refused
     * at the Socket.IO limit must get that answer ({@code rate_limited}), not a reset, even when the limit is small.
     */
    public static final int TCP_CONNECTIONS_PER_IP_SLACK = 16;

    public ConnectionSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestHeadTimeout, "requestHeadTimeout");
        Objects.requireNonNull(requestBodyTimeout, "requestBodyTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (maxTcpConnectionsPerIp < 0 || maxTcpConnections != null && maxTcpConnections < 0) {
            throw new IllegalArgumentException("connection caps must not be negative");
        }
    }

    /** The deadlines and caps on {@code front}. */
    public NettyFrontend.Builder applyTo(NettyFrontend.Builder front) {
        front.idleTimeout(idleTimeout).requestHeadTimeout(requestHeadTimeout).requestBodyTimeout(requestBodyTimeout)
                .closeTimeout(closeTimeout).maxConnectionsPerAddress(maxTcpConnectionsPerIp);
        if (maxTcpConnections != null) {
            front.maxConnections(maxTcpConnections);
        }
        return front;
    }
}
