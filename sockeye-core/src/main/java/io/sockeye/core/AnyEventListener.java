package io.sockeye.core;

/** Sees every event of a socket, incoming ({@code onAny}) or outgoing ({@code onAnyOutgoing}). */
@FunctionalInterface
public interface AnyEventListener {
    void handle(String event, Args args) throws Exception;
}
