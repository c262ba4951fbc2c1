package io.sockeye.tests.gateway;

import io.socket.client.Socket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Java clients of the gateway end-to-end tests. */
final class GatewayClients {

    private GatewayClients() {
    }

    /** Connects {@code socket} and waits up to {@code waitSeconds} for its CONNECT; a connect_error fails. */
    static Socket connected(Socket socket, long waitSeconds) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        socket.once(Socket.EVENT_CONNECT, a -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, a -> connected.completeExceptionally(new AssertionError(a[0])));
        socket.connect();
        connected.get(waitSeconds, TimeUnit.SECONDS);
        return socket;
    }
}
