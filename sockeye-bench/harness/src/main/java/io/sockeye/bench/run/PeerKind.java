package io.sockeye.bench.run;

import io.sockeye.bench.generator.ConnectSpec.Mode;

/** The servers measured side by side. */
enum PeerKind {
    SOCKEYE("sockeye", "Sockeye", Mode.SOCKET_IO),
    /** The same server with connection state recovery on: what offsets and the history cost a fan-out. */
    SOCKEYE_CSR("sockeye-csr", "Sockeye, connection state recovery on", Mode.SOCKET_IO),
    /** The same server with permessage-deflate on (threshold 0), the generator negotiating it: compressed fan-out. */
    SOCKEYE_DEFLATE("sockeye-deflate", "Sockeye, permessage-deflate on", Mode.SOCKET_IO_DEFLATE),
    /** The same server on Netty's io_uring transport instead of epoll ({@code transport: io_uring}). */
    SOCKEYE_IO_URING("sockeye-io-uring", "Sockeye, io_uring transport", Mode.SOCKET_IO),
    /** The same server with the msgpack parser (socket.io-msgpack-parser's packets), the generator speaking it. */
    SOCKEYE_MSGPACK("sockeye-msgpack", "Sockeye, msgpack parser", Mode.SOCKET_IO_MSGPACK),
    NODE("node", "Node socket.io 4.8 (ws)", Mode.SOCKET_IO),
    /** Node socket.io with ws's perMessageDeflate on (threshold 0), which compresses per recipient. */
    NODE_DEFLATE("node-deflate", "Node socket.io 4.8 (ws, perMessageDeflate on)", Mode.SOCKET_IO_DEFLATE),
    /** Node socket.io with socket.io-msgpack-parser 3.x as its parser. */
    NODE_MSGPACK("node-msgpack", "Node socket.io 4.8 (ws, socket.io-msgpack-parser)", Mode.SOCKET_IO_MSGPACK),
    NODE_NATIVE("node-native", "Node socket.io 4.8 (ws + bufferutil, utf-8-validate)", Mode.SOCKET_IO),
    NETTY_SOCKETIO("netty-socketio", "netty-socketio 2.0.14", Mode.SOCKET_IO),
    RAW_NETTY("raw-netty", "raw Netty WebSocket (ceiling)", Mode.RAW);

    final String id;
    final String label;
    final Mode mode;

    PeerKind(String id, String label, Mode mode) {
        this.id = id;
        this.label = label;
        this.mode = mode;
    }

    /** Where clients connect: the Engine.IO path, or the raw server's WebSocket path. */
    String path() {
        return mode == Mode.RAW ? "/ws" : "/socket.io/";
    }

    static PeerKind byId(String id) {
        for (PeerKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown peer '" + id + "'");
    }
}
