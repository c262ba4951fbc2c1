package io.sockeye.spring.tests;

import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Sockets authenticate their bearer token against the application's JWT resource-server configuration. */
@SpringBootTest(classes = ChatTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sockeye.port=0", "sockeye.security.allow-anonymous=false"})
class HandshakeSecurityTest {

    @Autowired
    SocketIoServerLifecycle server;

    @Test
    void aValidTokenConnectsAndHandlersSeeItsPrincipal() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of("token", Tokens.token("alice", "chat")))) {
            JSONObject reply = new JSONObject(client.call("message", new JSONObject(Map.of("room", "r", "text", "x"))));
            assertThat(reply.getString("user")).isEqualTo("alice");
        }
    }

    @Test
    void aBadTokenIsRefused() throws Exception {
        String forged = Tokens.token("mallory", "admin");
        forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");
        try (JavaClient client = JavaClient.connect(server.port(), "/chat", Map.of("token", forged))) {
            assertThat(client.connected.get(30, TimeUnit.SECONDS)).isEqualTo("unauthorized");
        }
    }

    @Test
    void noTokenIsRefusedWhenAnonymousSocketsAreNotAllowed() throws Exception {
        try (JavaClient client = JavaClient.connect(server.port(), "/tenant-7", Map.of())) {
            assertThat(client.connected.get(30, TimeUnit.SECONDS)).isEqualTo("unauthorized");
        }
    }
}
