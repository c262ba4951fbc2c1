/**
 * The HTTP API for backends under {@code /api/} (publish, broadcast, disconnect, rooms, presence,
 * stats), authenticated with a bearer API key. Entry point: {@link io.sockeye.server.api.HttpApi}, which
 * registers the prefix {@code /api} on the server's {@link io.sockeye.server.http.HttpRouter}.
 */
package io.sockeye.server.api;
