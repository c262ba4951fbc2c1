package io.sockeye.bench.soak;

import io.netty.util.concurrent.ScheduledFuture;
import io.sockeye.bench.generator.Frames;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One soak client: an Engine.IO session (WebSocket only, polling only, or polling upgraded to WebSocket)
 * carrying a Socket.IO connection to the main namespace, driven by its {@link Role} and ended by the
 * {@link Churn}. Speaks the standalone server's client protocol: every request is an event with an ack,
 * answered {@code {ok: true, ...}} or {@code {ok: false, error: {code}}}. Everything runs on the one event
 * loop of {@link Net}.
 */
final class EioClient {

    enum Kind { WEBSOCKET, POLLING, UPGRADE }

    private enum State { CONNECTING, CONNECTED, ENDING, CLOSED }

    private static final Pattern ERROR_CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    private static final long CONNECT_TIMEOUT_MS = 15_000;

    private record Request(String what, long sentNanos) {
    }

    final Kind kind;
    final Role role;
    private final Churn churn;
    private final int port;
    private final Counters counters;
    private Transport transport;
    private WsTransport upgrade;
    private boolean upgrading;
    private final List<String> heldDuringUpgrade = new ArrayList<>();
    private State state = State.CONNECTING;
    private String sid;
    private boolean stalled;
    private final Map<Long, Request> pending = new HashMap<>();
    private final Set<Long> timedOut = new HashSet<>();
    private long nextAck;
    private final List<String> rooms = new ArrayList<>();
    private ScheduledFuture<?> next;
    private boolean finished;

    EioClient(Churn churn, Kind kind, Role role, int port) {
        this.churn = churn;
        this.kind = kind;
        this.role = role;
        this.port = port;
        this.counters = churn.counters;
    }

    String tag() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + "." + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    void start() {
        counters.add("sessions.started." + tag());
        transport = kind == Kind.WEBSOCKET
                ? WsTransport.open(churn.net, this, role.source, port, null)
                : PollingTransport.open(churn.net, this, role.source, port);
        later(CONNECT_TIMEOUT_MS, () -> {
            if (state == State.CONNECTING) {
                failed("not connected within " + CONNECT_TIMEOUT_MS / 1000 + " s");
                transport.abort(false);
            }
        });
    }

    int port() {
        return port;
    }

    boolean connected() {
        return state == State.CONNECTED;
    }

    // ---- from the transports ----

    void transportReady(Transport t) {
        if (t == upgrade) {
            t.send("2probe");
        }
    }

    void onLargeEvent(int bytes) {
        counters.add("received.bulk_events");
        counters.add("received.bulk_bytes", bytes);
    }

    void onPacket(Transport t, String p) {
        if (p.isEmpty() || state == State.CLOSED) {
            return;
        }
        switch (p.charAt(0)) {
            case Frames.EIO_OPEN -> opened(p);
            case Frames.EIO_CLOSE -> serverClosed("engine close packet");
            case Frames.EIO_PING -> {
                if (!stalled) {
                    send(Frames.PONG);
                }
            }
            case Frames.EIO_PONG -> {
                if (t == upgrade && p.equals("3probe")) {
                    probeAnswered();
                }
            }
            case Frames.EIO_MESSAGE -> message(p);
            case Frames.EIO_NOOP -> { }
            default -> counters.add("error.protocol.engine_packet");
        }
    }

    void transportClosed(Transport t, String why) {
        if (t == upgrade) {
            upgrade = null;
            if (upgrading) {
                upgrading = false;
                ((PollingTransport) transport).unpause();
                List<String> held = List.copyOf(heldDuringUpgrade);
                heldDuringUpgrade.clear();
                held.forEach(this::send);
            }
            if (state == State.CONNECTED) {
                error("upgrade", why);
            }
            return;
        }
        if (t != transport) {
            return; // the polling transport left behind by an upgrade
        }
        switch (state) {
            case CONNECTING -> failed(why);
            case CONNECTED -> serverClosed(why);
            default -> finish();
        }
    }

    // ---- Engine.IO and Socket.IO ----

    private void opened(String p) {
        try {
            sid = io.sockeye.bench.generator.OpenPacket.parse(p).sid();
        } catch (IllegalArgumentException e) {
            counters.add("error.protocol.open_packet");
            return;
        }
        send(Frames.connect("/"));
    }

    private void message(String p) {
        char type = p.length() > 1 ? p.charAt(1) : 0;
        switch (type) {
            case Frames.SIO_CONNECT -> socketConnected();
            case Frames.SIO_DISCONNECT -> serverClosed("server disconnect");
            case Frames.SIO_EVENT -> {
                counters.add("received.events");
                counters.add("received.event_bytes", p.length());
            }
            case Frames.SIO_ACK -> acked(p);
            case Frames.SIO_CONNECT_ERROR -> {
                failed("connect_error " + errorCode(p));
                transport.abort(false);
            }
            default -> counters.add("error.protocol.socket_packet");
        }
    }

