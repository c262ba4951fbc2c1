package io.sockeye.server.admin;

import io.sockeye.testkit.ManualClock;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    @Test
    void refusesAnAddressAfterTenFailuresUntilTheMinuteEnds() {
        ManualClock clock = new ManualClock(1_000_000);
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.allowed("10.0.0.1")).isTrue();
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.allowed("10.0.0.1")).isFalse();
        assertThat(throttle.allowed("10.0.0.2")).as("other addresses").isTrue();
        clock.advanceMillis(LoginThrottle.WINDOW_MILLIS);
        assertThat(throttle.allowed("10.0.0.1")).isTrue();
    }

    @Test
    void aSuccessfulLoginForgetsEarlierFailures() {
        LoginThrottle throttle = new LoginThrottle(new ManualClock(1_000_000));
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("10.0.0.1");
        }
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.allowed("10.0.0.1")).isTrue();
    }

    @Test
    void aLockedAddressStaysLockedWhileTenThousandOtherAddressesFailOnce() {
        ManualClock clock = new ManualClock(1_000_000);
        LoginThrottle throttle = new LoginThrottle(clock, LoginThrottle.MAX_FAILURES, LoginThrottle.WINDOW_MILLIS,
                LoginThrottle.MAX_ADDRESSES, Integer.MAX_VALUE);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.tryAttempt("10.0.0.1")).isTrue();
        }
        for (int i = 0; i < 2 * LoginThrottle.MAX_ADDRESSES; i++) {
            clock.advanceMillis(1); // the flood takes 20 s: well within the minute
            throttle.tryAttempt("172.16." + (i >> 8) + "." + (i & 0xff));
        }
        assertThat(throttle.allowed("10.0.0.1")).as("the locked address").isFalse();
        assertThat(throttle.tracked()).isLessThanOrEqualTo(LoginThrottle.MAX_ADDRESSES);
        assertThat(throttle.allowed("192.168.0.1")).as("room is made from unlocked addresses").isTrue();
    }

    @Test
    void whenEveryTrackedAddressIsLockedNewAddressesAreRefusedUntilAWindowEnds() {
        ManualClock clock = new ManualClock(1_000_000);
        LoginThrottle throttle = new LoginThrottle(clock, 2, 60_000, 3, Integer.MAX_VALUE);
        for (String address : new String[] {"a", "b", "c"}) {
            throttle.tryAttempt(address);
            throttle.tryAttempt(address);
            clock.advanceMillis(1_000);
        }
        assertThat(throttle.allowed("d")).as("fails closed").isFalse();
        assertThat(throttle.tryAttempt("d")).isFalse();
        clock.advanceMillis(57_000); // a's window (the oldest) has ended, b's and c's have not
        assertThat(throttle.allowed("d")).isTrue();
        assertThat(throttle.allowed("b")).isFalse();
        assertThat(throttle.allowed("a")).isTrue();
    }

    @Test
    void theGlobalBudgetRefusesEveryAddressOnceSpentUntilTheWindowEnds() {
        ManualClock clock = new ManualClock(1_000_000);
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.MAX_GLOBAL_FAILURES; i++) {
            assertThat(throttle.tryAttempt("10.1." + (i >> 8) + "." + (i & 0xff))).isTrue();
        }
        assertThat(throttle.tryAttempt("10.2.0.1")).as("a fresh address").isFalse();
        clock.advanceMillis(LoginThrottle.WINDOW_MILLIS);
        assertThat(throttle.tryAttempt("10.2.0.1")).isTrue();
    }

    @Test
    void attemptsTakenBeforeTheCheckCountUntilTheySucceedOrAreCancelled() {
        LoginThrottle throttle = new LoginThrottle(new ManualClock(1_000_000));
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(throttle.tryAttempt("10.0.0.1")).isTrue(); // all in flight at once
        }
        assertThat(throttle.tryAttempt("10.0.0.1")).isFalse();
        throttle.cancelled("10.0.0.1");
        assertThat(throttle.tryAttempt("10.0.0.1")).isTrue();
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.allowed("10.0.0.1")).isTrue();
    }
}
