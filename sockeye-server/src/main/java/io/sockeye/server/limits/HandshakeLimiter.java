package io.sockeye.server.limits;

import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HandshakeFilter;

import java.time.Clock;

/**
 * Caps new Engine.IO sessions per second, for the whole node ({@code handshakesPerSecond}) and per
 * client IP ({@code handshakesPerSecondPerIp}), so a reconnect storm cannot take the server down
 * (docs/configuration.md, "Limits": 503 past it). Past a cap the handshake is answered
 * {@code 503 {"ok":false,"error":{"code":"unavailable",...}}} with {@code Retry-After} in seconds; socket.io
 * clients treat that as a failed attempt and retry with their backoff. Requests of existing sessions are
 * never limited here.
 *
 * <p>The per-IP check runs first, so one noisy address spends its own budget before the node's.
 * Runs on the event loop: constant time, no blocking. Buckets allow bursts as large as their rate.
 */
public final class HandshakeLimiter implements HandshakeFilter {

    private final TokenBucket global;
    private final KeyedRateLimiter perIp;
    private final Stats stats;

    public HandshakeLimiter(LimitsSettings limits, Clock clock) {
        this(limits, clock, new Stats());
    }

    /** @param stats where rejections are counted (share the rooms service's {@code stats()}) */
    public HandshakeLimiter(LimitsSettings limits, Clock clock, Stats stats) {
        this.global = new TokenBucket(limits.handshakesPerSecond(), Math.max(1, limits.handshakesPerSecond()), clock);
        this.perIp = new KeyedRateLimiter(limits.handshakesPerSecondPerIp(), limits.handshakesPerSecondPerIp(), clock);
        this.stats = stats;
    }

    @Override
    public Rejection check(RequestInfo request) {
        String ip = request.remoteAddress() == null ? "" : request.remoteAddress();
        if (!perIp.tryTake(ip)) {
            stats.rejected(RejectionReason.HANDSHAKE_RATE_IP);
            return reject("too many new connections from this address", perIp.millisUntilNextToken(ip));
        }
        if (!global.tryTake()) {
            stats.rejected(RejectionReason.HANDSHAKE_RATE_GLOBAL);
            return reject("too many new connections, try again later", global.millisUntilNextToken());
        }
        return null;
    }

    public Stats stats() {
        return stats;
    }

    private static Rejection reject(String message, long waitMillis) {
        int retryAfter = (int) Math.max(1, Math.min(60, (waitMillis + 999) / 1000));
        String body = "{\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"" + message + "\"}}";
        return new Rejection(503, body, retryAfter);
    }
}
