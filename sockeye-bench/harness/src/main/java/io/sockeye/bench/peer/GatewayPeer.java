package io.sockeye.bench.peer;

import io.sockeye.server.SockeyeApplication;
import io.sockeye.server.config.ConfigLoader;

import java.util.ArrayList;
import java.util.List;

/**
 * The standalone server ({@code bin/sockeye}'s {@link SockeyeApplication}) as a benchmark peer, for the gateway
 * scenario: {@code --port P --threads 1 --max-lifetime-s S}, then any {@code bin/sockeye} flags (proxies,
 * forwarding, limits). Prints {@code READY <port>} like the other peers.
 */
public final class GatewayPeer {

    private GatewayPeer() {
    }

    public static void main(String[] args) {
        String port = PeerConsole.arg(args, "--port", "3000");
        long lifetime = Long.parseLong(PeerConsole.arg(args, "--max-lifetime-s", "3600"));
        List<String> flags = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", port, "--log-level", "warn"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port", "--max-lifetime-s", "--threads" -> i++; // the peer's own options
                default -> flags.add(args[i]);
            }
        }
        SockeyeApplication app = SockeyeApplication.start(ConfigLoader.load(flags.toArray(String[]::new)));
        PeerConsole.serve(app.port(), () -> app.io().sockets().sockets().size(), app::close, lifetime);
    }
}
