package io.sockeye.server.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * The one check of the admin password, shared by every way of presenting it (the dashboard's login form,
 * the Admin UI's CONNECT auth), so that guesses by one way count against the others:
 *
 * <ol>
 *   <li>the {@link LoginThrottle} takes the attempt, per address and globally, or refuses it at once
 *       ({@link Outcome#THROTTLED});</li>
 *   <li>the password is checked on a small executor of its own ({@value #THREADS} threads, at most
 *       {@value #QUEUE} attempts waiting), never on an event loop: a bcrypt check costs tens of
 *       milliseconds, and other clients of that loop would wait as long. Past the queue the attempt is
 *       refused at once ({@link Outcome#BUSY}) rather than queued without bound;</li>
 *   <li>the future completes on that executor's thread: callers hop back to their connection's event
 *       loop (the core's middleware chain and Netty's {@code writeAndFlush} do).</li>
 * </ol>
 *
 * Refusals are logged at most once per {@value #LOG_INTERVAL_MILLIS} ms, with the count of those left
 * out, so that a guessing flood cannot flood the log. {@link #close()} stops the executor.
 */
public final class AdminLogin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminLogin.class);

    /** Threads checking passwords: two bcrypt checks at a time are plenty for people logging in. */
    static final int THREADS = 2;
    /** Attempts waiting for a thread; past it {@link Outcome#BUSY}. */
    static final int QUEUE = 16;
    static final long LOG_INTERVAL_MILLIS = 10_000;

    private static final AtomicInteger POOLS = new AtomicInteger();

    /** What became of one attempt. */
    public enum Outcome {
        /** The password is right. */
        ACCEPTED,
        /** The password (or user name) is wrong. */
        REFUSED,
        /** Too many failed attempts from this address, or from everywhere: refused without checking. */
        THROTTLED,
        /** Too many attempts being checked already: refused without checking. */
        BUSY
    }

    private final AdminCredentials credentials;
    private final BiPredicate<String, String> matcher;
    private final LoginThrottle throttle;
    private final ThreadPoolExecutor executor;
    private final Clock clock;
    private long lastLogged = Long.MIN_VALUE;
    private int unlogged;

    AdminLogin(AdminCredentials credentials, BiPredicate<String, String> matcher, LoginThrottle throttle, Clock clock,
               int threads, int queue) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.matcher = matcher;
        this.throttle = throttle;
        this.clock = clock;
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "sockeye-admin-password-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true); // no threads while nobody logs in
    }

    /** The check of {@code credentials} with the default throttle and executor, on the system clock. */
    public static AdminLogin of(AdminCredentials credentials) {
        return of(credentials, Clock.systemUTC());
    }

    static AdminLogin of(AdminCredentials credentials, Clock clock) {
        return new AdminLogin(credentials, credentials::matches, new LoginThrottle(clock), clock, THREADS, QUEUE);
    }

    public AdminCredentials credentials() {
        return credentials;
    }

    /**
     * Checks a password presented from {@code address}; completes on the checker's thread, or at once
     * when the attempt is refused without checking.
     *
     * @param via      how it was presented, for the log ("dashboard", "Admin UI")
     * @param username the user name sent, or {@code null}
     * @param password the password sent, or {@code null} (a failed attempt)
     */
    public CompletableFuture<Outcome> check(String address, String via, String username, String password) {
        if (!throttle.tryAttempt(address)) {
            refused(address, via, Outcome.THROTTLED);
            return CompletableFuture.completedFuture(Outcome.THROTTLED);
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            executor.execute(() -> result.complete(verify(address, via, username, password)));
        } catch (RejectedExecutionException e) {
            throttle.cancelled(address);
            refused(address, via, Outcome.BUSY);
            result.complete(Outcome.BUSY);
        }
        return result;
    }

    private Outcome verify(String address, String via, String username, String password) {
        boolean ok;
        try {
            ok = matcher.test(username, password);
        } catch (RuntimeException e) {
            log.debug("admin password check failed", e);
            ok = false;
        }
        if (ok) {
            throttle.succeeded(address);
            return Outcome.ACCEPTED;
        }
        refused(address, via, Outcome.REFUSED);
        return Outcome.REFUSED;
    }

    private void refused(String address, String via, Outcome outcome) {
        int skipped;
        synchronized (this) {
            long now = clock.millis();
            if (lastLogged != Long.MIN_VALUE && now - lastLogged < LOG_INTERVAL_MILLIS) {
                unlogged++;
                return;
            }
            lastLogged = now;
            skipped = unlogged;
            unlogged = 0;
        }
        String why = switch (outcome) {
            case THROTTLED -> "too many failed attempts";
            case BUSY -> "too many attempts at once";
            default -> "wrong password";
        };
        if (skipped == 0) {
            log.info("{} login refused from {}: {}", via, address, why);
        } else {
            log.info("{} login refused from {}: {} ({} more admin password refusals since the previous such line)",
                    via, address, why, skipped);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "AdminLogin[" + credentials + "]";
    }
}
