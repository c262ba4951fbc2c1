package io.sockeye.spring.autoconfigure;

import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Socket.IO server's health, independent of the health API of a Spring Boot line: a status name
 * ({@code UP}, {@code OUT_OF_SERVICE}, {@code DOWN}) and details.
 */
public final class SockeyeHealth {

    private final SocketIoServerLifecycle lifecycle;
    private final SocketIoServer io;
    private final ClusterBusStatus bus; // null on a single node

    public SockeyeHealth(SocketIoServerLifecycle lifecycle, SocketIoServer io, AdapterFactory adapter) {
        this.lifecycle = lifecycle;
        this.io = io;
        this.bus = adapter instanceof ClusterBusStatus status ? status : null;
    }

    /** The status and its details, read now. */
    public Report check() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean running = lifecycle.serving();
        boolean draining = lifecycle.draining();
        details.put("port", lifecycle.port());
        details.put("path", io.options().path());
        details.put("connections", io.engine().clientsCount());
        details.put("sockets", lifecycle.connectedSockets());
        details.put("draining", draining);
        Boolean busUp = bus == null ? null : bus.isConnected();
        if (busUp != null) {
            details.put("clusterBus", busUp ? "connected" : "disconnected");
        }
        String status = !running ? "DOWN" : draining ? "OUT_OF_SERVICE" : Boolean.FALSE.equals(busUp) ? "DOWN" : "UP";
        return new Report(status, details);
    }

    /** A status name of Actuator's and its details. */
    public record Report(String status, Map<String, Object> details) {
    }
}
