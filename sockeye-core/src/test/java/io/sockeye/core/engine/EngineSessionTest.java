package io.sockeye.core.engine;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketInbound;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Engine.IO session machine, driven through the transport SPI with time under the test's control. */
class EngineSessionTest {

    private final ManualTimer timer = new ManualTimer();
    private final List<EngineSocket> opened = new ArrayList<>();
    private final List<Object> received = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final List<String> upgrades = new ArrayList<>();
    private EngineEndpoint server = server(ServerOptions.defaults());

    private EngineEndpoint server(ServerOptions options) {
        return EngineIo.endpoint(options, s -> {
            opened.add(s);
            s.setListener(new EngineListener() {
                @Override
                public void onMessage(String text) {
                    received.add(text);
                }

                @Override
                public void onBinary(byte[] data) {
                    received.add(data);
                }

                @Override
                public void onClose(String reason) {
                    closes.add(reason);
                }

                @Override
                public void onUpgrade(String transportName) {
                    upgrades.add(transportName);
                }
            });
        }, timer);
    }

    static RequestInfo request(String method, String query) {
        Map<String, String> q = new HashMap<>();
        for (String kv : query.split("&")) {
            if (!kv.isEmpty()) {
                String[] p = kv.split("=", 2);
                q.put(p[0], p.length > 1 ? p[1] : "");
            }
        }
        return new RequestInfo(method, "/engine.io/?" + query, "/engine.io/", q, Map.of(), "127.0.0.1", false);
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
        assertThat(ex.status).isEqualTo(200);
        return ex.body.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
    }

    private RecordingExchange get(String sid) {
        return poll("GET", "EIO=4&transport=polling&sid=" + sid, null);
    }

    private RecordingExchange post(String sid, String body) {
        return poll("POST", "EIO=4&transport=polling&sid=" + sid, body);
    }

    private EngineSocket session() {
        return opened.get(opened.size() - 1);
    }

