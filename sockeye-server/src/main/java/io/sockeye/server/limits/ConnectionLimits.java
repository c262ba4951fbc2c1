package io.sockeye.server.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per client IP and per user, enforcing {@code maxConnectionsPerIp} and
 * {@code maxConnectionsPerUser}. A connection takes its slots while it is being accepted
 * ({@link #tryAcquire}), so two handshakes racing on different event loops cannot both take the last
 * slot, and gives them back exactly once ({@link Slot#release()}). Thread-safe; counters of keys that
 * drop to zero are removed, so memory follows the open connections.
 */
public final class ConnectionLimits {

    private final int maxPerIp;
    private final int maxPerUser;
    private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();

    public ConnectionLimits(LimitsSettings limits) {
        this.maxPerIp = limits.maxConnectionsPerIp();
        this.maxPerUser = limits.maxConnectionsPerUser();
    }

    /**
     * Takes one slot for {@code ip} and, when {@code user} is not null, one for the user; takes nothing
     * when a limit is reached.
     */
    public Attempt tryAcquire(String ip, String user) {
        String ipKey = ip == null ? "" : ip;
        if (!increment(perIp, ipKey, maxPerIp)) {
            return new Attempt(null, RejectionReason.CONNECTIONS_PER_IP);
        }
        if (user != null && !increment(perUser, user, maxPerUser)) {
            decrement(perIp, ipKey);
            return new Attempt(null, RejectionReason.CONNECTIONS_PER_USER);
        }
        return new Attempt(new Slot(ipKey, user), null);
    }

    /** The outcome of {@link #tryAcquire}: a slot, or the limit that refused it. */
    public record Attempt(Slot slot, RejectionReason refusal) {
        public boolean acquired() {
            return slot != null;
        }
    }

    public int connectionsOfIp(String ip) {
        return perIp.getOrDefault(ip, 0);
    }

    public int connectionsOfUser(String user) {
        return perUser.getOrDefault(user, 0);
    }

    private static boolean increment(ConcurrentHashMap<String, Integer> counts, String key, int max) {
        boolean[] ok = {false};
        counts.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            ok[0] = true;
            return current + 1;
        });
        return ok[0];
    }

    private static void decrement(ConcurrentHashMap<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** The slots one connection holds; {@link #release()} is idempotent. */
    public final class Slot {
        private final String ip;
        private final String user;
        private boolean released;

        private Slot(String ip, String user) {
            this.ip = ip;
            this.user = user;
        }

        public synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            decrement(perIp, ip);
            if (user != null) {
                decrement(perUser, user);
            }
        }
    }
}
