package io.sockeye.spring.autoconfigure;

import io.sockeye.core.DisconnectReason;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.HandshakeFilter;
import io.sockeye.netty.NettyFrontend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The embedded Socket.IO server's place in the application's lifecycle: it binds its port when the
 * context starts (after every handler is registered) and stops with the context. A graceful stop (Spring
 * Boot's {@code server.shutdown=graceful}, its default) refuses new connections with 503, tells every
 * client {@code sockeye:error {code: "unavailable", message: "server shutting down"}}, closes their
 * connections in random order spread over {@code sockeye.lifecycle.drain-window} (so that they reconnect
 * to other instances as a trickle), then closes the server — within Boot's
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. An immediate stop closes everything at once.
 *
 * <p>The drain starts as soon as the context begins to close ({@link ContextClosedEvent}, before any
 * lifecycle bean stops), because Spring shuts the application's task executor down at that moment and
 * handlers, and the notices to clients, run on it.
 */
public class SocketIoServerLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, Ordered, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SocketIoServerLifecycle.class);
    /** What a drained client receives before its connection closes, as from the standalone server. */
    static final String SHUTDOWN_EVENT = "sockeye:error";
    private static final HandshakeFilter.Rejection SHUTTING_DOWN =
            new HandshakeFilter.Rejection(503, "{\"code\":\"unavailable\",\"message\":\"server shutting down\"}", 5);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final SocketIoServer io;
    private final Supplier<NettyFrontend.Builder> frontend;
    private final int configuredPort;
    private final int phase;
    private final boolean graceful;
    private final Duration drainWindow;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile NettyFrontend http;
    private volatile boolean draining;
    private volatile boolean running;
    private volatile boolean closing;
    private volatile int port = -1;

    /**
     * @param frontend a builder of the Netty front with the server attached; its handshake filter is
     *                 replaced by one that refuses new connections while draining
     * @param port     the port it binds, named when binding fails
     */
    public SocketIoServerLifecycle(SocketIoServer io, Supplier<NettyFrontend.Builder> frontend, int port, int phase,
                                   boolean graceful, Duration drainWindow) {
        this.io = io;
        this.frontend = frontend;
        this.configuredPort = port;
        this.phase = phase;
        this.graceful = graceful;
        this.drainWindow = drainWindow;
    }

    /** Keeps track of {@code namespace}'s sockets, which a graceful stop drains. */
    public Consumer<Socket> tracker() {
        return socket -> {
            sockets.add(socket);
            socket.onDisconnect(reason -> sockets.remove(socket));
        };
    }

    @Override
    public synchronized void start() {
        running = true;
        if (http != null) {
            return;
        }
        NettyFrontend.Builder builder = frontend.get();
        HandshakeFilter filter = request -> draining ? SHUTTING_DOWN : null;
        try {
            http = builder.handshakeFilter(filter).build().start();
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
            if (isBindFailure(e)) {
                throw new SockeyePortInUseException(configuredPort, e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        port = http.port();
        draining = false;
        log.info("Socket.IO server on port {} (path {})", port, io.options().path());
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
        if (graceful && http != null && !draining) {
            draining = true;
            drain();
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // before the task executor's own early shutdown
    }

    /**
     * Closes the server when the context closes. A context stopped without closing (Spring's test
     * context pausing, {@code context.stop()}) keeps serving: a {@link SocketIoServer} cannot be
     * started again once closed, and its clients would all be lost for a pause.
     */
    @Override
    public synchronized void stop() {
        running = false;
        if (closing) {
            close();
        }
    }

    private void drain() {
        List<Socket> open = new ArrayList<>(sockets);
        Collections.shuffle(open);
        log.info("draining: refusing new connections, disconnecting {} clients over {} ms", open.size(), drainWindow.toMillis());
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("code", "unavailable");
        notice.put("message", "server shutting down");
        // Everyone is told first, so that a long-polling client has a poll's time to read it before its
        // connection closes; then the connections close in even shares, one share per tick.
        for (Socket socket : open) {
            socket.emit(SHUTDOWN_EVENT, notice);
        }
        long ticks = Math.max(1, drainWindow.toNanos() / TICK_NANOS);
        long start = System.nanoTime();
        int closed = 0;
        for (long k = 1; closed < open.size(); k++) {
            LockSupport.parkNanos(start + k * TICK_NANOS - System.nanoTime());
            int upTo = (int) Math.min(open.size(), (k * open.size() + ticks - 1) / ticks);
            for (; closed < upTo; closed++) {
                open.get(closed).closeConnection(DisconnectReason.SERVER_SHUTTING_DOWN);
            }
        }
        // Disconnections finish on each connection's event loop; give them a moment before closing the loops.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!sockets.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        log.info("drained {} clients", closed);
    }

    @Override
    public void destroy() {
        close();
    }

    private synchronized void close() {
        NettyFrontend running = http;
        if (running != null) {
            running.close();
            http = null;
            log.info("Socket.IO server stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether the port is open (also while a stopped, not closed, context keeps serving). */
    public boolean serving() {
        return http != null;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    /** The bound port (useful with {@code sockeye.port=0}), or -1 before the first start. */
    public int port() {
        return port;
    }

    /** Whether a graceful stop is under way: new connections are refused. */
    public boolean draining() {
        return draining;
    }

    /** Sockets connected to the namespaces the starter serves. */
    public int connectedSockets() {
        return sockets.size();
    }

    static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // NIO throws BindException; the epoll transport a NativeIoException saying so.
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }
}
