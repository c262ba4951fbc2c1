package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.Heartbeat;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectsTest {

    private final Subjects subjects = new Subjects("sockeye", "/chat");

    @Test
    void namesSubjectsPerNamespaceNodeAndRoom() {
        assertThat(subjects.all()).isEqualTo("sockeye._2Fchat.all");
        assertThat(subjects.node("fa4dd493d59b8d51")).isEqualTo("sockeye._2Fchat.node.fa4dd493d59b8d51");
        assertThat(subjects.room("lobby")).isEqualTo("sockeye._2Fchat.room.lobby");
        assertThat(new Subjects("app.eu-1", "/").all()).isEqualTo("app.eu-1._2F.all");
    }

    @Test
    void escapesEverythingThatIsSubjectSyntax() {
        assertThat(Subjects.token("a.b")).isEqualTo("a_2Eb");
        assertThat(Subjects.token("*")).isEqualTo("_2A");
        assertThat(Subjects.token(">")).isEqualTo("_3E");
        assertThat(Subjects.token("with space\t")).isEqualTo("with_20space_09");
        assertThat(Subjects.token("_")).isEqualTo("_5F");
        assertThat(Subjects.token("")).isEqualTo("_");
        assertThat(Subjects.token("é")).isEqualTo("_C3_A9");
        assertThat(Subjects.token("Room-42")).isEqualTo("Room-42");
    }

    @Test
    void tokensAreDistinctAndFreeOfSeparatorsWildcardsAndWhitespace() {
        List<String> names = List.of("", "_", "__", "_5F", "_2E", ".", "..", "a.b", "a_2Eb", "a b", "a*", "*", ">",
                "a.>", "é", "_C3_A9", "x".repeat(200), "x".repeat(201), "_h", "-", "a-b");
        Set<String> tokens = new HashSet<>();
        for (String name : names) {
            String token = Subjects.token(name);
            assertThat(token).as(name).isNotEmpty().doesNotContain(".", "*", ">", " ", "\t");
            assertThat(tokens.add(token)).as("token of '%s' is unique", name).isTrue();
        }
    }

    @Test
    void hashesTokensTooLongForTheProtocolLine() {
        String token = Subjects.token("long room ".repeat(50));

        assertThat(token).startsWith("_h").hasSize(2 + 32);
        assertThat(Subjects.token("x".repeat(Subjects.MAX_TOKEN_LENGTH))).isEqualTo("x".repeat(Subjects.MAX_TOKEN_LENGTH));
    }

    @Test
    void recognisesSocketIdRoomsByTheirShape() {
        assertThat(Subjects.isPrivateRoom("AbCdEfGhIjKlMnOpQr-_")).isTrue();
        assertThat(Subjects.isPrivateRoom("AbCdEfGhIjKlMnOpQr-")).isFalse(); // 19 characters
        assertThat(Subjects.isPrivateRoom("AbCdEfGhIjKlMnOpQr.x")).isFalse();
        assertThat(Subjects.isPrivateRoom("lobby")).isFalse();
    }

    @Test
    void dynamicModeSendsSingleRoomBroadcastsToTheRoomSubjectOnly() {
        assertThat(route(SubscriptionMode.DYNAMIC, BroadcastOptions.to(Set.of("lobby")), null))
                .isEqualTo("sockeye._2Fchat.room.lobby");
        // except does not change who may have recipients: only nodes with members of "lobby"
        assertThat(route(SubscriptionMode.DYNAMIC, new BroadcastOptions(Set.of("lobby"), Set.of("vip"), null), null))
                .isEqualTo("sockeye._2Fchat.room.lobby");
    }

    @Test
    void everythingElseGoesToTheNamespaceSubject() {
        String all = subjects.all();
        // several rooms: one message, so that a socket in two of them gets it once
        assertThat(route(SubscriptionMode.DYNAMIC, BroadcastOptions.to(Set.of("a", "b")), null)).isEqualTo(all);
        // a socket id: its node has no subject for it
        assertThat(route(SubscriptionMode.DYNAMIC, BroadcastOptions.to(Set.of("AbCdEfGhIjKlMnOpQr-_")), null)).isEqualTo(all);
        // with acks: every node must report its client count
        BroadcastOptions withTimeout = BroadcastOptions.to(Set.of("lobby"))
                .withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofSeconds(1)));
        assertThat(route(SubscriptionMode.DYNAMIC, withTimeout, "req")).isEqualTo(all);
        assertThat(route(SubscriptionMode.DYNAMIC, BroadcastOptions.ALL, null)).isEqualTo(all);
        assertThat(route(SubscriptionMode.STATIC, BroadcastOptions.to(Set.of("lobby")), null)).isEqualTo(all);
        assertThat(subjects.publishSubject(new ClusterMessage("u", "/chat",
                new SocketsJoin(BroadcastOptions.to(Set.of("lobby")), Set.of("x"))), SubscriptionMode.DYNAMIC)).isEqualTo(all);
        assertThat(subjects.publishSubject(new ClusterMessage("u", "/chat", new Heartbeat()), SubscriptionMode.DYNAMIC))
                .isEqualTo(all);
    }

    private String route(SubscriptionMode mode, BroadcastOptions opts, String requestId) {
        Broadcast broadcast = new Broadcast(SocketPacket.event("/chat", List.of("e")), opts, requestId);
        return subjects.publishSubject(new ClusterMessage("u", "/chat", broadcast), mode);
    }
}
