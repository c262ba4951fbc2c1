package io.sockeye.server.rooms;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.Args;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;
import io.sockeye.protocol.socket.SocketPacketType;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.Principal;
import io.sockeye.server.auth.RoomGrants;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a client sends as a request, the rooms service reads a well-formed request or refuses it with
 * {@code invalid} or {@code too_large}; the permission checks and the reply that follow never throw.
 * The input is the text of a Socket.IO EVENT packet after its type, e.g.
 * {@code ["publish",{"room":"r","event":"e","data":1}]}, decoded by the protocol's own decoder as the
 * core does before the service sees its arguments. Allocation stays in proportion to the packet.
 */
class RoomsRequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PAYLOAD_BYTES = 1024;
    private static final Permissions RULES = new Permissions(List.of(
            new RoomRule("chat:*", Access.ANYONE, Access.AUTHENTICATED, Access.ANYONE, true),
            new RoomRule("user:{sub}", Access.OWNER, Access.NONE, Access.OWNER, false),
            new RoomRule("?ecret*", Access.NONE, Access.NONE, Access.NONE, false)), false);
    private static final Permissions ANONYMOUS = new Permissions(List.of(), true);
    private static final List<Principal> PRINCIPALS = List.of(Principal.anonymous(),
            new Principal("alice", new RoomGrants(List.of("team:{sub}:*", "*"), List.of("news"), List.of("chat:*"))),
            new Principal("{sub}*?", RoomGrants.none()));

    @FuzzTest
    void clientRequest(byte[] input) {
        FuzzContract.boundedAllocation(input.length, 64, () -> request(input));
    }

    private static void request(byte[] input) {
        SocketPacket packet;
        try {
            packet = new SocketPacketDecoder().decodeText("2" + new String(input, StandardCharsets.UTF_8));
        } catch (ProtocolException e) {
            return; // the connection's answer to a malformed packet; the rooms service never sees it
        }
        if (packet.type() != SocketPacketType.EVENT || packet.args().isEmpty()
                || !(packet.args().get(0) instanceof String event) || !ClientRequests.REQUESTS.contains(event)) {
            return;
        }
        Args args = Args.of(packet.args().subList(1, packet.args().size()), JSON);
        Map<String, Object> reply;
        try {
            RoomsRequest request = RoomsRequest.parse(event, args, MAX_PAYLOAD_BYTES);
            String room = request.room();
            if (room != null) {
                assertThat(Names.isValidRoom(room)).isTrue();
                for (Permissions permissions : List.of(RULES, ANONYMOUS)) {
                    for (Principal principal : PRINCIPALS) {
                        permissions.canSubscribe(principal, room);
                        permissions.canPublish(principal, room);
                        permissions.canSeePresence(principal, room);
                    }
                    permissions.presenceEnabled(room);
                }
            }
            reply = Replies.ok("room", room);
        } catch (RoomsException e) {
            assertThat(e.code()).isIn(ErrorCode.INVALID, ErrorCode.TOO_LARGE);
            assertThat(e.getMessage()).isNotEmpty().hasSizeLessThan(400); // never echoes the payload
            reply = Replies.error(e);
        }
        try {
            assertThat(JSON.writeValueAsString(reply)).startsWith("{\"ok\":");
        } catch (JsonProcessingException e) {
            throw new AssertionError("the reply must encode", e);
        }
    }
}
