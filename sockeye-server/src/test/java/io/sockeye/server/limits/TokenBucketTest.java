package io.sockeye.server.limits;

import io.sockeye.testkit.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {

    private final ManualClock clock = new ManualClock(1_000_000);

    @Test
    void allowsABurstUpToTheCapacityThenRefuses() {
        TokenBucket bucket = new TokenBucket(1, 3, clock);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void refillsAtTheRateAsTheClockAdvances() {
        TokenBucket bucket = new TokenBucket(10, 1, clock);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
        assertThat(bucket.millisUntilNextToken()).isEqualTo(100);

        clock.advance(Duration.ofMillis(99));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).isTrue();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        TokenBucket bucket = new TokenBucket(100, 2, clock);
        clock.advance(Duration.ofHours(1));
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
        assertThat(bucket.isFull()).isFalse();
    }

    @Test
    void aClockSteppingBackDoesNotDrainOrRefill() {
        TokenBucket bucket = new TokenBucket(1, 1, clock);
        assertThat(bucket.tryTake()).isTrue();
        clock.advance(Duration.ofSeconds(-10));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.tryTake()).isTrue();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
