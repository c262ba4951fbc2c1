package io.sockeye.core.recovery;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node-local session store: a concurrent map from pid to record with an expiry time. Implements
 * every obligation of {@link SessionStore}; each operation completes before it returns. Expired
 * records are never claimed and are dropped by {@link #sweep()} (or replaced by a later write).
 */
public final class InMemorySessionStore implements SessionStore {

    private static final CompletableFuture<Boolean> TRUE = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> FALSE = CompletableFuture.completedFuture(false);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Clock clock;
    private final ConcurrentHashMap<String, Stored> records = new ConcurrentHashMap<>();

    private record Stored(SessionRecord record, long expiresAt) {
        boolean expired(long now) {
            return now >= expiresAt;
        }
    }

    public InMemorySessionStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private long expiry(Duration ttl) {
        return ttl == null ? Long.MAX_VALUE : clock.millis() + ttl.toMillis();
    }

    @Override
    public CompletableFuture<Void> save(SessionRecord record, Duration ttl) {
        records.put(record.pid(), new Stored(record, expiry(ttl)));
        return DONE;
    }

    @Override
    public CompletableFuture<Boolean> update(SessionRecord record, Duration ttl) {
        long now = clock.millis();
        boolean[] updated = {false};
        records.computeIfPresent(record.pid(), (pid, stored) -> {
            if (stored.expired(now) || !stored.record().incarnation().equals(record.incarnation())) {
                return stored;
            }
            updated[0] = true;
            return new Stored(record, expiry(ttl));
        });
        return updated[0] ? TRUE : FALSE;
    }

    @Override
    public CompletableFuture<SessionClaim> claim(String pid) {
        Stored stored = records.remove(pid);
        if (stored == null) {
            return CompletableFuture.completedFuture(SessionClaim.unknown());
        }
        if (stored.expired(clock.millis())) {
            return CompletableFuture.completedFuture(SessionClaim.expired());
        }
        return CompletableFuture.completedFuture(SessionClaim.of(stored.record()));
    }

    @Override
    public CompletableFuture<Boolean> delete(String pid, String incarnation) {
        boolean[] deleted = {false};
        records.computeIfPresent(pid, (key, stored) -> {
            if (stored.record().incarnation().equals(incarnation)) {
                deleted[0] = true;
                return null;
            }
            return stored;
        });
        return deleted[0] ? TRUE : FALSE;
    }

    @Override
    public CompletableFuture<Void> touch(Collection<String> pids, Duration ttl) {
        long now = clock.millis();
        long expiresAt = expiry(ttl);
        for (String pid : pids) {
            records.computeIfPresent(pid, (key, stored) ->
                    stored.expired(now) ? stored : new Stored(stored.record(), Math.max(stored.expiresAt(), expiresAt)));
        }
        return DONE;
    }

    /** Drops expired records. */
    public void sweep() {
        long now = clock.millis();
        records.values().removeIf(stored -> stored.expired(now));
    }

    /** Number of records held (expired ones not yet swept included). */
    public int size() {
        return records.size();
    }

    /** The record of {@code pid} as stored (expired or not), for tests and tools; {@code null} if none. */
    public SessionRecord peek(String pid) {
        Stored stored = records.get(pid);
        return stored == null ? null : stored.record();
    }

    @Override
    public void close() {
        records.clear();
    }
}
