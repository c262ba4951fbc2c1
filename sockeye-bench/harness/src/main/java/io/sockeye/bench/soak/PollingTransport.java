package io.sockeye.bench.soak;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.bench.generator.OpenPacket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A soak client's long-polling transport, as a browser runs it: one lane keeps a GET pending (the server
 * answers it with the packets it has, or a ping), the other POSTs what the client sends, one request at
 * a time; packets in a body are separated by the record separator (0x1e). Not reading is not polling
 * again: the session is left half-open for the server's heartbeat to expire.
 */
final class PollingTransport implements Transport, HttpLane.Listener {

    private static final String SEPARATOR = "\u001e";

    private final EioClient client;
    private final Net net;
    private final int port;
    private final HttpLane getLane;
    private final HttpLane postLane;
    private final List<String> outbox = new ArrayList<>();
    private String sid;
    private long requests;
    private boolean polling = true;
    private boolean closing;
    private boolean done;
    private Runnable onPaused;

    private PollingTransport(Net net, EioClient client, SourceClass source, int port) {
        this.net = net;
        this.client = client;
        this.port = port;
        this.getLane = new HttpLane(net, source, port, this);
        this.postLane = new HttpLane(net, source, port, this);
    }

    /** Starts a session with the Engine.IO handshake (a GET without a session id). */
    static PollingTransport open(Net net, EioClient client, SourceClass source, int port) {
        PollingTransport t = new PollingTransport(net, client, source, port);
        t.getLane.request(t.request(HttpMethod.GET, null));
        return t;
    }

    private FullHttpRequest request(HttpMethod method, String body) {
        String uri = "/socket.io/?EIO=4&transport=polling&t=" + Long.toString(requests++, 36)
                + (sid == null ? "" : "&sid=" + sid);
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.HOST, net.host + ":" + port);
        if (body != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        }
        return r;
    }

    @Override
    public void response(HttpLane lane, int status, String body) {
        if (done) {
            return;
        }
        if (status != 200) {
            lost("HTTP " + status + (lane == getLane ? " to a poll" : " to a post"));
            return;
        }
        if (lane == getLane) {
            for (String packet : body.split(SEPARATOR, -1)) {
                if (sid == null && packet.startsWith("0")) {
                    try {
                        sid = OpenPacket.parse(packet).sid();
                    } catch (IllegalArgumentException e) {
                        lost("bad open packet");
                        return;
                    }
                }
                client.onPacket(this, packet);
                if (done) {
                    return;
                }
            }
            if (polling && onPaused == null && !closing) {
                getLane.request(request(HttpMethod.GET, null));
            }
        }
        flush();
        if (closing && outbox.isEmpty() && !postLane.inFlight()) {
            abort(false); // the close packet was taken
            return;
        }
        checkPaused();
    }

    @Override
    public void failed(HttpLane lane, String why) {
        lost(why);
    }

    private void lost(String why) {
        if (!done) {
            done = true;
            getLane.close(false);
            postLane.close(false);
            client.transportClosed(this, why);
        }
    }

    @Override
    public void send(String packet) {
        if (!done) {
            outbox.add(packet);
            flush();
        }
    }

    private void flush() {
        if (sid == null || done || postLane.inFlight() || outbox.isEmpty()) {
            return;
        }
        String body = String.join(SEPARATOR, outbox);
        outbox.clear();
        postLane.request(request(HttpMethod.POST, body));
    }

    /** Upgrade: stops polling, and runs {@code paused} once no GET and no POST is in flight. */
    void pause(Runnable paused) {
        onPaused = paused;
        checkPaused();
    }

    private void checkPaused() {
        if (onPaused != null && !getLane.inFlight() && !postLane.inFlight() && outbox.isEmpty()) {
            Runnable r = onPaused;
            onPaused = null;
            r.run();
        }
    }

    /** The upgrade failed: poll again. */
    void unpause() {
        onPaused = null;
        resumeReading();
    }

    @Override
    public void stopReading() {
        polling = false;
    }

    /** A vanished client's connections go too (a FIN each); the session is left for the server to expire. */
    void dropConnections() {
        polling = false;
        getLane.close(false);
        postLane.close(false);
    }

    @Override
    public void resumeReading() {
        polling = true;
        if (!done && !getLane.inFlight() && sid != null) {
            getLane.request(request(HttpMethod.GET, null));
        }
    }

    @Override
    public void closeGracefully() {
        closing = true;
        send("1");
    }

    @Override
    public void abort(boolean reset) {
        if (!done) {
            done = true;
            getLane.close(reset);
            postLane.close(reset);
            client.transportClosed(this, "closed by the client");
        }
    }

    @Override
    public String name() {
        return "polling";
    }
}
