package io.sockeye.core.engine;

import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;

/**
 * One polling → WebSocket upgrade attempt (engine.io {@code socket.ts maybeUpgrade}): the client
 * probes the new socket with {@code 2probe} and gets {@code 3probe}; while it pauses polling, its
 * parked poll is released with a noop every 100 ms; {@code 5} completes the switch. An attempt that
 * takes longer than {@code upgradeTimeout}, or sends anything else, is abandoned and the session stays
 * on polling. Runs on the session's executor.
 */
final class Upgrade {

    /** How often a parked poll is released while the client pauses polling to upgrade. */
    static final long NOOP_INTERVAL_MILLIS = 100;

    private final EngineSession session;
    final WebSocketTransport ws;
    private EngineTimer.Cancellable timeout;
    private EngineTimer.Cancellable noops;

    Upgrade(EngineSession session, WebSocketTransport ws, long timeoutMillis) {
        this.session = session;
        this.ws = ws;
        this.timeout = session.schedule(() -> session.abandonUpgrade(this, "upgrade timed out"), timeoutMillis);
    }

    /** A packet arrived on the upgrading WebSocket. */
    void onPacket(EnginePacket packet) {
        if (packet.type() == EnginePacketType.PING && "probe".equals(packet.text())) {
            ws.sendNow(EnginePacket.text(EnginePacketType.PONG, "probe"));
            cancel(noops);
            scheduleNoop();
        } else if (packet.type() == EnginePacketType.UPGRADE) {
            cancelTimers();
            session.completeUpgrade(this);
        } else {
            session.abandonUpgrade(this, "unexpected " + packet.type() + " packet during upgrade");
        }
    }

    private void scheduleNoop() {
        noops = session.schedule(() -> {
            if (session.releaseParkedPoll(this)) {
                scheduleNoop();
            }
        }, NOOP_INTERVAL_MILLIS);
    }

    void cancelTimers() {
        cancel(timeout);
        cancel(noops);
        timeout = null;
        noops = null;
    }

    private static void cancel(EngineTimer.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
