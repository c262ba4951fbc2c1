import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The chat's moderation backend: Sockeye's publish proxy (docs/proxy.md#publish). Every chat publish is
 * POSTed here as {client, transport, user, meta, room, event, data} before it is broadcast; a message holding
 * the banned word is refused, anything else passes as it is. JDK only: {@code java Moderation.java 8081}.
 */
public class Moderation {

    static final String BANNED = "badword";

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/publish", Moderation::publish);
        server.start();
        System.out.println("moderation backend on http://127.0.0.1:" + port + "/publish");
    }

    static void publish(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String answer = body.toLowerCase(Locale.ROOT).contains(BANNED)
                ? "{\"error\":{\"code\":\"moderated\",\"message\":\"please keep it friendly\"}}"
                : "{}"; // broadcast as it is
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
