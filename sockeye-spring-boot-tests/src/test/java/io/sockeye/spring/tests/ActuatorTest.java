package io.sockeye.spring.tests;

import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Actuator's health endpoint has a sockeye component; its metrics endpoint has Sockeye's meters. */
@SpringBootTest(classes = ChatTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sockeye.port=0", "sockeye.security.allow-anonymous=true",
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always"})
class ActuatorTest {

    @Autowired
    SocketIoServerLifecycle server;
    @LocalServerPort
    int httpPort;

    private JSONObject get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return new JSONObject(response.body());
    }

    @Test
    void healthHasTheSocketIoServerUpWithItsConnections() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of())) {
            JSONObject sockeye = get("/actuator/health").getJSONObject("components").getJSONObject("sockeye");
            assertThat(sockeye.getString("status")).isEqualTo("UP");
            assertThat(sockeye.getJSONObject("details").getInt("connections")).isPositive();
            assertThat(sockeye.getJSONObject("details").getBoolean("draining")).isFalse();
        }
    }

    @Test
    void metricsCountConnectionsAndEvents() throws Exception {
        try (JavaClient client = JavaClient.connected(server.port(), "/chat", Map.of())) {
            client.call("later", "x");
            JSONObject sockets = get("/actuator/metrics/sockeye.connections?tag=namespace:/chat");
            assertThat(sockets.getJSONArray("measurements").getJSONObject(0).getDouble("value")).isPositive();
            JSONObject events = get("/actuator/metrics/sockeye.events.received?tag=event:later");
            assertThat(events.getJSONArray("measurements").getJSONObject(0).getDouble("value")).isPositive();
        }
    }
}
