package io.sockeye.server.rooms;

/** A room and its number of connections, as {@code GET /api/rooms} lists them. */
public record RoomCount(String room, int count) {
}
