package io.sockeye.core;

/**
 * The acknowledgement callback of one received event. When the client asked for an
 * acknowledgement ({@link #requested()}), the first {@link #send(Object...)} answers it with an
 * ACK (or BINARY_ACK) packet carrying the same id; later calls are ignored. When it did not ask,
 * {@code send} does nothing.
 *
 * <p>May be called from any thread, at any later time (the socket must still be connected for the
 * reply to go out).
 */
public interface Ack {

    /** Replies with {@code args}; only the first call per event has an effect. */
    void send(Object... args);

    /** Whether the client asked for an acknowledgement. */
    boolean requested();
}
