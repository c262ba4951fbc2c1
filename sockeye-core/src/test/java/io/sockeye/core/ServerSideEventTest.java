package io.sockeye.core;

import io.sockeye.core.adapter.NamespaceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Events between servers ({@code serverSideEmit}), as the adapter delivers them to a namespace. */
class ServerSideEventTest {

    private final SocketIoHarness harness = new SocketIoHarness();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void namespaceHandlersReceiveEventsFromOtherNodesAndMayAnswer() {
        CompletableFuture<Args> seen = new CompletableFuture<>();
        harness.io.on("sync", (args, ack) -> {
            seen.complete(args);
            ack.send("done", "ignored: one value per node");
        });
        CompletableFuture<Object> reply = new CompletableFuture<>();
        ((NamespaceContext) harness.io.sockets()).onServerSideEmit(List.of("sync", 1, "two"), reply::complete);
        assertThat(seen.join().list()).containsExactly(1, "two");
        assertThat(reply.join()).isEqualTo("done");
    }

    @Test
    void singleNodeServerSideEmitReachesNobody() {
        harness.io.serverSideEmit("hello", 1);
        assertThat(harness.io.serverSideEmitWithAck("hello").join()).isEmpty();
    }

    @Test
    void connectionIsTheOnlySocketLevelNamespaceEvent() {
        assertThatThrownBy(() -> harness.io.on("disconnect", socket -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.io.on("disconnect", (args, ack) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
