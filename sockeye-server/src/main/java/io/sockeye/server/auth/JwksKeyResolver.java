package io.sockeye.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.Key;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keys from a JWK Set URL, through Nimbus's JWK set sources, outermost first:
 * {@link CachingJWKSetSource} (time-to-live; one download at a time) → a recorder (below) →
 * {@link RateLimitedJWKSetSource} (two downloads per interval) → {@link OutageTolerantJWKSetSource}
 * (serves the last good set while the URL fails) → {@link URLBasedJWKSetSource}. This is the chain
 * {@code JWKSourceBuilder} builds, assembled by hand only to slip in the recorder.
 *
 * <p>Nimbus's sources block while they download, so they only ever run on this resolver's two
 * threads. The recorder notes every set the cache takes, with the time it took it; while that copy is
 * fresh and holds a key for the token, {@link #keysFor} answers at once on the caller's thread (the
 * Netty event loop) without touching Nimbus at all. Otherwise — first use, expired cache, unknown
 * {@code kid} — the lookup moves to the resolver's threads.
 */
final class JwksKeyResolver implements KeyResolver {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private static final Logger log = LoggerFactory.getLogger(JwksKeyResolver.class);
    /** Bound on lookups waiting for a download; past it a handshake is refused, not queued forever. */
    private static final int MAX_PENDING = 1024;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The key set the cache holds, since when, and its keys converted to JCA keys once. */
    private record Snapshot(JWKSet set, long cachedAt, Map<JWK, Key> javaKeys) {
    }

    private final URI url;
    private final Clock clock;
    private final long timeToLive;
    private final long refreshAhead;
    private final long minRefreshInterval;
    private final CachingJWKSetSource<SecurityContext> cache;
    private final ThreadPoolExecutor executor;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Snapshot snapshot;
    private volatile long lastRefreshAhead = Long.MIN_VALUE / 2;

    JwksKeyResolver(URI url, JwksOptions options, Clock clock) {
        this.url = url;
        this.clock = clock;
        this.timeToLive = options.cacheTimeToLive().toMillis();
        this.refreshAhead = timeToLive / 10;
        this.minRefreshInterval = options.minRefreshInterval().toMillis();
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                (int) options.connectTimeout().toMillis(), (int) options.readTimeout().toMillis(), options.maxBytes());
        JWKSetSource<SecurityContext> source;
        try {
            source = new URLBasedJWKSetSource<>(url.toURL(), retriever);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URL is not a valid URL: " + url, e);
        }
        source = new OutageTolerantJWKSetSource<>(source, options.outageTolerance().toMillis(),
                event -> log.warn("JWKS {} unreachable; using the key set downloaded before", url));
        source = new RateLimitedJWKSetSource<>(source, minRefreshInterval,
                event -> log.debug("JWKS {} download rate-limited", url));
        source = new Recorder(source);
        long refreshTimeout = options.connectTimeout().plus(options.readTimeout()).toMillis() + 1000;
        this.cache = new CachingJWKSetSource<>(source, timeToLive, refreshTimeout, null);
        this.executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_PENDING), r -> {
            Thread t = new Thread(r, "sockeye-jwks-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        // Download at start so the first handshakes already find the keys in memory.
        executor.execute(() -> {
            try {
                cache.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), clock.millis(), null);
            } catch (KeySourceException | RuntimeException e) {
                log.warn("JWKS {} not available at start ({}); will retry when a token arrives", url, e.toString());
            }
        });
    }

    @Override
    public Set<JWSAlgorithm> algorithms() {
        return ALGORITHMS;
    }

    @Override
    public CompletableFuture<List<Key>> keysFor(JWSHeader header) {
        long now = clock.millis();
        Snapshot s = snapshot;
        if (s != null && now < s.cachedAt() + timeToLive) {
            List<Key> keys = select(s.set(), header);
            if (!keys.isEmpty()) {
                if (now >= s.cachedAt() + timeToLive - refreshAhead) {
                    refreshAhead(s, now);
                }
                return CompletableFuture.completedFuture(keys);
            }
        }
        CompletableFuture<List<Key>> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(load(header));
                } catch (RuntimeException e) {
                    result.completeExceptionally(AuthException.from(e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new AuthException("signing keys unavailable", e));
        }
        return result;
    }

    /** Runs on the resolver's threads: may download. */
    private List<Key> load(JWSHeader header) {
        long now = clock.millis();
        JWKSet set;
        try {
            set = cache.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, null);
        } catch (RateLimitReachedException e) {
            // Downloads were spent (maybe on made-up kids) just as the cache expired: the set from a
            // moment ago is still good, so tokens with known keys keep working.
            Snapshot s = snapshot;
            if (s == null) {
                throw new AuthException("signing keys unavailable", e);
            }
            set = s.set();
        } catch (KeySourceException e) {
            throw new AuthException("signing keys unavailable", e);
        }
        List<Key> keys = select(set, header);
        if (keys.isEmpty()) {
            // An unknown kid usually means the issuer rotated its keys: download again, once, within the rate limit.
            try {
                keys = select(cache.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(set), now, null), header);
            } catch (KeySourceException e) {
                log.debug("JWKS {} refresh for an unknown key failed: {}", url, e.toString());
            }
        }
        return keys;
    }

    /** Starts a background download before the cache expires, at most once per rate-limit interval. */
    private void refreshAhead(Snapshot s, long now) {
        if (now - lastRefreshAhead < minRefreshInterval || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastRefreshAhead = now;
        try {
            executor.execute(() -> {
                try {
                    cache.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(s.set()), clock.millis(), null);
                } catch (KeySourceException | RuntimeException e) {
                    log.debug("JWKS {} refresh ahead of expiry failed: {}", url, e.toString());
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.set(false);
        }
    }

    /** The usable keys of {@code set} that fit the header, converted once per set the cache takes. */
    private List<Key> select(JWKSet set, JWSHeader header) {
        Snapshot s = snapshot;
        return JwksKeys.select(set, s != null && s.set() == set ? s.javaKeys() : JwksKeys.usable(set), header);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            cache.close();
        } catch (IOException e) {
            log.debug("closing JWKS source", e);
        }
    }

    /** Sits just below the cache, so it sees exactly the sets the cache takes, at the time it takes them. */
    private final class Recorder implements JWKSetSource<SecurityContext> {
        private final JWKSetSource<SecurityContext> next;

        Recorder(JWKSetSource<SecurityContext> next) {
            this.next = next;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
                throws KeySourceException {
            JWKSet set = next.getJWKSet(refresh, currentTime, context);
            Snapshot previous = snapshot;
            Map<JWK, Key> javaKeys = previous != null && previous.set() == set ? previous.javaKeys() : JwksKeys.usable(set);
            snapshot = new Snapshot(set, currentTime, javaKeys);
            return set;
        }

        @Override
        public void close() throws IOException {
            next.close();
        }
    }
}
