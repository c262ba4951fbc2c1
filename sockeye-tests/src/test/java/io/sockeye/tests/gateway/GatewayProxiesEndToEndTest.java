package io.sockeye.tests.gateway;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.tests.app.LaunchedServer;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.HttpBackend;
import io.sockeye.testkit.NodeRunner;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The five proxies end to end: {@code bin/sockeye} launched with its proxies pointing at a real HTTP backend
 * ({@link GatewayBackend}), driven by the Java client {@code io.socket:socket.io-client} and by the npm
 * {@code socket.io-client} 4.8 ({@code src/test/node/server/gateway.test.mjs}).
 */
@DisplayName("gateway: proxies end to end (bin/sockeye, Java and Node clients)")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayProxiesEndToEndTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final long WAIT = 30;

    @TempDir
    static Path workDir;
    private static HttpBackend backend;
    private static LaunchedServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void launch() {
        backend = GatewayBackend.start();
        server = LaunchedServer.start(workDir, "sockeye-gateway", Map.of(), GatewayBackend.flags(backend));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        backend.close();
    }

    private Socket connect(String session, Map<String, String> auth) throws Exception {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        options.extraHeaders = Map.of("Cookie", List.of("session=" + session));
        if (auth != null) {
            options.auth = auth;
        }
        Socket socket = IO.socket(server.url(), options);
        sockets.add(socket);
        return GatewayClients.connected(socket, WAIT);
    }

    private static JSONObject ask(Socket socket, String event, Object arg) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, new Object[] {arg}, reply::complete);
        return (JSONObject) reply.get(WAIT, TimeUnit.SECONDS)[0];
    }

    @Test
    void theJavaClientGoesThroughEveryProxy() throws Exception {
        Socket rosa = connect("rosa", null);
        try {
            JSONObject subscribed = ask(rosa, "subscribe", new JSONObject().put("room", "team:green").put("data", 1));
            assertThat(subscribed.getJSONObject("data").getString("welcome")).isEqualTo("team:green");
            assertThat(ask(rosa, "subscribe", "chat:lobby").getBoolean("ok")).as("granted by the connect proxy").isTrue();
            assertThat(ask(rosa, "subscribe", "admin:panel").getJSONObject("error").getString("code"))
                    .as("granted outside proxy.connect.rooms").isEqualTo("forbidden");

            BlockingQueue<Object[]> shouts = new LinkedBlockingQueue<>();
            rosa.on("shout", shouts::add);
            JSONObject moderated = ask(rosa, "publish", new JSONObject().put("room", "chat:lobby").put("event", "said")
                    .put("data", "badword"));
            assertThat(moderated.getJSONObject("error").getString("code")).isEqualTo("moderated");
            assertThat(ask(rosa, "publish", new JSONObject().put("room", "chat:lobby").put("event", "shout")
                    .put("data", "quiet")).getBoolean("ok")).isTrue();
            assertThat(shouts.poll(WAIT, TimeUnit.SECONDS)[0]).isEqualTo("QUIET");

            JSONObject rpc = ask(rosa, "rpc", new JSONObject().put("method", "whoami"));
            assertThat(rpc.getJSONObject("result").getString("user")).isEqualTo("rosa");
            assertThat(rpc.getJSONObject("result").getJSONObject("meta").getString("tenant")).isEqualTo("t-rosa");
        } finally {
            rosa.close();
        }
    }

    @Test
    void theRefreshProxyKeepsOrEndsExpiringSessions() throws Exception {
        Map<String, String> shortLived = Map.of("life", "short");
        Socket sam = connect("sam", shortLived);
        Socket bob = connect("bob", shortLived);
        BlockingQueue<Object[]> errors = new LinkedBlockingQueue<>();
        bob.on("sockeye:error", errors::add);
        Object[] error = errors.poll(WAIT, TimeUnit.SECONDS);
        assertThat(error).as("bob's refresh refused").isNotNull();
        assertThat(((JSONObject) error[0]).getString("code")).isEqualTo("session_revoked");
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> !bob.connected());
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> backend.requests("/refresh").stream()
                .anyMatch(r -> "sam".equals(r.body().get("user"))));
        assertThat(ask(sam, "rpc", new JSONObject().put("method", "after-refresh")).getBoolean("ok")).isTrue();
        sam.close();
    }

    @Test
    void theNodeClientGoesThroughEveryProxy() throws Exception {
        NodeRunner.ensureInstalled(NODE_PROJECT);
        List<String> command = List.of(NodeRunner.node().toString(), "--test", "--test-reporter=spec",
                "--test-force-exit", "server/gateway.test.mjs");
        try (ChildProcess node = ChildProcess.command(command).directory(NODE_PROJECT).name("node-gateway")
                .env("SOCKEYE_URL", server.url().replaceAll("/$", "")).env("NO_COLOR", "1").start()) {
            int exit = node.awaitExit(Duration.ofMinutes(2));
            assertThat(exit).as("node --test gateway.test.mjs; its output:%n%s",
                    String.join(System.lineSeparator(), node.lines())).isZero();
        }
    }
}
