package io.sockeye.core.recovery;

import io.sockeye.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/** The node-local session store's claim, ownership and expiry. */
class InMemorySessionStoreTest {

    private final ManualClock clock = new ManualClock();
    private final InMemorySessionStore store = new InMemorySessionStore(clock);

    private static SessionRecord record(String pid, String incarnation) {
        return new SessionRecord(pid, "sid-" + pid, "/", Map.of("r", 0L), Map.of("k", "v"),
                new StreamPosition("00000000", 0), incarnation, 0);
    }

    @Test
    void concurrentClaimsOfOnePidGiveTheRecordToExactlyOne() throws Exception {
        for (int round = 0; round < 50; round++) {
            store.save(record("p", "i"), null);
            CyclicBarrier start = new CyclicBarrier(4);
            List<CompletableFuture<SessionClaim>> claims = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                claims.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return store.claim("p").join();
                }));
            }
            assertThat(claims.stream().map(CompletableFuture::join).filter(SessionClaim::claimed).count()).isEqualTo(1);
        }
    }

    @Test
    void writesOfAnotherIncarnationDoNotTouchTheRecord() {
        store.save(record("p", "new"), null);
        assertThat(store.update(record("p", "old"), null).join()).isFalse();
        assertThat(store.delete("p", "old").join()).isFalse();
        assertThat(store.peek("p").incarnation()).isEqualTo("new");
        assertThat(store.update(record("p", "new"), Duration.ofSeconds(5)).join()).isTrue();
        assertThat(store.delete("p", "new").join()).isTrue();
        assertThat(store.claim("p").join().failure()).isEqualTo(RecoveryFailure.UNKNOWN_SESSION);
    }

    @Test
    void expiredRecordsAreNeverClaimedAndTouchExtendsLiveOnes() {
        store.save(record("short", "i"), Duration.ofSeconds(10));
        store.save(record("touched", "i"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        store.touch(List.of("touched"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(3));

        assertThat(store.claim("short").join().failure()).isEqualTo(RecoveryFailure.EXPIRED);
        assertThat(store.claim("touched").join().claimed()).isTrue();
        store.save(record("forever", "i"), null);
        clock.advance(Duration.ofDays(365));
        store.sweep();
        assertThat(store.size()).isEqualTo(1);
    }
}
