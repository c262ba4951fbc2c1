package io.sockeye.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP backend for the gateway's proxies, on the JDK's {@link HttpServer} (127.0.0.1, a free port):
 * each path answers with a function of the request, and every request (headers, JSON body) is recorded.
 * Answers may be delayed (on a scheduler, no thread sleeps) or held forever (a hung backend) until
 * {@link #close()}.
 */
public final class HttpBackend implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the backend received it. */
    public record Request(String path, Map<String, List<String>> headers, Map<String, Object> body, String rawBody) {
        /** The first value of a header (any case), or {@code null}. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** What a path answers: a status, a body, extra headers, an optional delay, or never ({@link #hang()}). */
    public record Response(int status, byte[] body, Map<String, String> headers, Duration delay, boolean hangs) {

        public static Response json(Object value) {
            try {
                return new Response(200, JSON.writeValueAsBytes(value), Map.of("Content-Type", "application/json"),
                        Duration.ZERO, false);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        public static Response raw(int status, String body) {
            return new Response(status, body.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ZERO, false);
        }

        public static Response bytes(int status, byte[] body) {
            return new Response(status, body, Map.of(), Duration.ZERO, false);
        }

        /** A redirect to {@code location} (e.g. the same path: a loop). */
        public static Response redirect(String location) {
            return new Response(302, new byte[0], Map.of("Location", location), Duration.ZERO, false);
        }

        /** No answer at all until the backend closes. */
        public static Response hang() {
            return new Response(0, new byte[0], Map.of(), Duration.ZERO, true);
        }

        public Response after(Duration wait) {
            return new Response(status, body, headers, wait, hangs);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Function<Request, Response>> handlers = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Request>> received = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private HttpBackend(int threads) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = threads <= 0 ? Executors.newCachedThreadPool(daemon("http-backend"))
                : Executors.newFixedThreadPool(threads, daemon("http-backend"));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("http-backend-delay"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A backend on a free port of 127.0.0.1, a thread per concurrent request. */
    public static HttpBackend start() {
        return new HttpBackend(0);
    }

    /** A backend with a fixed pool of {@code threads} request threads (load tests). */
    public static HttpBackend start(int threads) {
        return new HttpBackend(threads);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** What {@code path} answers from now on. */
    public HttpBackend on(String path, Function<Request, Response> handler) {
        handlers.put(path, handler);
        return this;
    }

    /** The requests {@code path} received so far, in order, and those still to come. */
    public BlockingQueue<Request> requests(String path) {
        return received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    /** The next request of {@code path}, waiting at most {@code wait}. */
    public Request next(String path, Duration wait) throws InterruptedException {
        Request r = requests(path).poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no request to " + path + " within " + wait.toMillis() + " ms");
        }
        return r;
    }

    /** How many requests {@code path} received. */
    public int count(String path) {
        return requests(path).size();
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String text = new String(raw, StandardCharsets.UTF_8);
        Map<String, Object> body;
        try {
            Object parsed = raw.length == 0 ? null : JSON.readValue(raw, Object.class);
            body = parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
        } catch (IOException e) {
            body = new LinkedHashMap<>();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
        Request request = new Request(path, headers, body, text);
        requests(path).add(request);
        Function<Request, Response> handler = handlers.get(path);
        Response response = handler == null ? Response.raw(404, "no handler for " + path) : handler.apply(request);
        if (response.hangs()) { // the exchange stays open until close()
            executor.execute(() -> {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            return;
        }
        if (response.delay().isZero()) {
            send(exchange, response);
        } else {
            scheduler.schedule(() -> send(exchange, response), response.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private static void send(HttpExchange exchange, Response response) {
        try {
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (IOException e) {
            exchange.close(); // the gateway gave up on it (timeout): nothing to answer
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        scheduler.shutdownNow();
        executor.shutdownNow();
    }
}
