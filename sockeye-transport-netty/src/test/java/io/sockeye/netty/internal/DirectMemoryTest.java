package io.sockeye.netty.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Direct memory is short past three quarters of its limit, by Netty's count or by the JVM's pool. */
class DirectMemoryTest {

    @Test
    void pressureStartsPastThreeQuartersOfTheLimitByEitherCount() {
        long max = 1000;
        assertThat(DirectMemory.underPressure(750, 750, max)).isFalse();
        assertThat(DirectMemory.underPressure(751, -1, max)).isTrue();
        assertThat(DirectMemory.underPressure(-1, 751, max)).isTrue();
        assertThat(DirectMemory.underPressure(-1, -1, max)).isFalse();
    }

    @Test
    void noLimitKnownMeansNoPressure() {
        assertThat(DirectMemory.underPressure(Long.MAX_VALUE, Long.MAX_VALUE, 0)).isFalse();
    }
}
