package io.sockeye.server.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real JWK Set endpoint on an ephemeral loopback port that counts its downloads. */
final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger hits = new AtomicInteger();
    private final URI uri;
    private volatile String body;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private JwksServer(List<? extends JWK> keys) throws IOException {
        serve(keys);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/.well-known/jwks.json", exchange -> {
            hits.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    static JwksServer start(JWK... keys) throws IOException {
        return new JwksServer(List.of(keys));
    }

    /** Publishes these keys (public parts only) from now on. */
    void serve(List<? extends JWK> keys) {
        body = new JWKSet(List.copyOf(keys)).toPublicJWKSet().toString();
    }

    /** Serves {@code document} as it is from now on, key set or not. */
    void serveRaw(String document) {
        body = document;
    }

    /** Holds every response until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    URI uri() {
        return uri;
    }

    int hits() {
        return hits.get();
    }

    /** Stops listening: downloads now fail with "connection refused". */
    void stop() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }
}
