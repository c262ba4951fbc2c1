package io.sockeye.core;

import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.RecoveryFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.sockeye.core.RecoveryHarness.withoutOffset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way a recovery can fail answers {@code recovered:false}: a fresh socket, no replay, nobody
 * else's messages, the reason in the metrics, and no exception.
 */
class RecoveryFailureTest {

    private RecoveryHarness csr;

    @AfterEach
    void tearDown() {
        csr.close();
    }

    /** A client in room {@code r} that dropped, with a message for it published meanwhile. */
    private RecoveryHarness.Client droppedWithAMissedMessage(HistoryBounds bounds) {
        csr = new RecoveryHarness(bounds, AdapterFactory.inMemory());
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        csr.publish("r", "seen");
        client.next();
        client.drop();
        csr.publish("r", "missed");
        return client;
    }

    private RecoveryHarness.Client droppedWithAMissedMessage() {
        return droppedWithAMissedMessage(HistoryBounds.defaults(RecoveryHarness.WINDOW));
    }

    private void assertFailedWith(String reason) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(csr.metrics.count("recoveryFailed", "/", reason))
                .as("%s", csr.metrics.snapshot()).isEqualTo(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"garbage\"", "\"K3J9X0QA.0000000000000001\"", "\"k3j9x0qa-0000000000000001\"",
            "\"k3j9x0qa.000000000000001\"", "\"k3j9x0qa.00000000000000001\"", "\"k3j9x0q.00000000000000001\"",
            "\"k3j9x0qa.000000000000000x\"", "\"\"", "42", "{\"a\":1}", "[\"x\"]", "true"})
    void malformedOffsetGivesAFreshSocketAndLeavesTheSessionInPlace(String offset) {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        String pid = client.pid;

        client.reconnectWith("{\"pid\":\"" + pid + "\",\"offset\":" + offset + "}");

        client.assertFresh();
        assertFailedWith(RecoveryFailure.MALFORMED);
        // Nothing was claimed: the real client can still recover.
        RecoveryHarness.Client owner = csr.client();
        owner.pid = pid;
        owner.lastOffset = client.lastOffset;
        owner.reconnect();
        assertThat(withoutOffset(owner.next())).isEqualTo("2[\"news\",\"missed\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "null", "\"\"", "{\"pid\":1}"})
    void pidThatIsNotAStringGivesAFreshSocket(String pid) {
        droppedWithAMissedMessage();
        RecoveryHarness.Client other = csr.client();
        other.reconnectWith("{\"pid\":" + pid + "}");
        other.readConnect(other.session.nextText());
        assertThat(other.serverSocket().recovered()).isFalse();
        other.session.assertNothingSent();
        assertFailedWith(RecoveryFailure.MALFORMED);
    }

    @Test
    void forgedPidGivesAFreshSocketWithNobodysMessages() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        client.pid = "AAAAAAAAAAAAAAAAAAAAAAAA";
        client.reconnect();
        client.assertFresh();
        assertFailedWith(RecoveryFailure.UNKNOWN_SESSION);
    }

    @Test
    void offsetOfAnotherEpochIsNotRecovered() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        String epoch = client.lastOffset.substring(0, 8);
        client.lastOffset = (epoch.equals("00000000") ? "00000001" : "00000000") + client.lastOffset.substring(8);
        client.reconnect();
        client.assertFresh();
        assertFailedWith(RecoveryFailure.OTHER_EPOCH);
    }

    @Test
    void offsetFromTheFutureIsNotRecovered() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        client.lastOffset = client.lastOffset.substring(0, 9) + "0000000000099999";
        client.reconnect();
        client.assertFresh();
        assertFailedWith(RecoveryFailure.AHEAD);
    }

    @Test
    void sessionPastTheWindowIsNotRecovered() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        csr.clock.advance(RecoveryHarness.WINDOW.plusSeconds(1));
        client.reconnect();
        client.assertFresh();
        assertFailedWith(RecoveryFailure.EXPIRED);
    }

    @Test
    void pidOfAnotherNamespaceIsUnknownThereAndStillValidInItsOwn() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        InMemoryEngineSocket other = csr.harness.open();
        other.receive("0/chat,{\"pid\":\"" + client.pid + "\",\"offset\":\"" + client.lastOffset + "\"}");
        assertThat(other.nextText()).matches("0/chat,\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"pid\":\"[A-Za-z0-9_-]{24}\"}")
                .doesNotContain(client.sid);
        other.assertNothingSent();

        client.reconnect();
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"missed\"]");
    }

    @Test
    void sessionEndedByTheClientCannotBeRecovered() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        client.session.receive("1"); // client namespace disconnect: not a recoverable reason
        await().atMost(Duration.ofSeconds(30)).until(() -> csr.io.sockets().socket(client.sid) == null);
        csr.publish("r", "after");

        client.reconnect();

        client.assertFresh();
        assertFailedWith(RecoveryFailure.UNKNOWN_SESSION);
    }

    @Test
    void prunedHistoryIsNotRecoveredRatherThanReplayedWithAGap() {
        RecoveryHarness.Client client = droppedWithAMissedMessage(
                HistoryBounds.defaults(RecoveryHarness.WINDOW).withMaxEntriesPerRoom(2));
        csr.publish("r", "two");
        csr.publish("r", "three"); // evicts "missed"

        client.reconnect();

        client.assertFresh();
        assertFailedWith(RecoveryFailure.PRUNED);
    }

    @Test
    void historyOlderThanItsAgeIsPrunedToo() {
        RecoveryHarness.Client client = droppedWithAMissedMessage(
                HistoryBounds.defaults(RecoveryHarness.WINDOW).withMaxAge(Duration.ofSeconds(10)));
        csr.clock.advance(Duration.ofSeconds(11));
        client.reconnect();
        client.assertFresh();
        assertFailedWith(RecoveryFailure.PRUNED);
    }

    @Test
    void hugeOffsetIsMalformed() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        client.lastOffset = "9".repeat(100_000);
        client.reconnect();
        client.assertFresh();
        assertFailedWith(RecoveryFailure.MALFORMED);
    }

    @Test
    void successfulRecoveryIsCounted() {
        RecoveryHarness.Client client = droppedWithAMissedMessage();
        client.reconnect();
        client.next();
        client.readConnect(client.next());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(csr.metrics.count("recoveryAttempted", "/")).isEqualTo(1);
            assertThat(csr.metrics.count("recoverySucceeded", "/")).isEqualTo(1);
            assertThat(csr.metrics.sum("recoveryReplayed", "/")).isEqualTo(1);
        });
        assertThat(csr.metrics.count("historyAppended", "/")).isEqualTo(2);
    }
}
