package io.sockeye.tests.gateway;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's gateway example runs: {@code examples/gateway/run} (on free ports) starts Redis, the moderation
 * backend, {@code bin/sockeye} and the message store; a chat client's message with the banned word is refused,
 * another is broadcast and comes back from the store's {@code rpc history}.
 */
@DisplayName("gateway: the moderation-and-store example runs")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayExampleTest {

    private static final Path RUN = Path.of("..", "examples", "gateway", "run").toAbsolutePath().normalize();
    private static final long WAIT = 30;

    private static JSONObject ask(Socket socket, String event, Object arg) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, new Object[] {arg}, reply::complete);
        return (JSONObject) reply.get(WAIT, TimeUnit.SECONDS)[0];
    }

    private static JSONObject chat(String text) throws Exception {
        return new JSONObject().put("room", "lobby").put("event", "chat")
                .put("data", new JSONObject().put("name", "tester").put("text", text));
    }

    @Test
    void theChatIsModeratedAndStored() throws Exception {
        int port = FreePorts.next();
        try (ChildProcess example = ChildProcess.command(RUN.toString()).name("gateway-example")
                .env("SOCKEYE_PORT", String.valueOf(port))
                .env("MODERATION_PORT", String.valueOf(FreePorts.next()))
                .env("STORE_PORT", String.valueOf(FreePorts.next()))
                .env("REDIS_PORT", String.valueOf(FreePorts.next())).start()) {
            example.awaitLine("chat: http://localhost:" + port + "/", Duration.ofMinutes(4));
            IO.Options options = new IO.Options();
            options.forceNew = true;
            options.reconnection = false;
            options.transports = new String[] {"websocket"};
            Socket socket = IO.socket("http://127.0.0.1:" + port, options);
            CompletableFuture<Void> connected = new CompletableFuture<>();
            socket.once(Socket.EVENT_CONNECT, a -> connected.complete(null));
            socket.connect();
            connected.get(WAIT, TimeUnit.SECONDS);
            try {
                assertThat(ask(socket, "subscribe", "lobby").getBoolean("ok")).isTrue();
                JSONObject refused = ask(socket, "publish", chat("what a badword"));
                assertThat(refused.getJSONObject("error").getString("code")).isEqualTo("moderated");
                assertThat(ask(socket, "publish", chat("hello, store")).getBoolean("ok")).isTrue();
                // The store starts last and reads the stream from its start: wait until it answers with it.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    JSONObject history = ask(socket, "rpc", new JSONObject().put("method", "history")
                            .put("data", new JSONObject().put("room", "lobby")));
                    JSONArray result = history.getJSONArray("result");
                    return result.length() == 1
                            && result.getJSONObject(0).getJSONObject("data").getString("text").equals("hello, store");
                });
            } finally {
                socket.close();
            }
        }
    }
}
