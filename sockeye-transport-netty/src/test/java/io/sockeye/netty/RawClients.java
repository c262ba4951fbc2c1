package io.sockeye.netty;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw Engine.IO clients on the JDK's HTTP client, for tests that look at exactly what the server
 * writes: WebSocket ones that record text messages as they are and binary ones as {@code bin:<hex>},
 * and long-polling ones. Connecting to the main namespace is the caller's first message (a JSON
 * {@code 40}, or a msgpack CONNECT), except for {@link #jsonWebsocket()}. Close it after each test: it aborts every WebSocket it opened.
 */
final class RawClients implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final int port;

    RawClients(int port) {
        this.port = port;
    }

    private URI uri(String scheme, String query) {
        return URI.create(scheme + "://127.0.0.1:" + port + "/socket.io/?EIO=4&" + query);
    }

    /** A WebSocket session, open (its handshake read) but in no namespace yet. */
    Ws websocket() throws Exception {
        return new Ws();
    }

    /** A WebSocket session connected to the main namespace with the JSON parser ({@code 40}). */
    Ws jsonWebsocket() throws Exception {
        Ws client = new Ws();
        client.send("40");
        assertThat(client.next()).startsWith("40{");
        return client;
    }

    /** A long-polling session, open but in no namespace yet. */
    Polling polling() throws Exception {
        return new Polling();
    }

    @Override
    public void close() {
        sockets.forEach(WebSocket::abort);
    }

    static String bin(byte[] bytes) {
        return "bin:" + HexFormat.of().formatHex(bytes);
    }

    /** A WebSocket session: text messages recorded as they are, binary ones as {@code bin:<hex>}. */
    final class Ws implements WebSocket.Listener {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
        final WebSocket socket;

        private Ws() throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(uri("ws", "transport=websocket"), this)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            sockets.add(socket);
            assertThat(next()).startsWith("0{");
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        void send(byte[] binary) {
            socket.sendBinary(ByteBuffer.wrap(binary), true).join();
        }

        String next() throws InterruptedException {
            String message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(message).as("a message within %d s", WAIT_SECONDS).isNotNull();
            return message;
        }

        /** The next {@code count} messages that {@code wanted} accepts, skipping the others. */
        List<String> next(int count, Predicate<String> wanted) throws InterruptedException {
            List<String> out = new ArrayList<>();
            while (out.size() < count) {
                String message = next();
                if (wanted.test(message)) {
                    out.add(message);
                }
            }
            return out;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partialBinary.writeBytes(chunk);
            if (last) {
                messages.add(bin(partialBinary.toByteArray()));
                partialBinary.reset();
            }
            webSocket.request(1);
            return null;
        }
    }

    /** A long-polling session. */
    final class Polling {
        private final String sid;

        private Polling() throws Exception {
            String open = get(uri("http", "transport=polling")).get(WAIT_SECONDS, TimeUnit.SECONDS);
            sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        }

        /** Posts one payload ({@code 40}, or {@code b<base64>} for a binary packet); the server answers ok. */
        void send(String payload) throws Exception {
            HttpRequest post = HttpRequest.newBuilder(uri("http", "transport=polling&sid=" + sid))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        }

        CompletableFuture<String> poll() {
            return get(uri("http", "transport=polling&sid=" + sid));
        }

        private CompletableFuture<String> get(URI uri) {
            return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body);
        }
    }
}
