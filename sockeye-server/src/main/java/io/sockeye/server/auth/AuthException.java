package io.sockeye.server.auth;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A token was refused. {@link #reason()} is a short, stable, lower-case phrase meant for the client
 * (it becomes the {@code data} of the {@code connect_error}) and for metrics labels, for example
 * {@code "token expired"}, {@code "invalid signature"}, {@code "algorithm not allowed"},
 * {@code "missing token"}, {@code "wrong audience"}. The reasons are listed in {@link TokenVerifier}.
 *
 * <p>It never carries key material or the token itself, so it is safe to send to the client and to log.
 */
public final class AuthException extends RuntimeException {

    private final String reason;

    public AuthException(String reason) {
        this(reason, null);
    }

    public AuthException(String reason, Throwable cause) {
        // No stack trace for the expected case: refused tokens are normal traffic, not bugs.
        super(reason, cause, false, cause != null);
        this.reason = reason;
    }

    /** The reason the token was refused, e.g. {@code "token expired"}. */
    public String reason() {
        return reason;
    }

    /**
     * The {@link AuthException} behind a failed verification, unwrapping the
     * {@link CompletionException}/{@link ExecutionException} layers that {@code CompletableFuture}
     * adds; anything else (a bug) becomes {@code "token verification failed"}.
     */
    public static AuthException from(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof AuthException auth ? auth : new AuthException("token verification failed", t);
    }
}
