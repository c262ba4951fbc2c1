package io.sockeye.bench.run;

import java.util.List;

/**
 * The soak's growth test for one sampled series: a least-squares line through (time, value) after the
 * warm-up, and the verdict "grows" only when both
 * <ol>
 *   <li>the slope is positive with 95 % confidence (its interval, from the residuals' spread and the
 *       t distribution, lies above 0), and</li>
 *   <li>the growth the slope implies over the fitted window is more than the series' tolerance:
 *       {@code max(absoluteFloor, relative × mean)}.</li>
 * </ol>
 * The first guards against noise (a sawtooth heap, connection counts that swing with the churn); the
 * second against drifts too small to matter that a long, smooth series still makes "significant"
 * (samples 10 s apart are correlated, so the interval is optimistic). A leak grows without bound, so
 * over a long enough run it passes both.
 */
final class SlopeFit {

    private SlopeFit() {
    }

    /**
     * A fitted series.
     *
     * @param n               samples fitted
     * @param windowS         time between the first and last fitted sample
     * @param mean            mean value
     * @param slopePerHour    least-squares slope, units per hour
     * @param ci95PerHour     half-width of the slope's 95 % confidence interval, units per hour
     * @param impliedGrowth   slope × window: what the line says the series gained over the window
     * @param tolerance       growth allowed over the window: max(absolute floor, relative × mean)
     * @param grows           both conditions above hold
     */
    record Fit(int n, double windowS, double mean, double slopePerHour, double ci95PerHour, double impliedGrowth,
               double tolerance, boolean grows) {
    }

    /** Fits {@code points} ({t seconds, value}); null with fewer than 3 points. */
    static Fit fit(List<double[]> points, double relativeTolerance, double absoluteFloor) {
        int n = points.size();
        if (n < 3) {
            return null;
        }
        double mt = 0;
        double my = 0;
        for (double[] p : points) {
            mt += p[0];
            my += p[1];
        }
        mt /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mt) * (p[0] - mt);
            sxy += (p[0] - mt) * (p[1] - my);
        }
        if (sxx == 0) {
            return null;
        }
        double slope = sxy / sxx;
        double rss = 0;
        for (double[] p : points) {
            double r = p[1] - (my + slope * (p[0] - mt));
            rss += r * r;
        }
        double se = Math.sqrt(rss / (n - 2) / sxx);
        double ci = tQuantile975(n - 2) * se;
        double window = points.get(n - 1)[0] - points.get(0)[0];
        double implied = slope * window;
        double tolerance = Math.max(absoluteFloor, relativeTolerance * Math.abs(my));
        boolean grows = slope - ci > 0 && implied > tolerance;
        return new Fit(n, window, my, slope * 3600, ci * 3600, implied, tolerance, grows);
    }

    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /** The 97.5 % quantile of Student's t with {@code df} degrees of freedom (table to 30, then 1.96 + 2.4/df). */
    static double tQuantile975(int df) {
        if (df < 1) {
            return Double.POSITIVE_INFINITY;
        }
        return df <= T975.length ? T975[df - 1] : 1.96 + 2.4 / df;
    }
}
