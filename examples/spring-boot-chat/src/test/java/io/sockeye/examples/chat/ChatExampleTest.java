package io.sockeye.examples.chat;

import io.socket.client.IO;
import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example application, started as it ships (random ports): the page from Spring Boot, and its
 * annotated handlers on {@code /chat} and the dynamic {@code /room-{name}} exchanging events and acks with
 * the npm socket.io-client 4.8 ({@code sockeye-tests/src/test/node/spring-chat/chat.test.mjs}) and the
 * Java client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sockeye.port=0")
class ChatExampleTest {

    private static final Path NODE_PROJECT = Path.of(System.getProperty("basedir", "."))
            .resolve("../../sockeye-tests/src/test/node").normalize();

    @Autowired
    SocketIoServerLifecycle sockeye;

    @LocalServerPort
    int webPort;

    @Test
    void springBootServesTheChatPage() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sockeye chat", "/chat");
    }

    @Test
    void theNodeClientTalksToBothNamespaces() {
        NodeRunner.ensureInstalled(NODE_PROJECT);
        try (ChildProcess node = ChildProcess.command(List.of(NodeRunner.node().toString(), "--test",
                        "--test-reporter=spec", "--test-force-exit", "spring-chat/chat.test.mjs"))
                .directory(NODE_PROJECT).name("node-spring-chat")
                .env("SOCKEYE_URL", "http://127.0.0.1:" + sockeye.port()).env("NO_COLOR", "1").start()) {
            int exit = node.awaitExit(Duration.ofMinutes(2));
            assertThat(exit).as(() -> "node's report (" + node.logFile() + "):\n" + String.join("\n", node.lines()))
                    .isZero();
        }
    }

    @Test
    void theJavaClientGetsAcksFromBothNamespaces() throws Exception {
        io.socket.client.Socket chat = connect("/chat");
        io.socket.client.Socket room = connect("/room-42");
        try {
            JSONObject receipt = new JSONObject(call(chat, "message",
                    new JSONObject(Map.of("room", "lobby", "user", "java", "text", "hi"))));
            assertThat(receipt.getString("room")).isEqualTo("lobby");
            assertThat(receipt.getLong("id")).isPositive();
            JSONObject said = new JSONObject(call(room, "say", "from java"));
            assertThat(said.getString("room")).isEqualTo("42");
            assertThat(said.getString("text")).isEqualTo("from java");
        } finally {
            chat.close();
            room.close();
        }
    }

    private io.socket.client.Socket connect(String namespace) throws Exception {
        io.socket.client.Socket socket = IO.socket(URI.create("http://127.0.0.1:" + sockeye.port() + namespace),
                IO.Options.builder().setReconnection(false).setForceNew(true).build());
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.on(io.socket.client.Socket.EVENT_CONNECT, a -> connected.complete(null));
        socket.on(io.socket.client.Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(
                new IllegalStateException("refused: " + a[0])));
        socket.connect();
        connected.get(20, TimeUnit.SECONDS);
        return socket;
    }

    private static String call(io.socket.client.Socket socket, String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, reply::complete);
        return String.valueOf(reply.get(20, TimeUnit.SECONDS)[0]);
    }
}
