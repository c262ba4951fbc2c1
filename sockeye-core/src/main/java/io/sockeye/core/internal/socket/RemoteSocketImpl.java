package io.sockeye.core.internal.socket;

import io.sockeye.core.Handshake;
import io.sockeye.core.RemoteSocket;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.SocketDetails;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A socket found by {@code fetchSockets()}, here or on another node. Like socket.io's
 * {@code RemoteSocket}, every action is an adapter operation targeting the room named after the
 * socket id, so it reaches the socket wherever it lives.
 */
final class RemoteSocketImpl implements RemoteSocket {

    private final NamespaceImpl nsp;
    private final String id;
    private final Handshake handshake;
    private final Set<String> rooms;
    private final Map<String, Object> data;

    RemoteSocketImpl(NamespaceImpl nsp, SocketDetails details) {
        this.nsp = nsp;
        this.id = details.id();
        this.handshake = Handshakes.fromWire(details.handshake());
        this.rooms = details.rooms();
        this.data = dataMap(details.data());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataMap(Object data) {
        if (data instanceof Map<?, ?> map) {
            // a snapshot: the local socket's map keeps changing, a remote one is ours already
            return Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) map));
        }
        // socket.io allows any value as socket.data; a non-object one is exposed under "value"
        return data == null ? Map.of() : Collections.singletonMap("value", data);
    }

    private BroadcastOptions only() {
        return BroadcastOptions.to(Set.of(id));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public Set<String> rooms() {
        return rooms;
    }

    @Override
    public Map<String, Object> data() {
        return data;
    }

    @Override
    public void emit(String event, Object... args) {
        nsp.operator().to(id).emit(event, args);
    }

    @Override
    public void join(String... rooms) {
        nsp.adapter().addSockets(only(), Set.copyOf(Arrays.asList(rooms)));
    }

    @Override
    public void leave(String... rooms) {
        nsp.adapter().delSockets(only(), Set.copyOf(Arrays.asList(rooms)));
    }

    @Override
    public void disconnect(boolean close) {
        nsp.adapter().disconnectSockets(only(), close);
    }

    @Override
    public String toString() {
        return "RemoteSocket(" + id + " in " + nsp.name() + ")";
    }
}
