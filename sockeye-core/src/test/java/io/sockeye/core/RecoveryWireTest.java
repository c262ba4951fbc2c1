package io.sockeye.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sockeye.core.RecoveryHarness.offsetOf;
import static io.sockeye.core.RecoveryHarness.withoutOffset;
import static org.assertj.core.api.Assertions.assertThat;

/** What connection state recovery puts on the wire: the {@code pid} and the offsets. */
class RecoveryWireTest {

    private RecoveryHarness csr;

    @AfterEach
    void tearDown() {
        csr.close();
    }

    @Test
    void connectReplyCarriesSidAndPid() {
        csr = new RecoveryHarness();
        InMemoryEngineSocket session = csr.harness.open();
        session.receive("0");
        assertThat(session.nextText()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"pid\":\"[A-Za-z0-9_-]{24}\"}");

        session.receive("0/chat,");
        assertThat(session.nextText()).matches("0/chat,\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"pid\":\"[A-Za-z0-9_-]{24}\"}");
    }

    @Test
    void everyEventWithoutAckIdCarriesAnIncreasingOffsetAsLastArgument() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();

        csr.io.emit("to-all", 1);                                               // namespace-wide
        csr.io.to(client.sid).emit("to-id", "a");                               // the socket's own room
        client.serverSocket().emit("private", true);                           // private emit
        csr.io.asVolatile().emit("status", "ok");                              // volatile
        client.serverSocket().asVolatile().emit("private-volatile");

        String[] expected = {"2[\"to-all\",1]", "2[\"to-id\",\"a\"]", "2[\"private\",true]", "2[\"status\",\"ok\"]",
                "2[\"private-volatile\"]"};
        String previous = "";
        for (String without : expected) {
            String text = client.next();
            String offset = offsetOf(text);
            assertThat(offset).as("offset of %s", text).isNotNull();
            assertThat(offset).isGreaterThan(previous); // one epoch: offsets compare in sequence order
            assertThat(withoutOffset(text)).isEqualTo(without);
            previous = offset;
        }
    }

    @Test
    void binaryEventsCarryTheOffsetAfterTheirPlaceholders() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();

        csr.io.emit("bin", new byte[] {1, 2});

        String text = client.next();
        assertThat(text).matches("51-\\[\"bin\",\\{\"_placeholder\":true,\"num\":0},\"[0-9a-z]{8}\\.[0-9]{16}\"]");
        assertThat(client.session.nextBinary()).containsExactly(1, 2);
    }

    @Test
    void eventsWithAckIdAndAcksCarryNoOffset() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.serverSocket().timeout(Duration.ofSeconds(5)).emitWithAck("question", 1);
        assertThat(client.next()).isEqualTo("20[\"question\",1]");

        client.call("join", "r");
        csr.io.timeout(Duration.ofSeconds(5)).emitWithAck("survey");
        assertThat(client.next()).matches("2\\d+\\[\"survey\"]");
    }

    @Test
    void withoutRecoveryTheReplyIsSidOnlyAndEventsCarryNoOffset() {
        SocketIoHarness plain = new SocketIoHarness();
        try {
            InMemoryEngineSocket session = plain.open();
            session.receive("0");
            assertThat(session.nextText()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
            plain.io.emit("news", 1);
            plain.io.asVolatile().emit("status", "ok");
            assertThat(session.nextText()).isEqualTo("2[\"news\",1]");
            assertThat(session.nextText()).isEqualTo("2[\"status\",\"ok\"]");
            assertThat(plain.io.sockets().sockets().iterator().next().recovered()).isFalse();
        } finally {
            plain.close();
        }
        csr = new RecoveryHarness();
    }

    @Test
    void offsetsOfDifferentNamespacesAreIndependentStreams() {
        csr = new RecoveryHarness();
        InMemoryEngineSocket session = csr.harness.open();
        session.receive("0");
        session.nextText();
        session.receive("0/chat,");
        session.nextText();

        csr.io.emit("main");
        csr.io.of("/chat").emit("chat");

        String main = offsetOf(session.nextText());
        String chat = offsetOf(session.nextText());
        assertThat(main.substring(0, 8)).isNotEqualTo(chat.substring(0, 8)); // an epoch per stream
        assertThat(main).endsWith(".0000000000000001");
        assertThat(chat).endsWith(".0000000000000001");
    }
}
