package io.sockeye.tests.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side of the official suites ({@code fetch(...)} in {@code test-suite.js}), on the JDK client.
 *
 * <p>The client speaks HTTP/1.1 only (no {@code h2c} upgrade headers, like {@code node-fetch}). Its pool
 * hands an idle connection to the next request and opens a new one while every connection is busy, so
 * two requests in flight at once always travel on two connections — which is what the "duplicate poll"
 * and "forcefully closes" cases need.
 */
final class SuiteHttp {

    /** Every request gives up after this long, so a server that never answers fails the case instead of hanging it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    private final String base;

    /**
     * @param port the server's port
     * @param path the endpoint, {@code /engine.io/} or {@code /socket.io/}
     */
    SuiteHttp(int port, String path) {
        this.base = "http://localhost:" + port + path;
    }

    /** The WebSocket URL of the same endpoint, as the suites derive it ({@code http} → {@code ws}). */
    String webSocketUrl(String query) {
        return "ws" + base.substring("http".length()) + "?" + query;
    }

    HttpResponse<String> get(String query) {
        return join(getAsync(query));
    }

    CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return client.sendAsync(request(query).GET().build(), BodyHandlers.ofString());
    }

    HttpResponse<String> post(String query, String body) {
        return join(postAsync(query, body));
    }

    CompletableFuture<HttpResponse<String>> postAsync(String query, String body) {
        // node-fetch labels a string body text/plain;charset=UTF-8; Engine.IO v4 refuses only octet-stream.
        return client.sendAsync(request(query)
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(BodyPublishers.ofString(body))
                .build(), BodyHandlers.ofString());
    }

    /** A request with the given method and no body ({@code fetch(url, {method})}). */
    HttpResponse<String> send(String method, String query) {
        return join(client.sendAsync(request(query).method(method, BodyPublishers.noBody()).build(),
                BodyHandlers.ofString()));
    }

    /** Long-polls the session ({@code GET ?EIO=4&transport=polling&sid=…}). */
    HttpResponse<String> poll(String sid) {
        return get(sessionQuery(sid));
    }

    CompletableFuture<HttpResponse<String>> pollAsync(String sid, String extraQuery) {
        return getAsync(sessionQuery(sid) + extraQuery);
    }

    /** Sends a payload to the session ({@code POST ?EIO=4&transport=polling&sid=…}). */
    HttpResponse<String> push(String sid, String payload) {
        return post(sessionQuery(sid), payload);
    }

    CompletableFuture<HttpResponse<String>> pushAsync(String sid, String payload) {
        return postAsync(sessionQuery(sid), payload);
    }

    static String sessionQuery(String sid) {
        return "EIO=4&transport=polling&sid=" + sid;
    }

    /** {@code initLongPollingSession()}: opens a polling session and returns its sid. */
    String openSession() {
        HttpResponse<String> response = get("EIO=4&transport=polling");
        assertThat(response.statusCode()).as("handshake status").isEqualTo(200);
        assertThat(response.body()).as("handshake body").startsWith("0");
        Object sid = parseObject(response.body().substring(1)).get("sid");
        assertThat(sid).as("handshake sid").isInstanceOf(String.class);
        return (String) sid;
    }

    /** {@code JSON.parse(text)} for a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + json, e);
        }
    }

    private HttpRequest.Builder request(String query) {
        return HttpRequest.newBuilder(URI.create(base + "?" + query)).timeout(REQUEST_TIMEOUT);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
    }
}
