package io.sockeye.core.adapter;

/**
 * The counters of one node's cluster bus (see {@link ClusterBusStatus#stats()}), named alike for every
 * backend. The counts only grow. What {@link ClusterAdapter} already reports to the metrics per message
 * type (published, received from other nodes, publish failures, request timeouts) is the adapters'
 * view; these are the bus's.
 *
 * @param published         messages the bus accepted from this node: broadcasts, requests, responses,
 *                          heartbeats
 * @param publishErrors     messages the bus did not take: unreachable, its buffer full, or a value that
 *                          could not be serialised (heartbeats skipped while disconnected not counted)
 * @param received          messages the bus delivered to this node, its own included where the bus
 *                          echoes them
 * @param receiveErrors     delivered messages dropped unread: not a cluster message (undecodable), or
 *                          discarded by the client library because this node did not keep up
 * @param reconnects        times a lost connection to the bus was re-established
 * @param roomSubscriptions room channels or subjects subscribed right now (the backends' dynamic
 *                          subscription modes), over all namespaces; 0 when every room shares one
 */
public record ClusterBusStats(long published, long publishErrors, long received, long receiveErrors,
                              long reconnects, int roomSubscriptions) {

    /** Nothing counted: a node without a bus. */
    public static final ClusterBusStats NONE = new ClusterBusStats(0, 0, 0, 0, 0, 0);
}
