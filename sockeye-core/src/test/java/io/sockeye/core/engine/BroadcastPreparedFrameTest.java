package io.sockeye.core.engine;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.HttpExchange;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketInbound;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.sockeye.core.engine.EngineSessionTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broadcast's wire frame is part of the broadcast: one per broadcast and event loop, shared by every
 * recipient on the loop even when several broadcasts wait in one flush, and freed once the last
 * recipient on the loop wrote it or dropped it. Every connection here is on one real event loop, with
 * {@link RecordingWebSocketChannel}s standing in for the network (they prepare frames as the Netty
 * transport does) and long-polling requests answered through {@link HttpExchange}s.
 */
class BroadcastPreparedFrameTest {

    private static final String A = "42[\"news\",\"a\"]";
    private static final String B = "42[\"news\",\"b\"]";
    private static final String C = "42[\"news\",\"c\"]";
    private static final String X = "42[\"news\",\"x\"]";

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
    // The connection the "drop" handler makes fail between its two broadcasts.
    private final AtomicReference<WebSocketInbound> victim = new AtomicReference<>();
    private final Map<String, Long> framesBefore = new HashMap<>();

    @BeforeEach
    void handlers() {
        for (String text : List.of(A, B, C)) {
            framesBefore.put(text, RecordingWebSocketChannel.framesAllocated(text));
        }
        io.on("connection", socket -> {
            socket.join("room");
            // Three broadcasts in one event-loop task: the last two wait in the same flush of every WebSocket
            // recipient (the first is flushed as it is written), all three in a long-polling recipient's.
            socket.on("burst", (args, ack) -> {
                for (String word : List.of("a", "b", "c")) {
                    io.to("room").emit("news", word);
                }
            });
            socket.on("drop", (args, ack) -> {
                // The first broadcast of a batch is flushed as it is written (BroadcastFlushTest); those
                // after it wait for the batch.
                io.to("room").emit("news", "x");
                io.to("room").emit("news", "a");
                victim.get().onClosed(true); // its connection fails with "a" queued, before the flush
                io.to("room").emit("news", "b");
            });
        });
    }

    @AfterEach
    void close() {
        io.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void severalBroadcastsQueuedInOneFlushMakeOneFrameEachForAllRecipientsOfTheLoop() {
        List<WsPeer> peers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(new WsPeer());
        }

        peers.get(0).inbound.onText("42[\"burst\"]");

        for (WsPeer peer : peers) {
            await().atMost(Duration.ofSeconds(30)).until(() -> peer.news().size() == 3);
            assertThat(peer.news()).containsExactly(A, B, C);
        }
        assertThat(List.of(framesMade(A), framesMade(B), framesMade(C))).as("frames made per broadcast")
                .containsExactly(1L, 1L, 1L);
        await().atMost(Duration.ofSeconds(30)).until(() -> RecordingWebSocketChannel.framesAlive() == 0);
    }

    @Test
    void aRecipientWhoseConnectionFailsWithTheBroadcastQueuedReleasesItsShare() {
        WsPeer first = new WsPeer();
        WsPeer failing = new WsPeer();
        WsPeer last = new WsPeer();
        victim.set(failing.inbound);

        first.inbound.onText("42[\"drop\"]");

        await().atMost(Duration.ofSeconds(30)).until(() -> first.news().size() == 3 && last.news().size() == 3);
        assertThat(first.news()).containsExactly(X, A, B);
        assertThat(last.news()).containsExactly(X, A, B);
        assertThat(failing.news()).containsExactly(X);
        assertThat(framesMade(A)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> RecordingWebSocketChannel.framesAlive() == 0);
    }

