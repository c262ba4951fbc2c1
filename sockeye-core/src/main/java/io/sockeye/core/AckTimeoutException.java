package io.sockeye.core;

import java.util.List;

/**
 * An acknowledgement did not arrive in time. For a broadcast with acknowledgements,
 * {@link #replies()} holds the replies that did arrive before the deadline.
 */
public class AckTimeoutException extends RuntimeException {

    private final transient List<Args> replies;

    public AckTimeoutException(String message) {
        this(message, List.of());
    }

    public AckTimeoutException(String message, List<Args> replies) {
        super(message, null, false, false);
        this.replies = List.copyOf(replies);
    }

    /** The replies received before the timeout (empty for a single-socket emit). */
    public List<Args> replies() {
        return replies;
    }
}
