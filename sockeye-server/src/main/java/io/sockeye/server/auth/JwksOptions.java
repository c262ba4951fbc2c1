package io.sockeye.server.auth;

import java.time.Duration;

/**
 * Tuning for a JWK Set URL ({@link JwtSettings#jwksUrl()}). The defaults suit an identity provider that
 * rotates keys now and then; they are not exposed as flags.
 *
 * @param cacheTimeToLive     how long a downloaded key set is used before it is downloaded again
 *                            (default 5 min). In the last tenth of this time a verification that finds
 *                            its key in the cache starts a background refresh, so under steady traffic
 *                            the cache never runs dry on a handshake.
 * @param minRefreshInterval  rate limit on downloads: at most two per this interval (default 30 s), so
 *                            tokens with made-up {@code kid}s cannot turn the server into a load generator
 *                            against the identity provider. One of the two is left for a genuine key
 *                            rotation. Must be shorter than {@code cacheTimeToLive}.
 * @param outageTolerance     how long the last successfully downloaded key set keeps being used while the
 *                            URL fails (default 1 h); after that, tokens are refused with
 *                            {@code "signing keys unavailable"}
 * @param connectTimeout      HTTP connect timeout (default 2 s)
 * @param readTimeout         HTTP read timeout (default 3 s)
 * @param maxBytes            largest key set document accepted (default 256 KiB)
 */
public record JwksOptions(Duration cacheTimeToLive, Duration minRefreshInterval, Duration outageTolerance,
                          Duration connectTimeout, Duration readTimeout, int maxBytes) {

    private static final JwksOptions DEFAULTS = new JwksOptions(Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 256 * 1024);

    public JwksOptions {
        positive(cacheTimeToLive, "cacheTimeToLive");
        positive(minRefreshInterval, "minRefreshInterval");
        positive(outageTolerance, "outageTolerance");
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (minRefreshInterval.compareTo(cacheTimeToLive) >= 0) {
            throw new IllegalArgumentException("JWKS minRefreshInterval must be shorter than cacheTimeToLive");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("JWKS maxBytes must be positive");
        }
    }

    public static JwksOptions defaults() {
        return DEFAULTS;
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("JWKS " + name + " must be positive: " + d);
        }
    }
}
