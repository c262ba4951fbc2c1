package io.sockeye.core.engine;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketInbound;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a session lets go of a client that does not read: what is queued for it is dropped and its
 * connection cut at once (never held until the client takes a close it cannot read), and
 * {@code whenReleased} waits for the socket itself, not just the session, to be gone.
 */
class SessionReleaseTest {

    private static final int MAX_BUFFERED = 1024 * 1024;

    private final ManualTimer timer = new ManualTimer();
    private final List<EngineSocket> opened = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final EngineEndpoint server = EngineIo.endpoint(ServerOptions.builder()
            .maxBufferedBytes(MAX_BUFFERED).pingInterval(Duration.ofHours(1)).build(), s -> {
                opened.add(s);
                s.setListener(new CloseRecorder(closes::add));
            }, timer);

    private EngineSocket session() {
        return opened.get(opened.size() - 1);
    }

    private RecordingWebSocketChannel webSocket() {
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        server.openWebSocket(EngineSessionTest.request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        return ws;
    }

    private String pollingHandshake() {
        RecordingExchange ex = new RecordingExchange();
        server.handlePolling(EngineSessionTest.request("GET", "EIO=4&transport=polling"), null, ex,
                ImmediateEventExecutor.INSTANCE);
        return ex.body.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void aWebSocketSlowConsumerIsCutOffAtOnceRatherThanSentACloseBehindItsBacklog() {
        RecordingWebSocketChannel ws = webSocket();
        ws.writable = false;
        ws.pendingBytes = MAX_BUFFERED + 1;
        session().send("more", List.of());
        assertThat(closes).containsExactly("slow consumer");
        assertThat(ws.aborted).isTrue();
    }

    @Test
    void pastTheHighWaterMarkAConnectionIsASlowConsumerWhileTheTransportIsShortOfMemory() {
        RecordingWebSocketChannel ws = webSocket();
        ws.writable = false;
        ws.pendingBytes = ServerOptions.defaults().writeBufferHighWaterMark() + 1;
        session().send("fits under the hard limit", List.of());
        assertThat(closes).isEmpty();

        ws.memoryPressure = true;
        session().send("but not while memory runs short", List.of());
        assertThat(closes).containsExactly("slow consumer");
        assertThat(ws.aborted).isTrue();
    }

    @Test
    void aPollingClientThatStopsPollingHasItsBufferReleasedWhenItPassesTheLimit() {
        pollingHandshake();
        byte[] big = new byte[64 * 1024];
        Arrays.fill(big, (byte) 'x');
        String text = new String(big, StandardCharsets.US_ASCII);
        OutboundPacket kept = OutboundPacket.shared(text, OutboundPacket.messageUtf8(text));
        session().send(kept, List.of());
        assertThat(kept.refCnt()).isEqualTo(2); // ours and the session's queue
        while (closes.isEmpty() && session().bufferedBytes() <= MAX_BUFFERED) {
            session().send(text, List.of());
        }
        assertThat(closes).containsExactly("slow consumer");
        assertThat(session().bufferedBytes()).isZero();
        assertThat(kept.refCnt()).isEqualTo(1);
        kept.release();
    }

    @Test
    void whenReleasedWaitsForTheWebSocketItselfToBeGoneNotJustTheSession() {
        RecordingWebSocketChannel ws = webSocket();
        List<String> released = new ArrayList<>();
        session().whenReleased(() -> released.add("early"));
        session().close("forced close");
        session().whenReleased(() -> released.add("late"));
        assertThat(closes).containsExactly("forced close");
        assertThat(ws.closed).isTrue();
        assertThat(released).isEmpty();

        ws.socketGone();
        assertThat(released).containsExactly("early", "late");
        session().whenReleased(() -> released.add("after"));
        assertThat(released).containsExactly("early", "late", "after");
    }

    @Test
    void aPollingSessionIsReleasedAtItsCloseOrHandsItsWaitersToTheWebSocketItUpgradesTo() {
        String sid = pollingHandshake();
        List<String> released = new ArrayList<>();
        session().whenReleased(() -> released.add("polling"));
        assertThat(released).isEmpty();

        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound upgrade = server.upgradeWebSocket(sid, ws);
        upgrade.onText("2probe");
        upgrade.onText("5");
        assertThat(session().transportName()).isEqualTo("websocket");
        session().close("forced close");
        assertThat(released).isEmpty();
        ws.socketGone();
        assertThat(released).containsExactly("polling");

        pollingHandshake();
        session().whenReleased(() -> released.add("second"));
        session().close("forced close");
        timer.advance(Duration.ofHours(2).toMillis()); // its client never polls for the close
        assertThat(released).containsExactly("polling", "second");
    }
}