    private void socketConnected() {
        if (state != State.CONNECTING) {
            counters.add("error.protocol.unexpected_connect");
            return;
        }
        state = State.CONNECTED;
        counters.add("sessions.connected." + tag());
        if (kind == Kind.UPGRADE) {
            upgrade = WsTransport.open(churn.net, this, role.source, port, sid);
            Transport probing = upgrade;
            later(10_000, () -> {
                if (upgrade == probing && state == State.CONNECTED) {
                    probing.abort(false); // reported as an upgrade failure
                }
            });
        }
        churn.behave(this);
    }

    private void probeAnswered() {
        upgrading = true;
        PollingTransport polling = (PollingTransport) transport;
        polling.pause(() -> {
            if (upgrade == null || state == State.CLOSED) {
                return;
            }
            upgrade.send("5");
            transport = upgrade;
            upgrade = null;
            upgrading = false;
            counters.add("sessions.upgraded");
            List<String> held = List.copyOf(heldDuringUpgrade);
            heldDuringUpgrade.clear();
            held.forEach(this::send);
            polling.abort(false);
            if (stalled) {
                transport.stopReading();
            }
        });
    }

    private void acked(String p) {
        int i = 2;
        long id = 0;
        while (i < p.length() && Character.isDigit(p.charAt(i))) {
            id = id * 10 + (p.charAt(i++) - '0');
        }
        Request r = pending.remove(id);
        if (r == null) {
            // An ack for a request already counted as timed out arrives late; any other is the server's mistake.
            counters.add(timedOut.remove(id) ? "requests.acked_after_the_timeout" : "error.protocol.unknown_ack");
            return;
        }
        if (p.contains("\"ok\":true")) {
            counters.add("requests.ok." + r.what());
        } else if (role.wellBehaved()) {
            counters.add("error.request." + r.what() + "." + errorCode(p));
        } else {
            counters.add(tag() + ".request_refused." + r.what() + "." + errorCode(p));
        }
    }

    private static String errorCode(String p) {
        Matcher m = ERROR_CODE.matcher(p);
        return m.find() ? m.group(1) : "unknown";
    }

    // ---- what the roles do (Churn decides when) ----

    void send(String packet) {
        if (upgrading) {
            heldDuringUpgrade.add(packet);
        } else if (transport != null) {
            transport.send(packet);
        }
    }

    void request(String what, String event, String jsonArg) {
        long id = nextAck++;
        pending.put(id, new Request(what, System.nanoTime()));
        send(Frames.event("/", id, event, jsonArg));
    }

    List<String> rooms() {
        return rooms;
    }

    /** Counts the requests left unanswered for longer than {@code timeoutMs} (as errors of a well-behaved client). */
    void expireRequests(long timeoutMs) {
        if (stalled || state != State.CONNECTED) {
            return;
        }
        long limit = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Iterator<Map.Entry<Long, Request>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Request> e = it.next();
            Request r = e.getValue();
            if (r.sentNanos() < limit) {
                it.remove();
                timedOut.add(e.getKey());
                counters.add(role.wellBehaved() ? "error.request." + r.what() + ".timeout" : tag() + ".request_timeout");
            }
        }
    }

    /** Stops reading (and answering pings), as a stalled or vanished client does. */
    void stall() {
        stalled = true;
        transport.stopReading();
    }

    /** Reads again after {@link #stall}. */
    void unstall() {
        stalled = false;
        transport.resumeReading();
    }

    /** A vanished polling client whose TCP connections go too. */
    void dropPollingConnections() {
        if (transport instanceof PollingTransport p) {
            p.dropConnections();
        }
    }

    /** Ends the client: gracefully (Socket.IO disconnect, then a close frame or close packet), or abruptly. */
    void end(String how) {
        if (state == State.ENDING || state == State.CLOSED) {
            return;
        }
        boolean graceful = how.startsWith("graceful") && state == State.CONNECTED;
        state = State.ENDING;
        counters.add("ended." + how);
        if (upgrade != null) {
            upgrade.abort(false);
        }
        if (graceful) {
            send("41");
            transport.closeGracefully();
        } else {
            transport.abort(how.equals("reset"));
        }
    }

    /** Schedules the role's next step, replacing the one scheduled before; cancelled when the client ends. */
    void after(long delayMs, Runnable task) {
        if (next != null) {
            next.cancel(false);
        }
        if (!finished) {
            next = later(delayMs, task);
        }
    }

    /** Schedules a check that looks at the state itself when it runs. */
    private ScheduledFuture<?> later(long delayMs, Runnable task) {
        return churn.net.loop().schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    // ---- endings not asked for ----

    private void failed(String why) {
        state = State.CLOSED;
        counters.add((role.wellBehaved() ? "error.connect." : tag() + ".connect_failed.") + Counters.key(why));
        finish();
    }

    private void serverClosed(String why) {
        if (state != State.CONNECTED) {
            return;
        }
        state = State.ENDING;
        churn.closedByServer(this, why);
        if (transport != null) {
            transport.abort(false);
        }
        finish();
    }

    private void error(String what, String why) {
        if (role.wellBehaved()) {
            counters.add("error." + what + "." + Counters.key(why));
        } else {
            counters.add(tag() + "." + what + "_failed");
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        state = State.CLOSED;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        if (upgrade != null) {
            upgrade.abort(false);
        }
        churn.ended(this);
    }

    boolean stalled() {
        return stalled;
    }
}
