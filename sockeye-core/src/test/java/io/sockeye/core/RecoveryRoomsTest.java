package io.sockeye.core;

import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.internal.socket.NamespaceImpl;
import io.sockeye.core.recovery.RecoveryFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node-local recovery keeps a disconnected session's room memberships on its node for the window:
 * cluster buses deliver a room's broadcasts only to nodes with members, and the node must keep
 * receiving (and keeping) what the session is owed. The memberships receive nothing themselves.
 */
class RecoveryRoomsTest {

    private RecoveryHarness csr;

    @AfterEach
    void tearDown() {
        csr.close();
    }

    private Adapter adapter() {
        return ((NamespaceImpl) csr.io.sockets()).adapter();
    }

    private RecoveryHarness.Client droppedFromRoom() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        client.drop();
        return client;
    }

    @Test
    void aKeptSessionStaysInItsRoomsWithoutReceivingAnything() {
        RecoveryHarness.Client client = droppedFromRoom();

        assertThat(adapter().socketRooms(client.sid)).containsExactlyInAnyOrder(client.sid, "r");
        assertThat(adapter().rooms()).contains("r");
        assertThat(csr.io.to("r").fetchSockets()).succeedsWithin(java.time.Duration.ofSeconds(30))
                .satisfies(sockets -> assertThat(sockets).isEmpty());
        csr.publish("r", "kept for it");
        client.reconnect();
        assertThat(RecoveryHarness.withoutOffset(client.next())).isEqualTo("2[\"news\",\"kept for it\"]");
        client.readConnect(client.next());
        assertThat(adapter().socketRooms(client.sid)).containsExactlyInAnyOrder(client.sid, "r");
    }

    @Test
    void theRoomsAreLetGoWhenTheSessionCannotBeRestored() {
        RecoveryHarness.Client client = droppedFromRoom();
        String oldSid = client.sid;
        csr.clock.advance(RecoveryHarness.WINDOW.plusSeconds(1));

        client.reconnect();
        client.assertFresh();

        await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(csr.metrics.count("recoveryFailed", "/", RecoveryFailure.EXPIRED)).isEqualTo(1));
        assertThat(adapter().socketRooms(oldSid)).isNull();
        assertThat(adapter().rooms()).doesNotContain("r");
    }

    @Test
    void aSessionThatEndsForGoodLeavesItsRoomsAtOnce() {
        csr = new RecoveryHarness();
        RecoveryHarness.Client client = csr.client().connect();
        client.call("join", "r");
        client.session.receive("1"); // client namespace disconnect
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> csr.io.sockets().socket(client.sid) == null);
        assertThat(adapter().socketRooms(client.sid)).isNull();
        assertThat(adapter().rooms()).isEqualTo(Set.of());
    }
}
