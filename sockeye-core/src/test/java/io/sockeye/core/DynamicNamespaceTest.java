package io.sockeye.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Dynamic (parent) namespaces: children created on first matching CONNECT, like socket.io's ParentNamespace. */
class DynamicNamespaceTest {

    private SocketIoHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void patternCreatesChildOnFirstConnectWithParentHandlers() {
        harness = new SocketIoHarness();
        Namespace parent = harness.io.of(Pattern.compile("/room-\\d+"));
        parent.on("connection", socket -> socket.emit("welcome", socket.namespace().name()));
        InMemoryEngineSocket session = harness.open();
        session.receive("0/room-42,");
        assertThat(session.nextText()).startsWith("0/room-42,{\"sid\":");
        assertThat(session.nextText()).isEqualTo("2/room-42,[\"welcome\",\"/room-42\"]");

        // the child is now an ordinary namespace, reachable by name
        harness.io.of("/room-42").emit("direct");
        assertThat(session.nextText()).isEqualTo("2/room-42,[\"direct\"]");

        session.receive("0/room-x,");
        assertThat(session.nextText()).isEqualTo("4/room-x,{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void predicateSeesNameAndAuth() {
        harness = new SocketIoHarness();
        harness.io.of((name, auth) -> name.startsWith("/team-") && "yes".equals(auth.get("member")));
        InMemoryEngineSocket member = harness.open();
        member.receive("0/team-a,{\"member\":\"yes\"}");
        assertThat(member.nextText()).startsWith("0/team-a,{\"sid\":");
        InMemoryEngineSocket stranger = harness.open();
        stranger.receive("0/team-b,{\"member\":\"no\"}");
        assertThat(stranger.nextText()).isEqualTo("4/team-b,{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void childrenCopyParentMiddlewaresAndMayAddTheirOwn() {
        harness = new SocketIoHarness();
        List<String> calls = new CopyOnWriteArrayList<>();
        Namespace parent = harness.io.of(Pattern.compile("/dyn-.*"));
        parent.use((socket, next) -> {
            calls.add("parent:" + socket.namespace().name());
            next.proceed();
        });
        InMemoryEngineSocket first = harness.open();
        first.receive("0/dyn-1,");
        assertThat(first.nextText()).startsWith("0/dyn-1,{\"sid\":");

        harness.io.of("/dyn-1").use((socket, next) -> next.reject(new ConnectError("closed room")));
        InMemoryEngineSocket second = harness.open();
        second.receive("0/dyn-1,");
        assertThat(second.nextText()).isEqualTo("4/dyn-1,{\"message\":\"closed room\"}");
        InMemoryEngineSocket third = harness.open();
        third.receive("0/dyn-2,");
        assertThat(third.nextText()).startsWith("0/dyn-2,{\"sid\":"); // /dyn-1's own middleware stays there
        assertThat(calls).containsExactly("parent:/dyn-1", "parent:/dyn-1", "parent:/dyn-2");
    }

    @Test
    void parentBroadcastReachesEveryChild() {
        harness = new SocketIoHarness();
        Namespace parent = harness.io.of(Pattern.compile("/g\\d"));
        InMemoryEngineSocket a = harness.open();
        SocketIoHarness.connect(a, "/g1");
        InMemoryEngineSocket b = harness.open();
        SocketIoHarness.connect(b, "/g2");
        parent.emit("all-games", 1);
        assertThat(a.nextText()).isEqualTo("2/g1,[\"all-games\",1]");
        assertThat(b.nextText()).isEqualTo("2/g2,[\"all-games\",1]");
        assertThat(parent.sockets()).hasSize(2);
        assertThat(parent.fetchSockets().join()).hasSize(2);
    }

    @Test
    void staticNamespaceWinsOverPattern() {
        harness = new SocketIoHarness();
        harness.io.of(Pattern.compile("/.*")).on("connection", socket -> socket.emit("dynamic"));
        harness.io.of("/fixed").on("connection", socket -> socket.emit("static"));
        InMemoryEngineSocket session = harness.open();
        SocketIoHarness.connect(session, "/fixed");
        assertThat(session.nextText()).isEqualTo("2/fixed,[\"static\"]");
    }
}
