package io.sockeye.core;

import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.recovery.HistoryBounds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.sockeye.core.RecoveryHarness.offsetOf;
import static io.sockeye.core.RecoveryHarness.withoutOffset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Restoring a socket: same id, rooms and data, and the missed packets before the CONNECT reply. */
class RecoveryRestoreTest {

    private RecoveryHarness csr;

    @AfterEach
    void tearDown() {
        csr.close();
    }

    @Test
    void restoresIdRoomsDataAndMissedPacketsInOrderBeforeTheConnectReply() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        client.serverSocket().data().put("user", "ada");
        csr.publish("r", 1);
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",1]");
        client.drop();

        csr.publish("r", 2);
        csr.publish("other", "not for it");
        csr.io.emit("everyone", 3);
        String pid = client.pid;
        String sid = client.sid;
        client.reconnect();

        List<String> missed = List.of(client.next(), client.next());
        assertThat(missed).extracting(RecoveryHarness::withoutOffset)
                .containsExactly("2[\"news\",2]", "2[\"everyone\",3]");
        assertThat(offsetOf(missed.get(0))).isLessThan(offsetOf(missed.get(1)));
        client.readConnect(client.next());
        assertThat(client.sid).isEqualTo(sid);
        assertThat(client.pid).isEqualTo(pid);
        Socket restored = client.serverSocket();
        assertThat(restored.recovered()).isTrue();
        assertThat(restored.rooms()).containsExactlyInAnyOrder(sid, "r");
        assertThat(restored.data()).containsEntry("user", "ada");

        csr.publish("r", 4); // and live again
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",4]");
        client.session.assertNothingSent();
    }

    @Test
    void clientThatReceivedNoEventRecoversWithItsPidAlone() {
        // socket.io #5538: no event yet means no offset; the CONNECT carries {"pid"} only.
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        client.drop();
        csr.publish("r", "missed");

        client.reconnect();

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"missed\"]");
        client.readConnect(client.next());
        assertThat(client.serverSocket().recovered()).isTrue();
    }

    @Test
    void secondRecoveryDoesNotReplayWhatTheFirstReplayed() {
        // socket.io #5419: replayed packets carry their offsets, so the client's offset moves past them.
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        client.drop();
        csr.publish("r", "a");
        csr.publish("r", "b");
        client.reconnect();
        assertThat(List.of(client.next(), client.next())).extracting(RecoveryHarness::withoutOffset)
                .containsExactly("2[\"news\",\"a\"]", "2[\"news\",\"b\"]");
        client.readConnect(client.next());

        client.drop();
        csr.publish("r", "c");
        client.reconnect();

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"c\"]");
        client.readConnect(client.next());
        assertThat(client.serverSocket().recovered()).isTrue();
        client.session.assertNothingSent();
    }

    @Test
    void recoveryAfterARecoveryWithNothingMissedStillWorks() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.drop();
        client.reconnect();
        client.readConnect(client.next());
        client.drop();
        csr.io.emit("later");
        client.reconnect();
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"later\"]");
        client.readConnect(client.next());
    }

    @Test
    void volatileEventWithAStringLastArgumentDoesNotPoisonTheOffset() {
        // socket.io PR #5539: the client takes any trailing string as its offset; volatile events carry a
        // real one here, so "ok" never becomes the offset it presents.
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        csr.publish("r", 1);
        csr.io.asVolatile().emit("status", "ok");
        client.next();
        String status = client.next();
        assertThat(withoutOffset(status)).isEqualTo("2[\"status\",\"ok\"]");
        assertThat(client.lastOffset).isEqualTo(offsetOf(status));
        client.drop();
        csr.publish("r", 2);

        client.reconnect();

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",2]");
        client.readConnect(client.next());
        assertThat(client.serverSocket().recovered()).isTrue();
    }

    @Test
    void idleConnectionRecoversAlthoughItsLastOffsetAgedOutOfTheHistory() {
        // socket.io #5282: the offset's own entry is long gone, but nothing the client would have
        // received was evicted, so there is nothing it could miss.
        csr = new RecoveryHarness(HistoryBounds.defaults(RecoveryHarness.WINDOW).withMaxEntriesPerRoom(3),
                AdapterFactory.inMemory());
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "quiet");
        csr.publish("quiet", "last one it saw");
        client.next();
        for (int i = 0; i < 10; i++) {
            csr.publish("busy", i); // evicted by the busy room's own bound; the client is not in it
            csr.clock.advance(RecoveryHarness.WINDOW);
        }
        client.drop();
        csr.clock.advance(Duration.ofSeconds(1));
        csr.publish("quiet", "while away");

        client.reconnect();

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"while away\"]");
        client.readConnect(client.next());
        assertThat(client.serverSocket().recovered()).isTrue();
    }

    @Test
    void messagesPublishedWhileTheTransportIsDownArriveExactlyOnceInOrder() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            csr.publish("r", i);
            if (i == 50) {
                for (int j = 0; j <= 50; j++) {
                    received.add(withoutOffset(client.next()));
                }
                client.drop();
            }
            if (i == 120) {
                client.reconnect();
            }
        }
        for (String text = client.next(); !text.startsWith("0"); text = client.next()) {
            received.add(withoutOffset(text));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            while (received.size() < 200) {
                received.add(withoutOffset(client.next()));
            }
            return true;
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("2[\"news\"," + i + "]");
        }
        assertThat(received).containsExactlyElementsOf(expected);
        client.session.assertNothingSent();
    }
}
