package io.sockeye.core;

import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.RecoveryFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.sockeye.core.RecoveryHarness.withoutOffset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Middlewares on recovery: skipped as socket.io does, except those registered with {@code useAlways}. */
class RecoveryMiddlewareTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private RecoveryHarness csr;

    @AfterEach
    void tearDown() {
        csr.close();
    }

    private void start(boolean skipMiddlewares) {
        csr = new RecoveryHarness(HistoryBounds.defaults(RecoveryHarness.WINDOW), AdapterFactory.inMemory(), skipMiddlewares);
        validTokens.add("good");
        csr.io.use((socket, next) -> {
            ran.add("use:" + socket.recovered());
            next.proceed();
        });
        csr.io.useAlways((socket, next) -> {
            ran.add("always:" + socket.recovered() + ":" + socket.data().get("user"));
            if (validTokens.contains(String.valueOf(socket.handshake().auth().get("token")))) {
                next.proceed();
            } else {
                next.reject(new ConnectError("invalid token"));
            }
        });
    }

    private RecoveryHarness.Client connectedWithToken() {
        RecoveryHarness.Client client = csr.client();
        client.session = csr.harness.open();
        client.session.receive("0{\"token\":\"good\"}");
        client.readConnect(client.session.nextText());
        client.call("join", "r");
        client.serverSocket().data().put("user", "ada");
        return client;
    }

    private void reconnect(RecoveryHarness.Client client, String token) {
        client.reconnectWith("{\"pid\":\"" + client.pid + "\",\"token\":\"" + token + "\"}");
    }

    @Test
    void recoverySkipsPlainMiddlewaresButRunsTheAlwaysOnes() {
        start(true);
        RecoveryHarness.Client client = connectedWithToken();
        client.drop();
        ran.clear();

        reconnect(client, "good");
        client.readConnect(client.session.nextText());

        assertThat(client.serverSocket().recovered()).isTrue();
        // As in socket.io, the socket is already marked recovered (and has its data) when middlewares run.
        assertThat(ran).containsExactly("always:true:ada");
    }

    @Test
    void withoutSkipEveryMiddlewareRunsOnRecovery() {
        start(false);
        RecoveryHarness.Client client = connectedWithToken();
        client.drop();
        ran.clear();

        reconnect(client, "good");
        client.readConnect(client.session.nextText());

        assertThat(ran).containsExactly("use:true", "always:true:ada");
    }

    @Test
    void revokedTokenIsNotRevivedByRecoveryAndAFreshTokenRecoversLater() {
        start(true);
        RecoveryHarness.Client client = connectedWithToken();
        client.drop();
        csr.publish("r", "missed");
        validTokens.remove("good");

        reconnect(client, "good");
        assertThat(client.session.nextText()).isEqualTo("4{\"message\":\"invalid token\"}");
        assertThat(csr.metrics.count("recoveryFailed", "/", RecoveryFailure.REJECTED)).isEqualTo(1);
        client.session.assertNothingSent();

        validTokens.add("renewed");
        reconnect(client, "renewed");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"missed\"]");
        client.readConnect(client.next());
        assertThat(client.serverSocket().recovered()).isTrue();
        assertThat(client.serverSocket().data()).isEqualTo(Map.of("user", "ada"));
    }

    @Test
    void failedRecoveryRunsEveryMiddlewareForTheFreshSocket() {
        start(true);
        RecoveryHarness.Client client = connectedWithToken();
        client.drop();
        ran.clear();
        client.pid = "AAAAAAAAAAAAAAAAAAAAAAAA";

        reconnect(client, "good");

        client.readConnect(client.session.nextText());
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> ran.size() == 2);
        assertThat(ran).containsExactly("use:false", "always:false:null");
    }
}
