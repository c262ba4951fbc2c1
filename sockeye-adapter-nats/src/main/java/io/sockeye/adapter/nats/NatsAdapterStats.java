package io.sockeye.adapter.nats;

/**
 * Counters of one {@link NatsAdapterFactory} (one node, all its namespaces), since it was created; a
 * snapshot, for metrics. Counters only grow.
 *
 * @param connected             whether the NATS connection is up right now (for readiness checks)
 * @param messagesPublished     cluster messages handed to NATS (heartbeats and responses included)
 * @param broadcastsPublished   of which broadcasts
 * @param messagesReceived      cluster messages received and decoded (this node's own echoes included)
 * @param broadcastsReceived    of which broadcasts from other nodes
 * @param publishFailures       messages not sent, mostly {@link NatsUnavailableException} during an outage
 *                              (heartbeats skipped while disconnected are not counted)
 * @param receiveFailures       received messages that could not be decoded, or that NATS dropped because
 *                              this node did not keep up (slow consumer)
 * @param requestTimeouts       fetchSockets / serverSideEmitWithAck / broadcasts with acks that timed out
 * @param reconnects            times the connection came back after a loss
 * @param roomSubscriptions     room subjects subscribed right now (dynamic mode), over all namespaces
 */
public record NatsAdapterStats(boolean connected, long messagesPublished, long broadcastsPublished,
                               long messagesReceived, long broadcastsReceived, long publishFailures,
                               long receiveFailures, long requestTimeouts, long reconnects,
                               int roomSubscriptions) {
}