    @Test
    void handshakeAnswersTheOpenPacketWithTheServerOptionsAndSetsTheCookieSid() {
        RecordingExchange ex = poll("GET", "EIO=4&transport=polling", null);
        String sid = ex.cookieSid;
        assertThat(sid).matches("[A-Za-z0-9_-]{20}");
        assertThat(ex.body).isEqualTo("0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],"
                + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
        assertThat(opened).hasSize(1);
        assertThat(session().transportName()).isEqualTo("polling");
    }

    @Test
    void rejectsRequestsInEngineIoOrder() {
        assertThat(poll("GET", "", null).body).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
        assertThat(poll("GET", "EIO=4&transport=abc", null).body).contains("\"code\":0");
        assertThat(poll("GET", "transport=polling", null).body)
                .isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        assertThat(poll("GET", "EIO=abc&transport=polling", null).body).contains("\"code\":5");
        assertThat(poll("POST", "EIO=4&transport=polling", "").body)
                .isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
        assertThat(poll("PUT", "transport=polling", "").body).contains("\"code\":2");
        RecordingExchange unknown = poll("GET", "EIO=4&transport=polling&sid=nope", null);
        assertThat(unknown.status).isEqualTo(400);
        assertThat(unknown.body).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertThat(server.verify(request("GET", "EIO=4&transport=websocket"), false).error())
                .isEqualTo(EngineError.BAD_REQUEST);
        assertThat(server.verify(request("GET", "EIO=4&transport=websocket"), true)).isNull();
    }

    @Test
    void allowRequestHookRejectsWith403AndItsMessage() {
        server = server(ServerOptions.builder().allowRequest(r -> "not allowed").build());
        RecordingExchange ex = poll("GET", "EIO=4&transport=polling", null);
        assertThat(ex.status).isEqualTo(403);
        assertThat(ex.body).isEqualTo("{\"code\":4,\"message\":\"not allowed\"}");
        assertThat(opened).isEmpty();
    }

    @Test
    void sendsPingEveryIntervalAndClosesWhenNoPongArrivesInTime() {
        String sid = handshake();
        RecordingExchange parked = get(sid);
        timer.advance(24_999);
        assertThat(parked.responded()).isFalse();
        timer.advance(1);
        assertThat(parked.body).isEqualTo("2");
        timer.advance(19_999);
        assertThat(closes).isEmpty();
        timer.advance(1);
        assertThat(closes).containsExactly("ping timeout");
        assertThat(get(sid).status).isEqualTo(400);
    }

    @Test
    void pongRestartsThePingInterval() {
        String sid = handshake();
        timer.advance(25_000);
        assertThat(get(sid).body).isEqualTo("2");
        timer.advance(10_000);
        assertThat(post(sid, "3").body).isEqualTo("ok");
        timer.advance(24_999);
        RecordingExchange parked = get(sid);
        assertThat(parked.responded()).isFalse();
        timer.advance(1);
        assertThat(parked.body).isEqualTo("2");
        assertThat(closes).isEmpty();
    }

    @Test
    void aPollAfterThePongDeadlineFindsTheSessionClosedEvenIfTheTimerHasNotTickedYet() {
        String sid = handshake();
        timer.advance(25_000);
        timer.skip(20_000);
        assertThat(get(sid).status).isEqualTo(400);
        assertThat(closes).containsExactly("ping timeout");
    }

    @Test
    void aPingFromTheClientIsATransportError() {
        String sid = handshake();
        assertThat(post(sid, "2").status).isEqualTo(200);
        assertThat(closes).containsExactly("transport error");
    }

    @Test
    void deliversTextAndBinaryMessagesFromAPollingPayload() {
        String sid = handshake();
        assertThat(post(sid, "4hello\u001ebAQIDBA==").body).isEqualTo("ok");
        assertThat(received).hasSize(2);
        assertThat(received.get(0)).isEqualTo("hello");
        assertThat((byte[]) received.get(1)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void batchesQueuedPacketsIntoOnePollAndEncodesBinaryAsBase64() {
        String sid = handshake();
        session().send("a", List.of());
        session().sendBinary(new byte[]{1, 2, 3, 4});
        session().send("b", List.of(new byte[]{9}));
        assertThat(get(sid).body).isEqualTo("4a\u001ebAQIDBA==\u001e4b\u001ebCQ==");
    }

    @Test
    void aSecondConcurrentPollClosesTheSessionAndTheFirstPollReceivesTheClosePacket() {
        String sid = handshake();
        RecordingExchange first = get(sid);
        RecordingExchange second = get(sid);
        assertThat(second.status).isEqualTo(400);
        assertThat(first.body).isEqualTo("1");
        assertThat(closes).containsExactly("transport error");
        assertThat(get(sid).status).isEqualTo(400);
    }

    @Test
    void aClosePacketReleasesTheParkedPollWithANoop() {
        String sid = handshake();
        RecordingExchange parked = get(sid);
        assertThat(post(sid, "1").body).isEqualTo("ok");
        assertThat(parked.body).isEqualTo("6");
        assertThat(closes).containsExactly("transport close");
    }

    @Test
    void anInvalidPayloadIsRejectedAndClosesTheSessionWithParseError() {
        String sid = handshake();
        assertThat(post(sid, "abc").status).isEqualTo(400);
        assertThat(closes).containsExactly("parse error");
        assertThat(get(sid).status).isEqualTo(400);
    }

    @Test
    void anAbortedPollClosesTheSession() {
        String sid = handshake();
        get(sid).abort();
        assertThat(closes).containsExactly("transport error");
    }

    @Test
    void aServerCloseWithoutAParkedPollIsDeliveredByTheNextPoll() {
        String sid = handshake();
        session().send("bye", List.of());
        session().close("forced close");
        assertThat(closes).isEmpty();
        assertThat(post(sid, "4ignored").body).isEqualTo("ok");
        assertThat(received).isEmpty();
        assertThat(get(sid).body).isEqualTo("4bye");
        assertThat(closes).isEmpty();
        assertThat(get(sid).body).as("the close packet comes alone, after the last packets").isEqualTo("1");
        assertThat(closes).containsExactly("forced close");
    }

    @Test
    void aServerCloseWithAParkedPollSendsTheQueueThenTheCloseOnTheNextPoll() {
        String sid = handshake();
        RecordingExchange parked = get(sid);
        session().send("41", List.of());
        session().close("forced server close");
        assertThat(parked.body).isEqualTo("441");
        assertThat(get(sid).body).isEqualTo("1");
        assertThat(closes).containsExactly("forced server close");
    }

    @Test
    void aServerCloseWithNothingQueuedReleasesTheParkedPollWithTheClosePacket() {
        String sid = handshake();
        RecordingExchange parked = get(sid);
        session().close("forced close");
        assertThat(parked.body).isEqualTo("1");
        assertThat(closes).containsExactly("forced close");
    }

    @Test
    void aClosingSessionWhoseClientNeverPollsIsDroppedAfterAHeartbeat() {
        handshake();
        session().close("forced close");
        timer.advance(45_000);
        assertThat(closes).containsExactly("forced close");
        assertThat(server.clientsCount()).isZero();
    }

    @Test
    void aClosingSessionWhosePingIsUnansweredExpiresAtItsPongDeadline() {
        String sid = handshake();
        RecordingExchange parked = get(sid);
        timer.advance(25_000);
        assertThat(parked.body).isEqualTo("2");
        timer.advance(19_000); // the client is gone: no pong, no poll
        session().close("forced close");
        timer.advance(999);
        assertThat(closes).isEmpty();
        timer.advance(1);
        assertThat(closes).as("pingInterval + pingTimeout after the last sign of life").containsExactly("forced close");
    }

    @Test
    void aClosingSessionWithNoPingInFlightExpiresWhenItsNextPingWouldGoUnanswered() {
        handshake();
        timer.advance(10_000);
        session().close("forced close");
        timer.advance(34_999);
        assertThat(closes).isEmpty();
        timer.advance(1);
        assertThat(closes).containsExactly("forced close");
    }

    @Test
    void upgradesToWebSocketWithProbeNoopsAndTransportSwitch() {
        String sid = handshake();
        RecordingExchange parked = get(sid);
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        assertThat(server.verify(request("GET", "EIO=4&transport=websocket&sid=" + sid), true)).isNull();
        WebSocketInbound t = server.upgradeWebSocket(sid, ws);
        t.onText("2probe");
        assertThat(ws.frames).containsExactly("3probe");
        timer.advance(100);
        assertThat(parked.body).isEqualTo("6");
        RecordingExchange parkedAgain = get(sid);
        t.onText("5");
        assertThat(upgrades).containsExactly("websocket");
        assertThat(session().transportName()).isEqualTo("websocket");
        assertThat(parkedAgain.body).as("the discarded poll is released").isEqualTo("6");
        session().send("after", List.of());
        assertThat(ws.frames).containsExactly("3probe", "4after");
        RecordingExchange stale = get(sid);
        assertThat(stale.status).isEqualTo(400);
        assertThat(stale.body).contains("\"code\":3");
        t.onText("4hi");
        assertThat(received).containsExactly("hi");
    }

    @Test
    void anUpgradeThatDoesNotCompleteInTimeIsAbandonedAndPollingContinues() {
        String sid = handshake();
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.upgradeWebSocket(sid, ws);
        t.onText("2probe");
        timer.advance(10_000);
        assertThat(ws.closed).isTrue();
        assertThat(closes).isEmpty();
        assertThat(session().transportName()).isEqualTo("polling");
        session().send("still", List.of());
        assertThat(get(sid).body).isEqualTo("4still");
    }

    @Test
    void aSecondWebSocketForAnUpgradedSessionIsClosedAndTheFirstKeepsWorking() {
        String sid = handshake();
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.upgradeWebSocket(sid, ws);
        t.onText("2probe");
        t.onText("5");
        RecordingWebSocketChannel second = new RecordingWebSocketChannel();
        server.upgradeWebSocket(sid, second);
        assertThat(second.closed).isTrue();
        t.onText("4x");
        assertThat(received).containsExactly("x");
    }

    @Test
    void aWebSocketSessionAdvertisesNoUpgradesAndWritesFramesDirectly() {
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.openWebSocket(request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        assertThat((String) ws.frames.get(0)).startsWith("0{").contains("\"upgrades\":[]");
        session().send("m", List.of(new byte[]{7}));
        assertThat(ws.frames).hasSize(3);
        assertThat(ws.frames.get(1)).isEqualTo("4m");
        assertThat((byte[]) ws.frames.get(2)).containsExactly(7);
        t.onText("abc");
        assertThat(closes).containsExactly("parse error");
        assertThat(ws.closed).isTrue();
    }

    @Test
    void aWebSocketClosedByThePeerClosesTheSessionWithTransportClose() {
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        WebSocketInbound t = server.openWebSocket(request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        t.onClosed(false);
        assertThat(closes).containsExactly("transport close");
    }

    @Test
    void aConsumerWhoseBufferPassesTheHardLimitIsClosedAsSlowConsumer() {
        server = server(ServerOptions.builder().maxBufferedBytes(1024 * 1024).build());
        RecordingWebSocketChannel ws = new RecordingWebSocketChannel();
        server.openWebSocket(request("GET", "EIO=4&transport=websocket"), ws, SessionIds.next());
        ws.writable = false;
        assertThat(session().isWritable()).isFalse();
        ws.pendingBytes = 1024 * 1024 + 1;
        session().send("more", List.of());
        assertThat(closes).containsExactly("slow consumer");
        assertThat(ws.closed).isTrue();
    }

    @Test
    void aPollingSessionIsNotWritableOnceItsQueuePassesTheHighWaterMark() {
        server = server(ServerOptions.builder().writeBufferWaterMarks(8, 16).maxBufferedBytes(1 << 20)
                .pingInterval(Duration.ofHours(1)).build());
        handshake();
        assertThat(session().isWritable()).isTrue();
        session().send("0123456789abcdefghij", List.of());
        assertThat(session().isWritable()).isFalse();
    }

    @Test
    void closingTheServerClosesEverySessionAndRefusesHandshakes() {
        String sid = handshake();
        get(sid);
        server.close();
        assertThat(closes).containsExactly("forced close");
        assertThat(poll("GET", "EIO=4&transport=polling", null).status).isEqualTo(400);
    }
}
