package io.sockeye.adapter.redis;

import io.sockeye.core.adapter.ClusterUnavailableException;

/**
 * A cluster operation failed at once because Redis cannot be reached (the connection is down and
 * being re-established, or too many commands are already waiting, or Redis did not answer within
 * the command timeout). Nothing was queued: the message is not sent later. Local delivery is not
 * affected. Callers that do not care which bus it is catch {@link ClusterUnavailableException}.
 */
public final class RedisUnavailableException extends ClusterUnavailableException {

    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
