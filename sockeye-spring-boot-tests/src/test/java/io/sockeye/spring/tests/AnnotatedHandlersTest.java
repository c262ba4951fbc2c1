package io.sockeye.spring.tests;

import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Annotated handlers on a static, a dynamic and the main namespace, reached by the Java client. */
@SpringBootTest(classes = ChatTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sockeye.port=0", "sockeye.security.allow-anonymous=true"})
class AnnotatedHandlersTest {

    @Autowired
    SocketIoServerLifecycle server;

    @Test
    void eventArgumentsAreMappedByTypeAndTheReturnValueIsTheAck() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of())) {
            JSONObject reply = new JSONObject(client.call("message", new JSONObject(Map.of("room", "lobby", "text", "hi"))));
            assertThat(reply.getString("text")).isEqualTo("HI");
            assertThat(reply.getString("namespace")).isEqualTo("/chat");
            assertThat(reply.isNull("user")).isTrue();
        }
    }

    @Test
    void aCompletionStageIsTheAckWhenItCompletes() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of())) {
            assertThat(client.call("later", "soon")).isEqualTo("soon!");
        }
    }

    @Test
    void exceptionsBecomeErrorAcksWithoutServerDetails() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of())) {
            JSONObject mine = new JSONObject(client.call("fail", "client"));
            assertThat(mine.getString("error")).isEqualTo("bad input");
            assertThat(mine.getJSONObject("data").getString("field")).isEqualTo("text");
            assertThat(new JSONObject(client.call("fail", "server")).toString()).isEqualTo("{\"error\":\"internal error\"}");
        }
    }

    @Test
    void aDynamicNamespaceInjectsItsVariable() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/tenant-42", Map.of())) {
            JSONObject reply = new JSONObject(client.call("whoami"));
            assertThat(reply.getLong("tenant")).isEqualTo(42);
            assertThat(reply.getString("namespace")).isEqualTo("/tenant-42");
        }
    }

    @Test
    void middlewareBeansRunBeforeTheControllers() throws Exception {
        try (JavaClient client = JavaClient.connect(server.port(), "/chat", Map.of("banned", "true"))) {
            assertThat(client.connected.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("banned");
        }
    }

    @Test
    void disconnectHandlersReceiveTheReason() throws Exception {
        int before = Controllers.Chat.DISCONNECTS.size();
        JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of());
        client.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> Controllers.Chat.DISCONNECTS.size() > before);
        assertThat(Controllers.Chat.DISCONNECTS.get(before)).isEqualTo("client namespace disconnect");
    }
}
