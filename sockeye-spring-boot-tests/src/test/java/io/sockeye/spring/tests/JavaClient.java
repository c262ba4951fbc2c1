package io.sockeye.spring.tests;

import io.socket.client.IO;
import io.socket.client.Socket;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The Java Socket.IO client ({@code io.socket:socket.io-client}) as the tests use it. */
final class JavaClient implements AutoCloseable {

    final Socket socket;
    /** Completes with the connect_error's message, or with null once connected. */
    final CompletableFuture<String> connected = new CompletableFuture<>();

    private JavaClient(Socket socket) {
        this.socket = socket;
        socket.on(Socket.EVENT_CONNECT, a -> connected.complete(null));
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> connected.complete(String.valueOf(message(a[0]))));
    }

    /** Connects to {@code namespace} of the server on {@code port} with the CONNECT payload {@code auth}. */
    static JavaClient connect(int port, String namespace, Map<String, String> auth, String... transports) {
        io.socket.client.SocketOptionBuilder builder = IO.Options.builder().setReconnection(false).setAuth(auth);
        if (transports.length > 0) {
            builder.setTransports(transports);
        }
        IO.Options options = builder.build();
        JavaClient client = new JavaClient(IO.socket(URI.create("http://127.0.0.1:" + port + namespace), options));
        client.socket.connect();
        return client;
    }

    /** Connects and waits until it is connected. */
    static JavaClient connected(int port, String namespace, Map<String, String> auth, String... transports) throws Exception {
        JavaClient client = connect(port, namespace, auth, transports);
        String error = client.connected.get(30, TimeUnit.SECONDS);
        if (error != null) {
            client.close();
            throw new IllegalStateException("refused: " + error);
        }
        return client;
    }

    /** Emits with an ack and waits for its first argument, as a string (JSON for objects). */
    String call(String event, Object... args) throws Exception {
        CompletableFuture<Object[]> reply = new CompletableFuture<>();
        socket.emit(event, args, reply::complete);
        Object[] values = reply.get(30, TimeUnit.SECONDS);
        return values.length == 0 ? "" : String.valueOf(values[0]);
    }

    private static Object message(Object error) {
        return error instanceof org.json.JSONObject json ? json.opt("message")
                : error instanceof Exception e ? e.getMessage() : error;
    }

    @Override
    public void close() {
        socket.close();
    }
}
