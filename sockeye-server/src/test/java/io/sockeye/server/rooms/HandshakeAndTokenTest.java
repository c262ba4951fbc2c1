package io.sockeye.server.rooms;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.socket.client.Socket;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.server.limits.RejectionReason;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.server.rooms.RoomsHarness.ask;
import static io.sockeye.server.rooms.RoomsHarness.connectError;
import static io.sockeye.server.rooms.RoomsHarness.next;
import static io.sockeye.server.rooms.RoomsHarness.record;
import static io.sockeye.server.rooms.RoomsHarness.token;
import static org.assertj.core.api.Assertions.assertThat;

/** Handshake authentication, personal rooms, refresh and token expiry (docs/client-protocol.md). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandshakeAndTokenTest {

    private RoomsHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static RoomsHarness authenticatedOnly() {
        return RoomsHarness.withRules(List.of(RoomRule.of("*", Access.AUTHENTICATED)));
    }

    @Test
    void aConnectionWithoutTokenIsRefusedUnlessAnonymousIsAllowed() throws Exception {
        harness = authenticatedOnly();
        JSONObject error = connectError(harness.client(null));
        assertThat(error.getString("message")).isEqualTo("unauthorized");
        assertThat(error.getJSONObject("data").getString("reason")).isEqualTo("missing token");
        assertThat(harness.rooms.stats().rejections(RejectionReason.HANDSHAKE_UNAUTHORIZED)).isEqualTo(1);
    }

    @Test
    void anonymousConnectionsAreAllowedWhenARuleLetsAnyoneIn() throws Exception {
        harness = RoomsHarness.withRules(List.of(RoomRule.of("public:*", Access.ANYONE)));
        Socket anonymous = harness.connectAnonymous();
        assertThat(ask(anonymous, "subscribe", "public:x").getBoolean("ok")).isTrue();
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        harness = authenticatedOnly();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("mallory").expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new MACSigner("another-secret-of-at-least-32-bytes!!"));
        JSONObject error = connectError(harness.client(jwt.serialize()));
        assertThat(error.getString("message")).isEqualTo("unauthorized");
        assertThat(error.getJSONObject("data").getString("reason")).isNotEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        harness = authenticatedOnly();
        JSONObject error = connectError(harness.client(token("alice", Duration.ofHours(-1), null)));
        assertThat(error.getString("message")).isEqualTo("unauthorized");
        assertThat(error.getJSONObject("data").getString("reason")).isEqualTo("token expired");
    }

    @Test
    void aValidTokenConnects() throws Exception {
        harness = authenticatedOnly();
        Socket alice = harness.connect(token("alice"));
        assertThat(ask(alice, "subscribe", "anything").getBoolean("ok")).isTrue();
    }

    @Test
    void aConnectionWhoseTokenExpiresIsToldWhyAndDisconnected() throws Exception {
        harness = authenticatedOnly();
        Socket alice = harness.connect(token("alice", Duration.ofMinutes(5), null));
        Socket bob = harness.connect(token("bob", Duration.ofHours(2), null));
        BlockingQueue<Object[]> errors = record(alice, "sockeye:error");
        BlockingQueue<Object[]> disconnects = record(alice, Socket.EVENT_DISCONNECT);

        harness.clock.advance(Duration.ofMinutes(6));
        harness.rooms.sweep();

        JSONObject error = (JSONObject) next(errors, "sockeye:error")[0];
        assertThat(error.getString("code")).isEqualTo("unauthorized");
        assertThat(error.getString("message")).isEqualTo("token expired");
        assertThat(next(disconnects, "disconnect")[0]).isEqualTo("io server disconnect");
        assertThat(ask(bob, "subscribe", "still-here").getBoolean("ok")).as("bob's token is still valid").isTrue();
        assertThat(harness.rooms.stats().rejections(RejectionReason.TOKEN_EXPIRED)).isEqualTo(1);
    }

    @Test
    void aRefreshBeforeExpiryKeepsTheConnection() throws Exception {
        harness = authenticatedOnly();
        Socket alice = harness.connect(token("alice", Duration.ofMinutes(5), null));
        BlockingQueue<Object[]> disconnects = record(alice, Socket.EVENT_DISCONNECT);

        String fresh = token("alice", Duration.ofHours(1), null);
        JSONObject reply = ask(alice, "refresh", new JSONObject().put("token", fresh));
        assertThat(reply.getBoolean("ok")).isTrue();
        assertThat(reply.getLong("exp")).isGreaterThan(System.currentTimeMillis() / 1000 + 3000);
        assertThat(reply.length()).isEqualTo(2);

        harness.clock.advance(Duration.ofMinutes(6));
        harness.rooms.sweep();
        assertThat(ask(alice, "subscribe", "after-refresh").getBoolean("ok")).isTrue();
        assertThat(disconnects).isEmpty();

        harness.clock.advance(Duration.ofHours(1));
        harness.rooms.sweep();
        next(disconnects, "disconnect after the refreshed token expired too");
    }

    @Test
    void aRefreshWithABadTokenIsUnauthorizedAndKeepsTheOldOne() throws Exception {
        harness = authenticatedOnly();
        Socket alice = harness.connect(token("alice"));
        JSONObject bad = ask(alice, "refresh", new JSONObject().put("token", "not.a.jwt"));
        assertThat(bad.getBoolean("ok")).isFalse();
        assertThat(bad.getJSONObject("error").getString("code")).isEqualTo("unauthorized");

        JSONObject other = ask(alice, "refresh", new JSONObject().put("token", token("bob")));
        assertThat(other.getJSONObject("error").getString("code")).isEqualTo("forbidden");

        JSONObject malformed = ask(alice, "refresh", "token");
        assertThat(malformed.getJSONObject("error").getString("code")).isEqualTo("invalid");
        assertThat(ask(alice, "subscribe", "still-connected").getBoolean("ok")).isTrue();
    }

    @Test
    void anAnonymousConnectionHasNothingToRefresh() throws Exception {
        harness = RoomsHarness.anonymous();
        Socket anonymous = harness.connectAnonymous();
        JSONObject reply = ask(anonymous, "refresh", new JSONObject().put("token", token("alice")));
        assertThat(reply.getJSONObject("error").getString("code")).isEqualTo("unauthorized");
    }

    @Test
    void aRefreshedTokenBringsItsNewGrants() throws Exception {
        harness = RoomsHarness.withRules(List.of());
        Socket alice = harness.connect(token("alice", Duration.ofHours(1),
                java.util.Map.of("subscribe", List.of("a"))));
        assertThat(ask(alice, "subscribe", "b").getJSONObject("error").getString("code")).isEqualTo("forbidden");
        ask(alice, "refresh", new JSONObject().put("token", token("alice", Duration.ofHours(1),
                java.util.Map.of("subscribe", List.of("a", "b")))));
        assertThat(ask(alice, "subscribe", "b").getBoolean("ok")).isTrue();
    }
}