    @Test
    void pollingAndWebSocketRecipientsOfOneLoopShareEachBroadcastAndTheLastHolderFreesIt() {
        WsPeer ws1 = new WsPeer();
        WsPeer ws2 = new WsPeer();
        PollingPeer parked = new PollingPeer();
        PollingPeer idle = new PollingPeer(); // not polling when the broadcasts come: they wait in its session
        PollingPeer leaving = new PollingPeer();
        CompletableFuture<String> poll = parked.poll();

        ws1.inbound.onText("42[\"burst\"]");

        String payload = A + "\u001e" + B + "\u001e" + C;
        assertThat(poll).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(payload);
        await().atMost(Duration.ofSeconds(30)).until(() -> ws1.news().size() == 3 && ws2.news().size() == 3);
        assertThat(ws2.news()).containsExactly(A, B, C);
        assertThat(framesMade(A)).isEqualTo(1);
        // The idle polling sessions still hold the broadcasts, so their frames stay until the last lets go.
        assertThat(RecordingWebSocketChannel.framesAlive()).isEqualTo(3);

        io.engine().closeSession(leaving.sid, "transport error");
        assertThat(idle.poll()).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(payload);
        await().atMost(Duration.ofSeconds(30)).until(() -> RecordingWebSocketChannel.framesAlive() == 0);
    }

    @Test
    void aPollingSessionStillHoldingABroadcastWhenTheServerClosesReleasesIt() {
        WsPeer ws = new WsPeer();
        PollingPeer idle = new PollingPeer(); // its session holds the broadcasts until it polls, or closes
        ws.inbound.onText("42[\"burst\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> ws.news().size() == 3);
        assertThat(RecordingWebSocketChannel.framesAlive()).isEqualTo(3);

        // Closing the server asks the polling session to close; it waits for a poll to say so, which
        // will not come now: the shutdown ends it, and its references go with it.
        io.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> RecordingWebSocketChannel.framesAlive() == 0);
        assertThat(idle.sid).isNotNull();
    }

    private long framesMade(String text) {
        return RecordingWebSocketChannel.framesAllocated(text) - framesBefore.get(text);
    }

    /** A client on WebSocket, connected to the main namespace. */
    private final class WsPeer {
        final RecordingWebSocketChannel channel = new RecordingWebSocketChannel(loop);
        final WebSocketInbound inbound;

        WsPeer() {
            inbound = onLoop(() -> io.engine().openWebSocket(request("GET", "EIO=4&transport=websocket"), channel,
                    SessionIds.next()));
            inbound.onText("40");
            await().atMost(Duration.ofSeconds(30)).until(() -> channel.frames.stream().anyMatch(f -> f instanceof String s && s.startsWith("40{")));
        }

        List<Object> news() {
            return channel.frames.stream().filter(f -> f instanceof String s && s.startsWith("42[\"news\"")).toList();
        }
    }

    /** A client on long-polling, connected to the main namespace. */
    private final class PollingPeer {
        final String sid;

        PollingPeer() {
            FutureExchange handshake = new FutureExchange();
            onLoop(() -> {
                io.engine().handlePolling(request("GET", "EIO=4&transport=polling"), null, handshake, loop);
                return null;
            });
            sid = handshake.join().replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
            FutureExchange post = new FutureExchange();
            onLoop(() -> {
                io.engine().handlePolling(request("POST", "EIO=4&transport=polling&sid=" + sid), "40", post, loop);
                return null;
            });
            assertThat(post.join()).isEqualTo("ok");
            assertThat(poll().join()).startsWith("40{");
        }

        CompletableFuture<String> poll() {
            FutureExchange get = new FutureExchange();
            onLoop(() -> {
                io.engine().handlePolling(request("GET", "EIO=4&transport=polling&sid=" + sid), null, get, loop);
                return null;
            });
            return get;
        }
    }

    // The transport SPI calls into the endpoint from the request's event loop.
    private <T> T onLoop(Callable<T> call) {
        return loop.submit(call).syncUninterruptibly().getNow();
    }

    /** An exchange whose answer completes a future (its body, or {@code "status N"} for an error). */
    private static final class FutureExchange extends CompletableFuture<String> implements HttpExchange {
        @Override public void sendPayload(String payload) { complete(payload); }
        @Override public void sendHandshake(String payload, String sid) { complete(payload); }
        @Override public void sendOk() { complete("ok"); }
        @Override public void sendError(EngineError.Rejection rejection) { complete("status " + rejection.httpStatus()); }
        @Override public void sendStatus(int status) { complete("status " + status); }
        @Override public void whenAborted(Runnable onClose) { }
    }
}
