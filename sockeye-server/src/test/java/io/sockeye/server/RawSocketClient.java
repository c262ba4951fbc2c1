package io.sockeye.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare Socket.IO client over one WebSocket (JDK {@code java.net.http}): it answers pings and hands
 * every other text frame to the test, so tests see exactly what the server sent, in order.
 */
final class RawSocketClient implements AutoCloseable {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private RawSocketClient(HttpClient http, URI uri) {
        this.ws = http.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    /**
     * Opens the Engine.IO session over WebSocket and joins the main namespace.
     *
     * @param base the server URL, e.g. {@code http://localhost:3000/} or {@code https://...}
     */
    static RawSocketClient connect(HttpClient http, String base) {
        String ws = base.replaceFirst("^http", "ws") + "socket.io/?EIO=4&transport=websocket";
        RawSocketClient c = new RawSocketClient(http, URI.create(ws));
        c.await(m -> m.startsWith("0{"), Duration.ofSeconds(10));
        c.send("40");
        c.await(m -> m.startsWith("40{"), Duration.ofSeconds(10));
        return c;
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** The next frame that matches, skipping others; fails with everything seen at the deadline. */
    String await(Predicate<String> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
                if (m == null) {
                    throw new AssertionError("no matching frame within " + timeout + "; frames: " + seen()
                            + (closed.isDone() ? "; closed " + closed.getNow(null) : ""));
                }
                if (matching.test(m)) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every text frame received so far, pings excepted. */
    synchronized List<String> seen() {
        return List.copyOf(seen);
    }

    /** Completes with the close status code when the server closes the WebSocket (-1: failed). */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                if (message.equals("2")) {
                    webSocket.sendText("3", true);
                } else {
                    synchronized (RawSocketClient.this) {
                        seen.add(message);
                    }
                    received.add(message);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
