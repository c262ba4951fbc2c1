package io.sockeye.server.admin;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void refusesAnAddressAfterTenFailuresUntilTheMinuteEnds() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.allowed("10.0.0.1")).isTrue();
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.allowed("10.0.0.1")).isFalse();
        assertThat(throttle.allowed("10.0.0.2")).as("other addresses").isTrue();
        clock.millis += LoginThrottle.WINDOW_MILLIS;
        assertThat(throttle.allowed("10.0.0.1")).isTrue();
    }

    @Test
    void aSuccessfulLoginForgetsEarlierFailures() {
        LoginThrottle throttle = new LoginThrottle(new ManualClock());
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("10.0.0.1");
        }
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.allowed("10.0.0.1")).isTrue();
    }
}
