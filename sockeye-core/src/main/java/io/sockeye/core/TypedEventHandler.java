package io.sockeye.core;

/**
 * Handles an event whose first argument is mapped to {@code T} with the server's Jackson object
 * mapper ({@code null} when the event has no arguments). For several arguments use
 * {@link EventHandler} with {@link Args#as(int, Class)} or {@link Args#all(Class)}.
 *
 * @param <T> the POJO or record type of the first argument
 */
@FunctionalInterface
public interface TypedEventHandler<T> {
    void handle(T value, Ack ack) throws Exception;
}
