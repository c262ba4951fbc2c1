package io.sockeye.server.gateway.forward;

import io.sockeye.server.auth.Glob;

import java.util.ArrayList;
import java.util.List;

/** Room patterns and their destinations (topics, streams): the first pattern matching a room decides. */
final class RoomRoutes {

    private record Compiled(Glob glob, String destination) {
    }

    private final List<Compiled> routes;

    RoomRoutes(List<ForwardSettings.Route> routes) {
        List<Compiled> compiled = new ArrayList<>();
        for (ForwardSettings.Route r : routes) {
            compiled.add(new Compiled(Glob.compile(r.pattern()), r.destination()));
        }
        this.routes = List.copyOf(compiled);
    }

    /** Patterns alone, each going to the same place ({@code destination} is then unused). */
    static RoomRoutes patterns(List<String> patterns) {
        return new RoomRoutes(patterns.stream().map(p -> new ForwardSettings.Route(p, p)).toList());
    }

    /** The destination of {@code room}, or {@code null} when no pattern matches. */
    String destination(String room) {
        for (Compiled c : routes) {
            if (c.glob().matches(room)) {
                return c.destination();
            }
        }
        return null;
    }
}
