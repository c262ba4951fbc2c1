package io.sockeye.server.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.sockeye.server.gateway.GatewayMetrics;
import io.sockeye.server.gateway.HeaderValue;
import io.sockeye.server.rooms.BackendRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls one proxy's backend: {@code POST <url>} with a JSON body, the caller's identity in headers
 * ({@code X-Sockeye-Client}, {@code X-Sockeye-User}) and the allowed pass-through headers; the answer must
 * be {@code 200} with a JSON object. Non-blocking end to end: the request goes out on a kept-alive HTTP/1.1
 * connection of the server's own event loop that made the call ({@link BackendConnections}), its answer is
 * read there, and the call's deadline rides the gateway's one timer wheel.
 *
 * <p>At most {@code max_concurrency} calls are in flight; one more is refused at once
 * ({@link ProxyFailure.Reason#OVERLOADED}) rather than queued. Idempotent kinds are sent again after a
 * refused or reset connection or a 502/503/504, with a short backoff, while the timeout allows. Redirects
 * are not followed: a 3xx is a status like any other than 200.
 */
public final class ProxyClient {

    private static final Logger log = LoggerFactory.getLogger(ProxyClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first retry waits this long, each later one twice as long. */
    private static final long BACKOFF_MILLIS = 25;

    private final ProxyKind kind;
    private final ProxySettings settings;
    private final int retries;
    private final BackendConnections http;
    private final BackendAddress address;
    private final Timer timer;
    private final GatewayMetrics metrics;
    private final PassThrough passThrough;
    private final Semaphore slots;

    public ProxyClient(ProxyKind kind, ProxySettings settings, int retries, BackendConnections http,
                       Timer timer, GatewayMetrics metrics) {
        this.kind = kind;
        this.settings = settings;
        this.retries = kind.idempotent() ? retries : 0;
        this.http = http;
        this.address = BackendAddress.of(settings.url());
        this.timer = timer;
        this.metrics = metrics;
        this.passThrough = new PassThrough(settings.headers(), settings.cookies());
        this.slots = new Semaphore(settings.maxConcurrency());
        metrics.inFlight(kind.key(), () -> settings.maxConcurrency() - slots.availablePermits());
    }

    public ProxyKind kind() {
        return kind;
    }

    public ProxySettings settings() {
        return settings;
    }

    /** The allowed headers of a handshake, as they are sent (see {@link PassThrough}). */
    public Map<String, String> passThrough(Map<String, String> handshakeHeaders) {
        return passThrough.select(handshakeHeaders, () -> {
            metrics.headerRefused(kind.key());
            log.debug("{} proxy: a pass-through header value holds control characters; not forwarded", kind.key());
        });
    }

    /**
     * Sends {@code body} and reads the answer with {@code reader}, which throws {@link ProxyFailure}
     * ({@code INVALID_ANSWER}) for a shape it does not accept.
     *
     * @param client  the connection id ({@code X-Sockeye-Client})
     * @param user    the user id, or {@code null} ({@code X-Sockeye-User}, percent-encoded past printable ASCII)
     * @param headers pass-through headers, as {@link #passThrough} selected them
     * @return completes with the reader's value, or exceptionally with a {@link ProxyFailure}
     */
    public <T> CompletableFuture<T> call(Map<String, Object> body, String client, String user,
                                         Map<String, String> headers, Function<Map<String, Object>, T> reader) {
        long start = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!slots.tryAcquire()) {
            fail(result, new ProxyFailure(ProxyFailure.Reason.OVERLOADED,
                    settings.maxConcurrency() + " calls already in flight"), start);
            return result;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            slots.release();
            throw new IllegalArgumentException("proxy body not serializable", e);
        }
        long timeoutNanos = settings.timeout().toNanos();
        Timeout deadline = timer.newTimeout(t -> result.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.TIMEOUT,
                "no answer within " + settings.timeout().toMillis() + " ms")), timeoutNanos, TimeUnit.NANOSECONDS);
        HttpHeaders requestHeaders = headers(json.length, client, user, headers);
        String[] outcome = {"ok"};
        EventLoop loop = http.loop();
        if (loop == null) {
            result.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.CONNECT, "the server has not started"));
        } else {
            attempt(loop, requestHeaders, json, 0, result, answer -> {
                if (answer.get("error") != null) {
                    outcome[0] = "error";
                }
                return reader.apply(answer);
            });
        }
        result.whenComplete((value, error) -> {
            deadline.cancel();
            slots.release();
            if (error == null || error instanceof BackendRefusal) {
                metrics.proxied(kind.key(), outcome[0], System.nanoTime() - start);
            } else {
                ProxyFailure f = failure(error);
                metrics.proxyError(kind.key(), f.reason().label());
                metrics.proxied(kind.key(), "unavailable", System.nanoTime() - start);
                log.debug("{} proxy call for client {} unavailable: {}", kind.key(), client, f.getMessage());
            }
        });
        return result;
    }

    private <T> void fail(CompletableFuture<T> result, ProxyFailure failure, long start) {
        metrics.proxyError(kind.key(), failure.reason().label());
        metrics.proxied(kind.key(), "unavailable", System.nanoTime() - start);
        result.completeExceptionally(failure);
    }

    /** The request's headers, the same for each attempt (the pass-through values were checked: no CR, LF). */
    private HttpHeaders headers(int length, String client, String user, Map<String, String> passed) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.HOST, address.hostHeader());
        h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        h.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        h.set("X-Sockeye-Client", client);
        if (user != null) {
            h.set("X-Sockeye-User", HeaderValue.encode(user));
        }
        passed.forEach(h::set);
        return h;
    }

    /** One try, on {@code loop}: the caller's, kept for the retries so that they too stay on it. */
    private <T> void attempt(EventLoop loop, HttpHeaders headers, byte[] json, int attempt, CompletableFuture<T> result,
                             Function<Map<String, Object>, T> reader) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<BackendExchange.Answer> exchange = http.send(loop,
                new BackendExchange(address, headers, json, kind.idempotent()));
        result.whenComplete((v, e) -> exchange.cancel(true)); // a timed-out call frees its connection
        exchange.whenComplete((answer, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error == null && answer.status() == 200) {
                try {
                    result.complete(reader.apply(parse(answer.body())));
                } catch (ProxyFailure | BackendRefusal f) {
                    result.completeExceptionally(f);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, String.valueOf(e.getMessage())));
                }
                return;
            }
            boolean retryable = error != null ? isConnectionError(error) : isRetryableStatus(answer.status());
            if (retryable && attempt < retries) {
                metrics.retried(kind.key());
                long backoff = BACKOFF_MILLIS << attempt;
                timer.newTimeout(t -> again(loop, () -> attempt(loop, headers, json, attempt + 1, result, reader), result),
                        backoff, TimeUnit.MILLISECONDS);
                return;
            }
            result.completeExceptionally(error != null ? failure(error)
                    : new ProxyFailure(ProxyFailure.Reason.STATUS, "HTTP status " + answer.status()));
        });
    }

    private static void again(EventLoop loop, Runnable retry, CompletableFuture<?> result) {
        try {
            loop.execute(retry);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.CONNECT, "the server is stopping"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body) {
        try {
            Object value = body == null || body.length == 0 ? null : JSON.readValue(body, Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (IOException e) {
            throw new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, "answer is not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        throw new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, "answer is not a JSON object");
    }

    private static boolean isRetryableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /** A refused, reset or closed connection: worth another try for an idempotent call. */
    private static boolean isConnectionError(Throwable error) {
        return unwrap(error) instanceof ProxyFailure f && f.reason() == ProxyFailure.Reason.CONNECT;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The failure behind {@code error}, classified. */
    static ProxyFailure failure(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof ProxyFailure f) {
            return f;
        }
        if (t instanceof CancellationException) {
            return new ProxyFailure(ProxyFailure.Reason.TIMEOUT, "cancelled");
        }
        return new ProxyFailure(ProxyFailure.Reason.CONNECT, t.getClass().getSimpleName() + ": " + t.getMessage());
    }
}
