package io.sockeye.core;

import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a socket returned by {@code fetchSockets()}, possibly living on another node of the
 * cluster. Its actions go through the namespace's adapter, so they reach the socket wherever it is.
 */
public interface RemoteSocket {

    String id();

    Handshake handshake();

    /** The rooms at the time of the fetch. */
    Set<String> rooms();

    /** The socket's {@link Socket#data()} at the time of the fetch. */
    Map<String, Object> data();

    void emit(String event, Object... args);

    void join(String... rooms);

    void leave(String... rooms);

    /** Disconnects the socket; with {@code close} its whole connection. */
    void disconnect(boolean close);
}
