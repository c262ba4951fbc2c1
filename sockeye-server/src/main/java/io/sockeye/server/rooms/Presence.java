package io.sockeye.server.rooms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in a room: {@code count} connections, of which the authenticated ones are grouped by user in
 * {@code members} (anonymous connections count in {@code count} only). Members are sorted by user id.
 */
public record Presence(String room, int count, List<Member> members) {

    public Presence {
        members = List.copyOf(members);
    }

    /**
     * One user in the room and how many of its connections are; {@code data} is what the connect backend
     * said about the user ({@code null}: nothing, and the reply leaves it out).
     */
    public record Member(String user, int connections, Object data) {
        public Member(String user, int connections) {
            this(user, connections, null);
        }
    }

    /** The {@code presence} reply: {@code {ok: true, room, count, members: [{user, connections}]}}. */
    public Map<String, Object> toReply() {
        List<Map<String, Object>> list = new ArrayList<>(members.size());
        for (Member m : members) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("user", m.user());
            entry.put("connections", m.connections());
            if (m.data() != null) {
                entry.put("data", m.data());
            }
            list.add(entry);
        }
        return Replies.ok("room", room, "count", count, "members", list);
    }
}
