package io.sockeye.tests.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain HTTP client of {@code GET /sse} (the JDK's {@link HttpClient} on HTTP/1.1) that parses the stream
 * as the HTML standard's event stream parser does: fields {@code id}, {@code event}, {@code data},
 * {@code retry}; comments; an event per blank line.
 */
final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One block of the stream: an event, a bare {@code id:}, a comment or a {@code retry:}. */
    record Block(String id, String event, String data, String comment, String retry) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Block> blocks = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    static SseClient open(String url, Map<String, String> headers) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        try {
            return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of a refused stream. */
    JsonNode error() throws IOException {
        try (InputStream in = response.body()) {
            return JSON.readTree(in.readAllBytes());
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null, event = null, comment = null, retry = null;
            StringBuilder data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (id != null || event != null || data != null || comment != null || retry != null) {
                        blocks.add(new Block(id, event, data == null ? null : data.toString(), comment, retry));
                    }
                    id = event = comment = retry = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    blocks.add(new Block(null, null, null, line.substring(1), null));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "retry" -> retry = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test, or by the server
        }
    }

    /** The next block that is not a comment, within the test's wait. */
    Block next() throws InterruptedException {
        while (true) {
            Block b = blocks.poll(Clients.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(b).as("an SSE block within %s s", Clients.WAIT_SECONDS).isNotNull();
            if (b.comment() == null) {
                return b;
            }
        }
    }

    /** The next {@code n} events (blocks with an event name), skipping comments and bare ids. */
    List<Block> events(int n) throws InterruptedException {
        List<Block> out = new ArrayList<>();
        while (out.size() < n) {
            Block b = next();
            if (b.event() != null) {
                out.add(b);
            }
        }
        return out;
    }

    /** The next comment (a heartbeat), within the test's wait. */
    Block comment() throws InterruptedException {
        while (true) {
            Block b = blocks.poll(Clients.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(b).as("a comment within %s s", Clients.WAIT_SECONDS).isNotNull();
            if (b.comment() != null) {
                return b;
            }
        }
    }

    /** Blocks received and not taken yet. */
    List<Block> pending() {
        return new ArrayList<>(blocks);
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
