/**
 * The standalone server's rooms service: the client protocol over Socket.IO events on namespace
 * {@code /} (subscribe, unsubscribe, publish, presence, refresh), handshake authentication and the
 * per-connection limits. Entry point: {@link io.sockeye.server.rooms.RoomsService}.
 */
package io.sockeye.server.rooms;
