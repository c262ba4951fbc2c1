package io.sockeye.server.gateway.forward;

import java.util.concurrent.CompletableFuture;

/**
 * One broker that client events are forwarded to. Contract:
 * <ol>
 *   <li>{@link #send} completes normally only once the broker has accepted the event (Kafka: acknowledged by
 *       the partition's in-sync replicas; NATS: JetStream's publish acknowledgement; Redis: the {@code XADD}
 *       reply), and exceptionally when it did not or cannot say;</li>
 *   <li>it never blocks the caller (an event loop may call it); waiting is done off the caller's thread;</li>
 *   <li>an event it fails may still reach the broker later (at-least-once: consumers de-duplicate by the
 *       event's id); an event it completes is never lost by the gateway.</li>
 * </ol>
 */
public interface Forwarder extends AutoCloseable {

    /** {@code kafka}, {@code nats} or {@code redis}: the {@code broker} label of the metrics. */
    String name();

    /** Whether publishes to {@code room} go to this broker. */
    boolean forwardsRoom(String room);

    /** Whether rpc calls go to this broker. */
    boolean forwardsRpc();

    /** Sends a publish to a room it {@linkplain #forwardsRoom forwards}, or an rpc when it {@linkplain #forwardsRpc forwards those}. */
    CompletableFuture<Void> send(ForwardedEvent event);

    /** Whether the broker is reachable right now (for logs; {@link #send} decides per event). */
    boolean connected();

    @Override
    void close();
}
