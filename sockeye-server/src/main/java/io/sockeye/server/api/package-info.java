/**
 * The HTTP API for backends under {@code /api/} (publish, broadcast, disconnect, rooms, presence,
 * stats), authenticated with a bearer API key. Entry point: {@link io.sockeye.server.api.HttpApi}, a
 * transport fallback.
 */
package io.sockeye.server.api;
