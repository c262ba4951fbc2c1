package io.sockeye.bench.run;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The soak's growth test: a line fitted through samples, judged against noise and a tolerance. */
class SlopeFitTest {

    /** {@code n} samples 10 s apart: base + perSecond × t + uniform noise of ± noise. */
    private static List<double[]> series(int n, double base, double perSecond, double noise, long seed) {
        Random random = new Random(seed);
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double t = i * 10.0;
            points.add(new double[]{t, base + perSecond * t + (random.nextDouble() * 2 - 1) * noise});
        }
        return points;
    }

    @Test
    void aNoisyFlatSeriesDoesNotGrow() {
        SlopeFit.Fit f = SlopeFit.fit(series(145, 50e6, 0, 5e6, 1), 0.05, 4e6);
        assertThat(f.grows()).isFalse();
        assertThat(f.n()).isEqualTo(145);
        assertThat(f.windowS()).isEqualTo(1440);
        assertThat(f.mean()).isCloseTo(50e6, within(1e6));
    }

    @Test
    void aSteadyLeakGrowsAndItsSlopeIsRecovered() {
        // One file descriptor every minute over 24 minutes, with connections swinging by ±20.
        SlopeFit.Fit f = SlopeFit.fit(series(145, 500, 1 / 60.0, 20, 2), 0, 8);
        assertThat(f.grows()).isTrue();
        assertThat(f.slopePerHour()).isCloseTo(60, within(15.0));
        assertThat(f.impliedGrowth()).isGreaterThan(f.tolerance());
        assertThat(f.slopePerHour() - f.ci95PerHour()).isPositive();
    }

    @Test
    void aSignificantDriftWithinTheToleranceDoesNotGrow() {
        // Two threads over the run, without noise: certainly positive, but within the tolerance of 2.
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 145; i++) {
            points.add(new double[]{i * 10.0, 14 + (i >= 100 ? 1 : 0)});
        }
        SlopeFit.Fit f = SlopeFit.fit(points, 0, 2);
        assertThat(f.slopePerHour() - f.ci95PerHour()).as("significant").isPositive();
        assertThat(f.grows()).isFalse();
    }

    @Test
    void aLargeGrowthHiddenInNoiseIsNotCalledALeak() {
        // The interval includes zero: the samples cannot tell growth from noise.
        SlopeFit.Fit f = SlopeFit.fit(series(5, 50e6, 1000, 40e6, 3), 0.05, 4e6);
        assertThat(f.slopePerHour() - f.ci95PerHour()).isNegative();
        assertThat(f.grows()).isFalse();
    }

    @Test
    void needsThreeSamplesAtDifferentTimes() {
        assertThat(SlopeFit.fit(List.of(new double[]{0, 1}, new double[]{10, 2}), 0, 0)).isNull();
        assertThat(SlopeFit.fit(List.of(new double[]{5, 1}, new double[]{5, 2}, new double[]{5, 3}), 0, 0)).isNull();
    }

    @Test
    void studentsTQuantileFromTheTableAndBeyond() {
        assertThat(SlopeFit.tQuantile975(1)).isEqualTo(12.706);
        assertThat(SlopeFit.tQuantile975(30)).isEqualTo(2.042);
        assertThat(SlopeFit.tQuantile975(120)).isCloseTo(1.980, within(0.002));
    }
}
