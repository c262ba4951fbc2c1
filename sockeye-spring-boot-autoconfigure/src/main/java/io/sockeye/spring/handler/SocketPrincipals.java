package io.sockeye.spring.handler;

import io.sockeye.core.Socket;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The principal each connected socket authenticated as. Kept beside the socket rather than in
 * {@code socket.data()}, which cluster adapters serialize for other nodes. Entries leave with their socket.
 */
public final class SocketPrincipals {

    private final Map<Socket, Principal> bySocket = new ConcurrentHashMap<>();

    /** Records {@code socket}'s principal until it disconnects. */
    public void put(Socket socket, Principal principal) {
        bySocket.put(socket, principal);
        socket.onDisconnect(reason -> bySocket.remove(socket));
    }

    /** The socket's principal, or {@code null} (anonymous, or no authenticator). */
    public Principal get(Socket socket) {
        return bySocket.get(socket);
    }

    /** Sockets with a principal now (tests, diagnostics). */
    public int size() {
        return bySocket.size();
    }
}
