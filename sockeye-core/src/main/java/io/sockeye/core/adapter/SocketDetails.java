package io.sockeye.core.adapter;

import java.util.Objects;
import java.util.Set;

/**
 * A socket as reported by {@link Adapter#fetchSockets}, local or on another node
 * (socket.io's {@code SocketDetails}: what a {@code RemoteSocket} is built from).
 *
 * @param id        the Socket.IO socket id
 * @param handshake for a local socket, {@link LocalSocket#handshake()} as is; for a remote socket,
 *                  whatever the cluster bus delivered (a {@code Map} in socket.io's shape when the bus
 *                  carries JSON/msgpack, the sender's object on the in-process bus)
 * @param rooms     the rooms the socket is in (immutable)
 * @param data      the socket's {@code data} (local: as set by the application; remote: as decoded)
 */
public record SocketDetails(String id, Object handshake, Set<String> rooms, Object data) {

    public SocketDetails {
        Objects.requireNonNull(id, "id");
        rooms = rooms == null ? Set.of() : Set.copyOf(rooms);
    }
}
