package io.sockeye.bench.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlanTest {

    @Test
    void smallRoomsKeepTheBaseP99LimitAndLargeRoomsGetTheBurstAllowance() {
        Plan full = Plan.full();
        assertThat(full.p99LimitFor(1_000)).isEqualTo(100);
        assertThat(full.p99LimitFor(Plan.LARGE_ROOM - 1)).isEqualTo(100);
        assertThat(full.p99LimitFor(Plan.LARGE_ROOM)).isEqualTo(Plan.LARGE_ROOM_P99_LIMIT_MS);
        assertThat(full.p99LimitFor(10_000)).isEqualTo(Plan.LARGE_ROOM_P99_LIMIT_MS);
        assertThat(Plan.p99LimitFor(2_000, 10_000)).as("a larger base limit is never lowered").isEqualTo(2_000);
    }
}
