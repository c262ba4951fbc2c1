package io.sockeye.core;

/**
 * Runs for every event a socket receives, before its handlers, in the order registered
 * ({@link Socket#use(PacketMiddleware)}). A rejection (or a thrown exception) drops the event, is
 * logged, and is reported to the socket's {@link Socket#onError} handler; nothing is sent to the
 * client.
 */
@FunctionalInterface
public interface PacketMiddleware {
    void handle(String event, Args args, Next next) throws Exception;
}
