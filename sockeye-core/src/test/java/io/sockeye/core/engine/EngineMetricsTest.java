package io.sockeye.core.engine;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketInbound;
import io.sockeye.core.metrics.RecordingMetrics;
import io.sockeye.core.metrics.ServerGauges;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sockeye.core.engine.EngineSessionTest.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Engine.IO layer reports handshakes (accepted and refused by reason), upgrades, closes by
 * reason, packets and bytes per transport, slow consumers and buffered bytes. Time is the test's.
 */
class EngineMetricsTest {

    private final ManualTimer timer = new ManualTimer();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private EngineEndpoint server = server(ServerOptions.builder().metrics(metrics).build());
    private EngineSocket last;

    private EngineEndpoint server(ServerOptions options) {
        return EngineIo.endpoint(options, s -> {
            last = s;
            s.setListener(new CloseRecorder(reason -> { }));
        }, timer);
    }

    private RecordingExchange poll(String method, String query, String body) {
        RecordingExchange ex = new RecordingExchange();
        RequestInfo req = request(method, query);
        EngineError.Rejection r = server.verify(req, false);
        if (r != null) {
            ex.sendError(r);
        } else {
            server.handlePolling(req, body, ex, ImmediateEventExecutor.INSTANCE);
        }
        return ex;
    }

    private String handshake() {
        RecordingExchange ex = poll("GET", "EIO=4&transport=polling", null);
        return ex.body.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void countsAcceptedHandshakesByTransportAndRefusedRequestsByReason() {
        handshake();
        server.openWebSocket(request("GET", "EIO=4&transport=websocket"), new RecordingWebSocketChannel(), SessionIds.next());
        poll("GET", "EIO=4&transport=carrier-pigeon", null);
        poll("GET", "EIO=3&transport=polling", null);
        poll("POST", "EIO=4&transport=polling", "");
        poll("GET", "EIO=4&transport=polling&sid=gone", null);

        assertThat(metrics.count("sessionOpened", "polling")).isEqualTo(1);
        assertThat(metrics.count("sessionOpened", "websocket")).isEqualTo(1);
        assertThat(metrics.loops).containsOnly(ImmediateEventExecutor.INSTANCE);
        assertThat(metrics.count("requestRejected", "unknown_transport", "handshake")).isEqualTo(1);
        assertThat(metrics.count("requestRejected", "unsupported_protocol_version", "handshake")).isEqualTo(1);
        assertThat(metrics.count("requestRejected", "bad_handshake_method", "handshake")).isEqualTo(1);
        assertThat(metrics.count("requestRejected", "unknown_sid", "session")).isEqualTo(1);
    }

    @Test
    void countsTheAllowRequestHookAndShutdownRefusals() {
        server = server(ServerOptions.builder().metrics(metrics).allowRequest(r -> "no").build());
        poll("GET", "EIO=4&transport=polling", null);
        assertThat(metrics.count("requestRejected", "forbidden", "handshake")).isEqualTo(1);

        server = server(ServerOptions.builder().metrics(metrics).build());
        server.close();
        poll("GET", "EIO=4&transport=polling", null);
        assertThat(metrics.count("requestRejected", "shutting_down", "handshake")).isEqualTo(1);
    }

    @Test
    void countsAnUpgradeAndTheCloseOnTheTransportTheSessionEndedOn() {
        String sid = handshake();
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.upgradeWebSocket(sid, ws);
        t.onText("2probe");
        t.onText("5");
        assertThat(metrics.count("sessionUpgraded", "polling", "websocket")).isEqualTo(1);

        t.onClosed(false);
        assertThat(metrics.count("sessionClosed", "websocket", "transport close")).isEqualTo(1);
        assertThat(metrics.count("sessionClosed", "polling", "transport close")).isZero();
    }

    @Test
    void countsPacketsAndBytesPerTransportBothWays() {
        String sid = handshake();
        RecordingExchange parked = poll("GET", "EIO=4&transport=polling&sid=" + sid, null);
        poll("POST", "EIO=4&transport=polling&sid=" + sid, "4hello\u001e4world");
        last.send("back", List.of());
        assertThat(parked.body).isEqualTo("4back");

        assertThat(metrics.count("enginePacketReceived", "polling", "MESSAGE")).isEqualTo(2);
        assertThat(metrics.sum("engineBytesReceived", "polling")).isEqualTo("4hello\u001e4world".length());
        assertThat(metrics.count("enginePacketSent", "polling", "OPEN")).isEqualTo(1);
        assertThat(metrics.count("enginePacketSent", "polling", "MESSAGE")).isEqualTo(1);

        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.openWebSocket(request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        t.onText("4héllo");
        t.onBinary(new byte[]{1, 2});
        last.send("é", List.of());
        assertThat(metrics.count("enginePacketReceived", "websocket", "MESSAGE")).isEqualTo(2);
        assertThat(metrics.sum("engineBytesReceived", "websocket")).isEqualTo("4héllo".length() + 2);
        assertThat(metrics.count("enginePacketSent", "websocket", "OPEN")).isEqualTo(1);
        assertThat(metrics.count("enginePacketSent", "websocket", "MESSAGE")).isEqualTo(1);
        String openFrame = (String) ws.frames.get(0);
        assertThat(metrics.sum("engineBytesSent", "websocket"))
                .as("UTF-8 bytes of the frames").isEqualTo(openFrame.length() + "4é".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void countsASlowConsumerAndReportsBufferedBytes() {
        server = server(ServerOptions.builder().metrics(metrics).maxBufferedBytes(1024 * 1024).build());
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        server.openWebSocket(request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        ws.writable = false;
        ws.pendingBytes = 1000;
        long buffered = metrics.gauges.stream().mapToLong(ServerGauges::bufferedBytes).sum();
        assertThat(buffered).isEqualTo(1000);

        ws.pendingBytes = 1024 * 1024 + 1;
        last.send("more", List.of());
        assertThat(metrics.count("slowConsumerClosed")).isEqualTo(1);
        assertThat(metrics.count("sessionClosed", "websocket", "slow consumer")).isEqualTo(1);
    }

    @Test
    void reportsTheTimersPendingTimeoutsWhichASessionReleasesWhenItCloses() {
        long idle = pendingTimeouts();
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.openWebSocket(request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        assertThat(pendingTimeouts()).as("the session's heartbeat").isGreaterThan(idle);

        t.onClosed(false);
        assertThat(pendingTimeouts()).isEqualTo(idle);
    }

    private long pendingTimeouts() {
        return metrics.gauges.stream().mapToLong(ServerGauges::timerPendingTimeouts).max().orElseThrow();
    }
}
