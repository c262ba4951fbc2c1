package io.sockeye.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;

/**
 * A Node.js socket.io 4.8 server with {@code @socket.io/redis-adapter} 8.3 or
 * {@code @socket.io/redis-streams-adapter} 0.3, from the npm project in
 * {@code sockeye-tests/src/test/node/cluster} ({@code peer.mjs}), driven over its HTTP control
 * endpoint (the commands are listed in that script). It also hosts socket.io-client clients on demand.
 * Used by the Redis adapter's mixed-cluster and golden-bytes tests and by the standalone server's
 * mixed-cluster test; the path to the npm project is resolved from the module directory.
 */
public final class NodePeer implements AutoCloseable {

    public static final Path PROJECT = Path.of(System.getProperty("basedir", "."))
            .resolve("../sockeye-tests/src/test/node/cluster").normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChildProcess process;
    // HTTP/1.1 only: an h2c upgrade request would be taken by engine.io's upgrade handler and dropped.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;
    private final Map<String, String> uids;

    @SuppressWarnings("unchecked")
    private NodePeer(ChildProcess process) {
        this.process = process;
        MatchResult ready = process.awaitLine("READY (\\{.*})", Duration.ofSeconds(30));
        try {
            Map<String, Object> info = JSON.readValue(ready.group(1), Map.class);
            this.port = ((Number) info.get("port")).intValue();
            this.uids = (Map<String, String>) info.get("uids");
        } catch (IOException e) {
            throw new AssertionError("bad READY line " + ready.group(), e);
        }
    }

    /** Starts a peer; {@code mode} is {@code classic}, {@code sharded} or {@code streams}. */
    public static NodePeer start(String redisUri, String mode, Duration requestsTimeout, String... namespaces) {
        return start(redisUri, mode, requestsTimeout, Duration.ZERO, namespaces);
    }

    /**
     * Starts a peer with connection state recovery on ({@code recovery} is socket.io's
     * {@code maxDisconnectionDuration}; zero leaves it off): its clients can then be dropped and
     * reconnected to any server of the cluster ({@code drop}, {@code reconnect}).
     */
    public static NodePeer start(String redisUri, String mode, Duration requestsTimeout, Duration recovery,
                                 String... namespaces) {
        NodeRunner.ensureInstalled(PROJECT);
        return new NodePeer(NodeRunner.script(PROJECT, "peer.mjs", "--redis", redisUri, "--mode", mode,
                "--requests-timeout", String.valueOf(requestsTimeout.toMillis()),
                "--recovery", String.valueOf(recovery.toMillis()),
                "--namespaces", String.join(",", namespaces)).name("node-peer-" + mode).start());
    }

    /** The Socket.IO URL of this server. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The redis-adapter uid of a namespace's adapter. */
    public String uid(String nsp) {
        return uids.get(nsp);
    }

    /** Runs one control command; binary values in the result come back as {@code byte[]}. */
    public Object call(Object... keysAndValues) {
        Map<String, Object> command = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            command.put((String) keysAndValues[i], toWire(keysAndValues[i + 1]));
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/control"))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(command))).build();
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = JSON.readValue(http.send(request, HttpResponse.BodyHandlers.ofString()).body(), Map.class);
            if (reply.containsKey("error")) {
                throw new AssertionError("node peer: " + command + " failed: " + reply.get("error"));
            }
            return fromWire(reply.get("result"));
        } catch (IOException e) {
            throw new AssertionError("node peer unreachable: " + process.tail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Object toWire(Object value) {
        if (value instanceof byte[] bytes) {
            return Map.of("$bin", Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(toWire(item)));
            return out;
        }
        return value;
    }

    private static Object fromWire(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("$bin") instanceof String base64) {
                return Base64.getDecoder().decode(base64);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, fromWire(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(fromWire(item)));
            return out;
        }
        return value;
    }

    @Override
    public void close() {
        process.close();
    }
}
