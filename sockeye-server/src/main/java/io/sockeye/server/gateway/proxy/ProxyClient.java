package io.sockeye.server.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.sockeye.server.gateway.GatewayMetrics;
import io.sockeye.server.gateway.HeaderValue;
import io.sockeye.server.rooms.BackendRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls one proxy's backend: {@code POST <url>} with a JSON body, the caller's identity in headers
 * ({@code X-Sockeye-Client}, {@code X-Sockeye-User}) and the allowed pass-through headers; the answer must
 * be {@code 200} with a JSON object. Non-blocking end to end: the JDK's {@link HttpClient} (connection reuse,
 * HTTP/1.1, HTTP/2 over TLS) completes on its own small executor, and the call's deadline rides the
 * gateway's one timer wheel.
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
    private final int maxAnswerBytes;
    private final HttpClient http;
    private final Timer timer;
    private final GatewayMetrics metrics;
    private final PassThrough passThrough;
    private final Semaphore slots;
    private final HttpClient.Version version;

    public ProxyClient(ProxyKind kind, ProxySettings settings, int retries, int maxAnswerBytes, HttpClient http,
                       Timer timer, GatewayMetrics metrics) {
        this.kind = kind;
        this.settings = settings;
        this.retries = kind.idempotent() ? retries : 0;
        this.maxAnswerBytes = maxAnswerBytes;
        this.http = http;
        this.timer = timer;
        this.metrics = metrics;
        this.passThrough = new PassThrough(settings.headers(), settings.cookies());
        this.slots = new Semaphore(settings.maxConcurrency());
        // h2c (HTTP/2 over plain TCP) starts with an Upgrade that many backends' HTTP servers mishandle.
        this.version = "https".equalsIgnoreCase(settings.url().getScheme()) ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1;
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
        HttpRequest.Builder request = request(json, client, user, headers);
        String[] outcome = {"ok"};
        attempt(request, 0, start + timeoutNanos, result, answer -> {
            if (answer.get("error") != null) {
                outcome[0] = "error";
            }
            return reader.apply(answer);
        });
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

    private HttpRequest.Builder request(byte[] json, String client, String user, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url())
                .version(version)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-Sockeye-Client", client)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (user != null) {
            b.header("X-Sockeye-User", HeaderValue.encode(user));
        }
        headers.forEach(b::header);
        return b;
    }

    private <T> void attempt(HttpRequest.Builder request, int attempt, long deadlineNanos, CompletableFuture<T> result,
                             Function<Map<String, Object>, T> reader) {
        long remaining = deadlineNanos - System.nanoTime();
        if (result.isDone() || remaining <= 0) {
            result.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.TIMEOUT, "timeout"));
            return;
        }
        HttpRequest r = request.copy().timeout(Duration.ofNanos(remaining)).build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(r, LimitedBody.handler(maxAnswerBytes));
        result.whenComplete((v, e) -> exchange.cancel(true)); // a timed-out call frees its connection
        exchange.whenComplete((response, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error == null && response.statusCode() == 200) {
                try {
                    result.complete(reader.apply(parse(response.body())));
                } catch (ProxyFailure | BackendRefusal f) {
                    result.completeExceptionally(f);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, String.valueOf(e.getMessage())));
                }
                return;
            }
            boolean retryable = error != null ? isConnectionError(error) : isRetryableStatus(response.statusCode());
            if (retryable && attempt < retries) {
                metrics.retried(kind.key());
                long backoff = BACKOFF_MILLIS << attempt;
                timer.newTimeout(t -> attempt(request, attempt + 1, deadlineNanos, result, reader), backoff, TimeUnit.MILLISECONDS);
                return;
            }
            result.completeExceptionally(error != null ? failure(error)
                    : new ProxyFailure(ProxyFailure.Reason.STATUS, "HTTP status " + response.statusCode()));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body) {
        try {
            Object value = body == null || body.length == 0 ? null : JSON.readValue(body, Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (IOException e) {
            throw new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, "answer is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        throw new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, "answer is not a JSON object");
    }

    private static boolean isRetryableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    private static boolean isConnectionError(Throwable error) {
        Throwable t = unwrap(error);
        // A request timeout means the deadline passed; a connect timeout is one unreachable attempt.
        return t instanceof IOException && (!(t instanceof HttpTimeoutException) || t instanceof HttpConnectTimeoutException);
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
        if (t instanceof HttpConnectTimeoutException) {
            return new ProxyFailure(ProxyFailure.Reason.CONNECT, String.valueOf(t.getMessage()));
        }
        if (t instanceof HttpTimeoutException) {
            return new ProxyFailure(ProxyFailure.Reason.TIMEOUT, String.valueOf(t.getMessage()));
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return new ProxyFailure(ProxyFailure.Reason.TIMEOUT, "cancelled");
        }
        return new ProxyFailure(ProxyFailure.Reason.CONNECT, t.getClass().getSimpleName() + ": " + t.getMessage());
    }
}
