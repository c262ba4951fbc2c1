import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat's message store: reads the Redis stream Sockeye forwards chat publishes to (docs/proxy.md,
 * forwarding) as the consumer group "store", keeps the last 50 messages of each room, and answers
 * Sockeye's rpc proxy: {method: "history", data: {room}} -> {result: [{event, data, user, ts}]}.
 * Runs on the server's class path (Lettuce, Jackson):
 * {@code java -cp "$(cat sockeye-server/target/sockeye-runtime.classpath)" Store.java redis://127.0.0.1:6390 8082}
 */
public class Store {

    static final String STREAM = "chat-messages";
    static final String GROUP = "store";
    static final int KEEP = 50;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Deque<Map<String, Object>>> LAST = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String redisUrl = args.length > 0 ? args[0] : "redis://127.0.0.1:6390";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8082;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/rpc", Store::rpc);
        server.start();
        System.out.println("message store on http://127.0.0.1:" + port + "/rpc, reading " + STREAM);
        RedisCommands<String, String> redis = RedisClient.create(redisUrl).connect().sync();
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(STREAM, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // the group exists: go on where it stopped
        }
        while (true) {
            for (StreamMessage<String, String> m : redis.xreadgroup(Consumer.from(GROUP, "store-1"),
                    XReadArgs.Builder.block(5000).count(100), XReadArgs.StreamOffset.lastConsumed(STREAM))) {
                keep(m.getBody());
                redis.xack(STREAM, GROUP, m.getId());
            }
        }
    }

    static void keep(Map<String, String> fields) throws IOException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", fields.get("event"));
        message.put("data", JSON.readValue(fields.get("data"), Object.class));
        message.put("user", fields.get("user"));
        message.put("ts", Long.parseLong(fields.get("ts")));
        Deque<Map<String, Object>> room = LAST.computeIfAbsent(fields.get("room"), r -> new ArrayDeque<>());
        synchronized (room) {
            room.addLast(message);
            if (room.size() > KEEP) {
                room.removeFirst();
            }
        }
    }

    static void rpc(HttpExchange exchange) throws IOException {
        Map<?, ?> call = JSON.readValue(exchange.getRequestBody(), Map.class);
        Object answer;
        if ("history".equals(call.get("method")) && call.get("data") instanceof Map<?, ?> data) {
            Deque<Map<String, Object>> room = LAST.getOrDefault(String.valueOf(data.get("room")), new ArrayDeque<>());
            synchronized (room) {
                answer = Map.of("result", new ArrayList<>(room));
            }
        } else {
            answer = Map.of("error", Map.of("code", "unknown_method", "message", "try history {room}"));
        }
        byte[] bytes = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
