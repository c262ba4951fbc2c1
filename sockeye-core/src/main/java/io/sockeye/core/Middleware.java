package io.sockeye.core;

/**
 * Runs for every socket connecting to a namespace, before it is connected, in the order
 * registered ({@link Namespace#use(Middleware)}). Throwing is the same as
 * {@code next.reject(exception)}.
 *
 * <pre>{@code
 * io.of("/chat").use((socket, next) -> {
 *     if (valid(socket.handshake().auth())) next.proceed();
 *     else next.reject(new ConnectError("not authorized", Map.of("reason", "bad token")));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {
    void handle(Socket socket, Next next) throws Exception;
}
