package io.sockeye.server.http;

/**
 * A part of the standalone server reached over HTTP (the HTTP API, the dashboard, the health probes,
 * {@code /metrics}, the demo page's files): it says which paths it answers by registering them on an
 * {@link HttpRouter}, and never matches paths itself.
 */
@FunctionalInterface
public interface HttpFeature {

    /** Registers this feature's routes. */
    void registerRoutes(HttpRouter.Builder routes);
}
