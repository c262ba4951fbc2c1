package io.sockeye.bench.run;

import java.util.List;

/**
 * Hands scenarios their peer server process. A full run starts a fresh process for every scenario, so
 * no scenario inherits another's heap, JIT state or sockets. A quick run keeps one process per peer
 * for all its scenarios (it runs peer by peer): JVM start-ups on a shared CPU would otherwise take most
 * of its time budget, and a smoke test does not need the isolation.
 */
final class Peers implements AutoCloseable {

    private final Env env;
    private final boolean reuse;
    private PeerProcess current;

    Peers(Env env, boolean reuse) {
        this.env = env;
        this.reuse = reuse;
    }

    PeerProcess acquire(PeerKind kind, String logName) throws Exception {
        if (reuse && current != null && current.kind == kind && current.isAlive()) {
            return current;
        }
        close();
        PeerProcess peer = PeerProcess.start(env, kind, reuse ? kind.id : logName, List.of());
        if (reuse) {
            current = peer;
        }
        return peer;
    }

    void release(PeerProcess peer) {
        if (peer != current) {
            peer.close();
        }
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
