package io.sockeye.spring.tests;

import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handlers are invoked through the bean Spring hands out: its transaction, method-security and
 * {@code @Async} advice all run (a handler called on the raw object would commit, allow and block).
 */
@SpringBootTest(classes = ChatTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sockeye.port=0", "sockeye.security.allow-anonymous=true"})
class ProxySafetyTest {

    @Autowired
    SocketIoServerLifecycle server;

    @Test
    void aTransactionalHandlerThatFailsRollsBack() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/", Map.of())) {
            assertThat(client.call("save", "kept", false)).isEqualTo("1");
            assertThat(new JSONObject(client.call("save", "undone", true)).getString("error")).isEqualTo("rolled back");
            assertThat(client.call("count", "undone")).isEqualTo("0");
            assertThat(client.call("count", "kept")).isEqualTo("1");
        }
    }

    @Test
    void preAuthorizeDeniesASocketWithoutTheAuthorityAsAnErrorAck() throws Exception {
        try (JavaClient reader = JavaClient.connected(server.port(), "/", Map.of("token", Tokens.token("reader", "read")));
             JavaClient admin = JavaClient.connected(server.port(), "/", Map.of("token", Tokens.token("root", "read admin")))) {
            assertThat(new JSONObject(reader.call("admin")).getString("error")).isEqualTo("forbidden");
            assertThat(admin.call("admin")).isEqualTo("welcome root");
        }
    }

    @Test
    void anAsyncHandlerReturnsAtOnceAndItsFutureIsTheAck() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/", Map.of())) {
            CompletableFuture<Object[]> async = new CompletableFuture<>();
            client.socket.emit("async", new Object[0], async::complete);
            // Called on the raw object, "async" would hold the socket's handler queue until it timed out.
            assertThat(client.call("release")).isEqualTo("ok");
            assertThat(async.get(30, TimeUnit.SECONDS)[0]).isEqualTo("released");
        }
    }
}
