package io.sockeye.core.adapter;

import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Takeovers of restored sessions' ghosts on other nodes: while one is being published, those of the restores
 * that follow wait and go together, so a storm of restores is a few bus messages (on the Redis Streams
 * adapter, a few entries of its bounded stream), not one per client.
 */
class ClusterAdapterTakeOverTest {

    /** A cluster adapter whose publishes complete when the test says so. */
    private static final class HeldBus extends ClusterAdapter {
        final List<ClusterMessage> published = new ArrayList<>();
        final List<CompletableFuture<String>> pending = new ArrayList<>();

        HeldBus() {
            super(new RecordingNamespace("/"), ClusterAdapterOptions.defaults());
        }

        @Override
        protected CompletableFuture<Void> doInit() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        protected CompletableFuture<Void> doClose() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        protected synchronized CompletableFuture<String> doPublish(ClusterMessage message) {
            CompletableFuture<String> done = new CompletableFuture<>();
            published.add(message);
            pending.add(done);
            return done;
        }

        @Override
        protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        }

        synchronized List<Set<String>> closedSockets() {
            return published.stream().map(m -> ((DisconnectSockets) m.data()).opts().rooms()).toList();
        }

        void answer(int i, boolean ok) {
            CompletableFuture<String> done;
            synchronized (this) {
                done = pending.get(i);
            }
            if (ok) {
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException("bus down"));
            }
        }
    }

    @Test
    void takeOversMadeWhileOneIsPublishedGoTogetherInTheNextMessage() {
        HeldBus bus = new HeldBus();
        bus.disconnectRemote("a");
        bus.disconnectRemote("b");
        bus.disconnectRemote("c");
        assertThat(bus.closedSockets()).containsExactly(Set.of("a"));

        bus.answer(0, true);
        assertThat(bus.closedSockets()).containsExactly(Set.of("a"), Set.of("b", "c"));

        bus.answer(1, true);
        bus.disconnectRemote("d");
        assertThat(bus.closedSockets()).containsExactly(Set.of("a"), Set.of("b", "c"), Set.of("d"));
    }

    @Test
    void aFailedPublishDoesNotHoldBackTheTakeOversWaitingBehindIt() {
        HeldBus bus = new HeldBus();
        bus.disconnectRemote("a");
        bus.disconnectRemote("b");

        bus.answer(0, false);

        assertThat(bus.closedSockets()).containsExactly(Set.of("a"), Set.of("b"));
    }

    @Test
    void oneMessageClosesAtMostAThousandSockets() {
        HeldBus bus = new HeldBus();
        bus.disconnectRemote("first");
        for (int i = 0; i < 2_500; i++) {
            bus.disconnectRemote("s" + i);
        }
        for (int i = 0; i < 3; i++) {
            bus.answer(i, true);
        }
        assertThat(bus.closedSockets()).extracting(Set::size).containsExactly(1, 1_000, 1_000, 500);
    }
}
