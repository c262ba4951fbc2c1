package io.sockeye.tests.admin;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.testkit.ChildProcess;
import org.json.JSONObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The traffic a dashboard test watches: anonymous Java socket.io clients of a standalone server
 * (anonymous access is on when no JWT key is configured) that subscribe to room {@code lobby} and
 * chat in it. Drives {@code admin-dashboard.mjs} step by step. {@link #close()} disconnects them.
 */
final class DashboardClients implements AutoCloseable {

    static final long WAIT_SECONDS = 30;
    static final Duration STEP = Duration.ofMinutes(1);

    private final List<Socket> sockets = new ArrayList<>();

    /** Connects one client to {@code url} (e.g. {@code http://127.0.0.1:1234/}). */
    Socket connect(String url) throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        Socket socket = IO.socket(url, options);
        sockets.add(socket);
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new AssertionError("connect_error: " + (args.length > 0 ? args[0] : ""))));
        socket.connect();
        connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return socket;
    }

    /**
     * The browser script's steps after it signed in: the clients connect, one to each url in turn,
     * (the connection count rises), subscribe to {@code lobby}, and the first one publishes there
     * four times a second until the browser saw messages and latency on the plots and a plot moving.
     */
    void driveDashboard(ChildProcess browser, int clients, String... urls) throws Exception {
        for (int i = 0; i < clients; i++) {
            connect(urls[i % urls.length]);
        }
        browser.awaitLine("connections rose to " + clients, STEP);
        for (Socket client : sockets) { // the rooms service answers only requests that ask for an ack
            CompletableFuture<Object[]> subscribed = new CompletableFuture<>();
            client.emit("subscribe", new Object[] {"lobby"}, subscribed::complete);
            subscribed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        ScheduledExecutorService chat = Executors.newSingleThreadScheduledExecutor();
        try {
            chat.scheduleAtFixedRate(() -> sockets.get(0).emit("publish", new Object[] {new JSONObject(
                    Map.of("room", "lobby", "event", "chat", "data", Map.of("text", "hi")))}, reply -> { }),
                    0, 250, TimeUnit.MILLISECONDS);
            browser.awaitLine("messages and latency plotted", STEP);
        } finally {
            chat.shutdownNow();
        }
        browser.awaitLine("plot updated", STEP);
    }

    @Override
    public void close() {
        sockets.forEach(Socket::close);
        sockets.clear();
    }
}
