package io.sockeye.bench.generator;

import java.util.List;

/**
 * What one {@code connect} command asks of a generator process.
 *
 * @param host        server host (loopback)
 * @param ports       server ports; connection i goes to {@code ports[i % ports.length]} (cluster nodes)
 * @param path        the Engine.IO path ({@code /socket.io/}) or, in raw mode, the WebSocket path
 * @param mode        Socket.IO framing, or raw WebSocket text frames (the raw Netty ceiling)
 * @param role        what the connections will do
 * @param count       connections to open
 * @param concurrency most handshakes in flight at once (a storm uses {@code count})
 * @param room        room to join once connected, or null
 * @param timeoutMs   give up on connections not ready after this long
 */
public record ConnectSpec(String host, List<Integer> ports, String path, Mode mode, Role role,
                          int count, int concurrency, String room, long timeoutMs) {

    /**
     * Socket.IO framing (socket.io's default parser), the same offering permessage-deflate (and inflating what
     * arrives), Socket.IO with socket.io-msgpack-parser's packets (binary frames), raw text frames, Socket.IO
     * framing speaking the standalone server's protocol (a subscriber joins with {@code subscribe}, a publisher
     * sends {@code publish({room, event, data})}), or the standalone server's Server-Sent Events ({@code path}
     * is then the stream's, e.g. {@code /sse}; subscribers only).
     */
    public enum Mode { SOCKET_IO, SOCKET_IO_DEFLATE, SOCKET_IO_MSGPACK, RAW, STANDALONE, SSE }

    public enum Role { IDLE, SUBSCRIBER, ECHO, PUBLISHER }

    public ConnectSpec {
        ports = List.copyOf(ports);
        if (ports.isEmpty() || count < 0 || concurrency < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("bad connect spec");
        }
    }
}
