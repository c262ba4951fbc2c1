package io.sockeye.spring.autoconfigure;

import io.sockeye.core.ServerOptions;

/**
 * Adjusts the {@link ServerOptions} the starter builds from {@code sockeye.*} before the server is
 * created: an {@code allowRequest} hook, cookies, any option without a property. Beans of this type are
 * applied in {@code @Order} order.
 */
@FunctionalInterface
public interface SocketIoServerCustomizer {

    void customize(ServerOptions.Builder options);
}
