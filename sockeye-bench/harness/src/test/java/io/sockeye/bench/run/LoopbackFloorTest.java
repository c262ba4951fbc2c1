package io.sockeye.bench.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The floor measurement runs on real loopback sockets; what it reports is consistent (never how fast). */
class LoopbackFloorTest {

    @Test
    void measuresEveryRecipientOfEveryRecordedBurst() throws Exception {
        Results.Floor f = LoopbackFloor.measure(50, 100, 160, 100, 300);
        assertThat(f.sockets()).isEqualTo(50);
        assertThat(f.bursts()).isEqualTo(30); // bursts due in the 300 ms after the 100 ms warm-up, at 100/s
        // Reads may coalesce nothing across bursts (one burst at a time), so at most one read per socket
        // per burst, and at least one read per burst.
        assertThat(f.recipient().count()).isBetween((long) f.bursts(), 50L * f.bursts());
        assertThat(f.lastRecipient().count()).isEqualTo(f.bursts());
        assertThat(f.lastRecipient().maxMs()).isGreaterThanOrEqualTo(f.recipient().p50Ms());
    }

    @Test
    void theFrameIsTheSizeOfAFanoutMessageFrame() {
        int bytes = LoopbackFloor.fanoutFrameBytes(128);
        assertThat(bytes).isBetween(128 + 2 + 10, 128 + 2 + 80);
        assertThat(LoopbackFloor.fanoutFrameBytes(1000)).isGreaterThan(1000 + 4);
    }
}
