package io.sockeye.server.warmup;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The warm-up's Socket.IO clients: plain Engine.IO v4 / Socket.IO v5 text packets over the JDK's WebSocket
 * client, enough for connect, a client event with an ack, and receiving broadcasts. Over TLS it trusts the
 * server's own certificate whatever it is: it only ever talks to this process.
 */
final class WarmupClient {

    /** About the size of a chat message. */
    private static final String PAYLOAD = "w".repeat(100);
    private static final String PREFIX = Warmup.NAMESPACE + ",";

    private final HttpClient http;
    private final URI uri;
    private final String connectPacket;

    WarmupClient(URI uri, String token, boolean tls) throws GeneralSecurityException {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (tls) {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new TrustingItself()}, null);
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.uri = uri;
        this.connectPacket = "40" + PREFIX + "{\"token\":\"" + token + "\"}";
    }

    /** What one round did. */
    record Round(int connected, long deliveries) {
    }

    /**
     * Connects {@code connections} clients, has them publish {@code publishes} messages to their room (each
     * acknowledged, each delivered to all of them), then closes them.
     *
     * @throws IllegalStateException when no client got in, or the round missed the deadline
     */
    Round round(int connections, int publishes, long deadlineNanos, Runnable whileConnected) throws InterruptedException {
        CountDownLatch settled = new CountDownLatch(connections);
        List<Client> clients = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            clients.add(new Client(settled));
        }
        try {
            await(settled, deadlineNanos, "connecting");
            List<Client> up = clients.stream().filter(c -> c.connected).toList();
            if (up.isEmpty()) {
                throw new IllegalStateException("no warm-up client got in: " + clients.get(0).failure.get());
            }
            if (whileConnected != null) {
                whileConnected.run();
            }
            CountDownLatch acks = new CountDownLatch(publishes);
            CountDownLatch deliveries = new CountDownLatch(publishes * up.size());
            for (Client c : up) {
                c.expect(acks, deliveries);
            }
            for (int p = 0; p < publishes; p++) {
                up.get(p % up.size()).send("42" + PREFIX + p + "[\"publish\",\"" + PAYLOAD + "\"]");
            }
            await(acks, deadlineNanos, "acks");
            await(deliveries, deadlineNanos, "deliveries");
            return new Round(up.size(), (long) publishes * up.size());
        } finally {
            clients.forEach(Client::close);
        }
    }

    private static void await(CountDownLatch latch, long deadlineNanos, String what) throws InterruptedException {
        if (!latch.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("warmup.timeout reached while waiting for " + what);
        }
    }

    /** One connection: answers the open packet with a connect, pings with pongs; counts acks and messages. */
    private final class Client implements WebSocket.Listener {
        private final CountDownLatch settled;
        private final AtomicBoolean counted = new AtomicBoolean();
        private final AtomicReference<String> failure = new AtomicReference<>("no answer");
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean connected;
        private volatile CountDownLatch acks;
        private volatile CountDownLatch deliveries;
        private CompletableFuture<WebSocket> sending;

        Client(CountDownLatch settled) {
            this.settled = settled;
            synchronized (this) { // the listener may send before the constructor returns
                this.sending = http.newWebSocketBuilder().buildAsync(uri, this);
            }
            sending.whenComplete((ws, e) -> {
                if (e != null) {
                    settle("handshake failed: " + e.getMessage());
                }
            });
        }

        void expect(CountDownLatch acks, CountDownLatch deliveries) {
            this.acks = acks;
            this.deliveries = deliveries;
        }

        // The JDK client allows one send at a time: chain them.
        synchronized void send(String text) {
            sending = sending.thenCompose(ws -> ws.sendText(text, true));
        }

        synchronized void close() {
            sending.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "")).whenComplete((ws, e) -> { });
        }

        private void settle(String why) {
            if (why != null) {
                failure.set(why);
            }
            if (counted.compareAndSet(false, true)) {
                settled.countDown();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(ws, text);
            }
            ws.request(1);
            return null;
        }

        private void handle(WebSocket ws, String text) {
            if (text.startsWith("42" + PREFIX)) {
                CountDownLatch d = deliveries;
                if (d != null) {
                    d.countDown();
                }
            } else if (text.startsWith("43" + PREFIX)) {
                CountDownLatch a = acks;
                if (a != null) {
                    a.countDown();
                }
            } else if (text.startsWith("0{")) {
                send(connectPacket);
            } else if (text.startsWith("40" + PREFIX)) {
                connected = true;
                settle(null);
            } else if (text.startsWith("44" + PREFIX)) {
                settle("connect refused: " + text);
            } else if (text.equals("2")) {
                send("3");
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            settle("closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            settle(error.toString());
        }
    }

    /** Trusts the certificate of the server this process runs, which is the only one it connects to. */
    private static final class TrustingItself extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
