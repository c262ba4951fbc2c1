package io.sockeye.server.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard logins: random 256-bit tokens carried by an HttpOnly cookie, each valid for
 * {@link #ttl}. In memory (a restart logs everybody out) and bounded: past {@link #MAX_SESSIONS} the
 * expired ones are swept, then the new login is refused room by forgetting an arbitrary one.
 * Thread-safe.
 */
final class AdminSessions {

    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    AdminSessions(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    /** A new session's token. */
    String create() {
        if (expiries.size() >= MAX_SESSIONS) {
            sweep();
            Iterator<String> oldest = expiries.keySet().iterator();
            while (expiries.size() >= MAX_SESSIONS && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(token, clock.millis() + ttl.toMillis());
        return token;
    }

    /** Whether {@code token} is a live session; an expired one is forgotten. */
    boolean valid(String token) {
        if (token == null) {
            return false;
        }
        Long expiry = expiries.get(token);
        if (expiry == null) {
            return false;
        }
        if (expiry <= clock.millis()) {
            expiries.remove(token);
            return false;
        }
        return true;
    }

    void remove(String token) {
        if (token != null) {
            expiries.remove(token);
        }
    }

    private void sweep() {
        long now = clock.millis();
        expiries.values().removeIf(expiry -> expiry <= now);
    }
}
