package io.sockeye.spring.tests;

import io.sockeye.spring.autoconfigure.SockeyePortInUseException;
import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server starts and stops with the application context. */
@ExtendWith(OutputCaptureExtension.class)
class LifecycleTest {

    private static SpringApplicationBuilder app(String... properties) {
        return new SpringApplicationBuilder(ChatTestApplication.class)
                .properties("server.port=0", "sockeye.security.allow-anonymous=true", "sockeye.lifecycle.drain-window=200ms")
                .properties(properties);
    }

    @Test
    void aGracefulShutdownTellsClientsThenClosesTheirConnections() throws Exception {
        ConfigurableApplicationContext context = app("sockeye.port=0", "server.shutdown=graceful").run();
        int port = context.getBean(SocketIoServerLifecycle.class).port();
        int before = Controllers.Chat.DISCONNECTS.size();
        try (JavaClient client = JavaClient.connected(port, "/chat", Map.of(), "websocket")) {
            CompletableFuture<String> notice = new CompletableFuture<>();
            client.socket.on("sockeye:error", a -> notice.complete(String.valueOf(a[0])));
            context.close();
            assertThat(new JSONObject(notice.get(30, TimeUnit.SECONDS)).getString("code")).isEqualTo("unavailable");
            // Closed by the drain, not by the final close: the handlers saw the drain's reason.
            assertThat(Controllers.Chat.DISCONNECTS.subList(before, Controllers.Chat.DISCONNECTS.size()))
                    .containsExactly("server shutting down");
        } finally {
            context.close();
        }
    }

    @Test
    void aTakenPortFailsStartUpNamingThePortAndTheProperty(CapturedOutput output) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            assertThatThrownBy(() -> app("sockeye.port=" + taken.getLocalPort()).run())
                    .satisfies(e -> assertThat(findPortInUse(e)).isNotNull());
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("port " + taken.getLocalPort() + " is already in use").contains("sockeye.port");
        }
    }

    private static SockeyePortInUseException findPortInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SockeyePortInUseException p) {
                return p;
            }
        }
        return null;
    }
}
