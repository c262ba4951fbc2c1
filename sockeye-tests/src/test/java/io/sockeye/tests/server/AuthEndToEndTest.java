package io.sockeye.tests.server;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.socket.client.Socket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sockeye.tests.server.Clients.ask;
import static io.sockeye.tests.server.Clients.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handshake authentication of the standalone server (docs/client-protocol.md, "Connecting") with the Java socket.io client:
 * every refusal is a {@code connect_error} whose message is {@code unauthorized} and whose data says why.
 */
@DisplayName("standalone server: JWT on the handshake")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuthEndToEndTest {

    private ServerUnderTest server;
    private Clients clients;
    private HttpServer jwks;

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    private void start(ServerUnderTest s) {
        server = s;
        clients = new Clients(s.url());
    }

    private String refusalReason(String token) throws Exception {
        JSONObject error = clients.refusedByServer(token);
        assertThat(error.getString("message")).isEqualTo("unauthorized");
        return error.getJSONObject("data").getString("reason");
    }

    @Test
    void aValidTokenConnectsAsItsSubject() throws Exception {
        start(ServerUnderTest.withJwt("--rooms", "[{pattern: 'user:{sub}', subscribe: owner, publish: owner, presence: owner, presence_enabled: true}]"));
        Socket alice = clients.connect(Tokens.hs256("alice"));
        assertThat(ok(ask(alice, "subscribe", "user:alice"))).isTrue();
        assertThat(ok(ask(alice, "subscribe", "user:bob"))).isFalse();
        JSONObject presence = ask(alice, "presence", "user:alice");
        assertThat(presence.getJSONArray("members").getJSONObject(0).getString("user")).isEqualTo("alice");
    }

    @Test
    void aMissingTokenIsRefused() throws Exception {
        start(ServerUnderTest.withJwt());
        assertThat(refusalReason(null)).isEqualTo("missing token");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        start(ServerUnderTest.withJwt());
        assertThat(refusalReason(Tokens.hs256("alice", Duration.ofHours(-2), c -> { }))).isEqualTo("token expired");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        start(ServerUnderTest.withJwt());
        String forged = Tokens.hs256("another-secret-that-is-long-enough-0123", "alice", Duration.ofHours(1), c -> { });
        assertThat(refusalReason(forged)).isEqualTo("invalid signature");
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() throws Exception {
        start(ServerUnderTest.withJwt());
        assertThat(refusalReason(Tokens.algNone("alice"))).isEqualTo("algorithm not allowed");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        start(ServerUnderTest.withJwt("--jwt-audience", "sockeye-e2e"));
        assertThat(refusalReason(Tokens.hs256("alice", Duration.ofHours(1), c -> c.audience("someone-else"))))
                .isEqualTo("wrong audience");
        Socket ok = clients.connect(Tokens.hs256("alice", Duration.ofHours(1), c -> c.audience("sockeye-e2e")));
        assertThat(ok.connected()).isTrue();
    }

    @Test
    void tokensAreCheckedAgainstAJwksServedOverHttp() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("key-1").generate();
        AtomicInteger downloads = new AtomicInteger();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            downloads.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
        start(ServerUnderTest.start("--jwks-url", url, "--rooms", "[{pattern: '*', subscribe: authenticated}]"));

        Socket alice = clients.connect(Tokens.rs256(key, "alice"));
        assertThat(ok(ask(alice, "subscribe", "news"))).isTrue();
        assertThat(refusalReason(Tokens.rs256(stranger, "mallory"))).isEqualTo("invalid signature");
        assertThat(refusalReason(Tokens.hs256("alice"))).as("no HMAC with a JWKS").isEqualTo("algorithm not allowed");
        assertThat(downloads.get()).isGreaterThanOrEqualTo(1);
    }
}
