package io.sockeye.adapter.redis;

import io.sockeye.testkit.NodePeer;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real socket.io-clients hosted by a {@link NodePeer}, driven by name. */
final class PeerClients {

    private PeerClients() {
    }

    /** Connects client {@code name} to {@code url} and has it join room r; returns its socket id. */
    static String connectAndJoin(NodePeer peer, String name, String url) {
        @SuppressWarnings("unchecked")
        String id = (String) ((Map<String, Object>) peer.call("op", "connect", "name", name, "url", url)).get("id");
        assertThat(peer.call("op", "clientEmit", "name", name, "event", "join", "args", List.of("r"), "withAck", 5000))
                .isEqualTo("joined");
        return id;
    }

    /** Reconnects the dropped client to {@code url}: its {@code id} and whether it {@code recovered}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> reconnect(NodePeer peer, String name, String url) {
        return (Map<String, Object>) peer.call("op", "reconnect", "name", name, "url", url);
    }

    /** Every event the client received, each as its arguments with the event name first. */
    @SuppressWarnings("unchecked")
    static List<List<Object>> events(NodePeer peer, String name) {
        return (List<List<Object>>) peer.call("op", "events", "name", name);
    }
}
