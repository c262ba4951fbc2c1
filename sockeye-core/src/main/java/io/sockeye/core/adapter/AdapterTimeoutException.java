package io.sockeye.core.adapter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A cluster request (fetchSockets, serverSideEmitWithAck, broadcast with acks) did not get every
 * expected response in time.
 *
 * <p>Partial-result policy: like socket.io, the request fails; unlike socket.io, the responses that
 * did arrive are not lost: {@link #partialResults()} holds them (for fetchSockets the
 * {@link SocketDetails} of this node and of the nodes that answered; for serverSideEmitWithAck the
 * replies received; for a broadcast with acks the client replies received).
 */
public final class AdapterTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Object> partialResults;
    private final int missingResponses;

    public AdapterTimeoutException(String message, List<?> partialResults, int missingResponses) {
        super(message, null, false, false);
        // Replies may be null (a node may answer with no value), so no List.copyOf.
        this.partialResults = Collections.unmodifiableList(new ArrayList<>(partialResults));
        this.missingResponses = missingResponses;
    }

    /** The results gathered before the deadline (immutable). */
    public List<Object> partialResults() {
        return partialResults;
    }

    /** How many responses (nodes, or clients for a broadcast with acks) were still missing. */
    public int missingResponses() {
        return missingResponses;
    }
}
