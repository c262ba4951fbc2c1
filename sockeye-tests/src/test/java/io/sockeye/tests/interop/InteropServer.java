package io.sockeye.tests.interop;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * An embedded Sockeye running {@link InteropApp} on 127.0.0.1 and an ephemeral port, which it can
 * restart on the same port (a client-triggered "process restart", for the transport-close and
 * reconnection scenarios).
 */
final class InteropServer implements AutoCloseable, InteropApp.Control {

    private static final String HOST = "127.0.0.1";

    private final ServerOptions options;
    private final AtomicReference<Throwable> restartFailure = new AtomicReference<>();
    private NettyFrontend http;
    private int port;
    /** Read by handlers on event loops, so not guarded by this object's lock (restart holds it while the loops stop). */
    private volatile int generation;
    private boolean closed;

    private InteropServer(ServerOptions options) {
        this.options = options;
    }

    /**
     * Runs the interop server by hand (from an IDE, on the test classpath) to debug one scenario:
     * {@code SOCKEYE_URL=<printed url> node --test scenarios/<name>.test.mjs} in {@code src/test/node}.
     */
    public static void main(String[] args) throws InterruptedException {
        InteropServer server = start();
        System.out.println("SOCKEYE_URL=" + server.url());
        Thread.currentThread().join();
    }

    /** Starts a server with {@link InteropApp#options()}. */
    static InteropServer start() {
        return start(InteropApp.options());
    }

    static InteropServer start(ServerOptions options) {
        InteropServer server = new InteropServer(options);
        synchronized (server) {
            server.http = server.bind(0);
            server.port = server.http.port();
        }
        return server;
    }

    /** {@code http://127.0.0.1:<port>}, stable across restarts. */
    synchronized String url() {
        return "http://" + HOST + ":" + port;
    }

    synchronized int port() {
        return port;
    }

    @Override
    public int generation() {
        return generation;
    }

    /**
     * Restarts on a fresh thread: the request arrives on a Netty event loop, and closing the server
     * waits for its event loops to stop, which must never be awaited from one of them.
     */
    @Override
    public void restartSoon() {
        Thread restart = new Thread(() -> {
            try {
                restart();
            } catch (Throwable t) {
                restartFailure.compareAndSet(null, t);
            }
        }, "interop-restart");
        restart.setDaemon(true);
        restart.start();
    }

    /** Stops the server (every connection closes without a Socket.IO goodbye) and starts a new one on the same port. */
    synchronized void restart() {
        if (closed) {
            return;
        }
        http.close();
        http = null;
        // SO_REUSEADDR is set, so the port is normally free at once; retry briefly in case the OS disagrees.
        AtomicReference<NettyFrontend> started = new AtomicReference<>();
        await("rebinding port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    started.set(bind(port));
                    return true;
                });
        http = started.get();
    }

    /** A restart that failed (it runs on its own thread), or null. */
    Throwable restartFailure() {
        return restartFailure.get();
    }

    private NettyFrontend bind(int onPort) {
        SocketIoServer io = InteropApp.create(options, this);
        try {
            NettyFrontend server = NettyFrontend.builder().host(HOST).port(onPort).attach(io).build().start();
            generation++;
            return server;
        } catch (RuntimeException e) {
            io.close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
