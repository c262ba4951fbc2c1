package io.sockeye.bench.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway scenario's former rpc backend, on the JDK HttpServer (127.0.0.1), with
 * {@code -Dsockeye.bench.gatewayBackend=jdk}: answers {@code {"result": ...}} after a fixed delay (a scheduler
 * completes the exchange: no thread waits), and never answers method {@code hang} (those exchanges are held
 * until {@link #close()}), to stand for a backend that hangs.
 */
final class JdkGatewayBackend implements RpcBackend {

    private static final byte[] ANSWER = "{\"result\":{\"ok\":1}}".getBytes(StandardCharsets.UTF_8);
    private static final String MAX_IDLE = "sun.net.httpserver.maxIdleConnections";

    static {
        // Past 200 idle connections (the default) the JDK's server closes each connection after its answer,
        // without "Connection: close": the gateway's 1,000 kept-alive connections would be torn down and
        // opened again call after call, and a call sent on one just closed is answered unavailable
        // (docs/proxy.md, connections to the backends). Read once, when the server class is first used.
        if (System.getProperty(MAX_IDLE) == null) {
            System.setProperty(MAX_IDLE, "100000");
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final ScheduledExecutorService delays;
    private final List<HttpExchange> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger hung = new AtomicInteger();

    JdkGatewayBackend(long delayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        threads = Executors.newFixedThreadPool(2, daemon("gateway-backend"));
        delays = Executors.newSingleThreadScheduledExecutor(daemon("gateway-backend-delay"));
        server.setExecutor(threads);
        server.createContext("/rpc", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"method\":\"hang\"")) {
                held.add(exchange);
                hung.incrementAndGet();
            } else {
                delays.schedule(() -> answer(exchange), delayMillis, TimeUnit.MILLISECONDS);
            }
        });
        server.start();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void answer(HttpExchange exchange) {
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            out.write(ANSWER);
        } catch (IOException e) {
            exchange.close();
        }
    }

    @Override
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public int hung() {
        return hung.get();
    }

    @Override
    public void close() {
        held.forEach(HttpExchange::close);
        server.stop(0);
        delays.shutdownNow();
        threads.shutdownNow();
    }
}
