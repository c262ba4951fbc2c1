package io.sockeye.core;

/**
 * Handles one event received by a socket (or, on a namespace, an event from another server).
 * Exceptions are caught and logged with the event name and socket id; the connection stays up.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Args args, Ack ack) throws Exception;
}
