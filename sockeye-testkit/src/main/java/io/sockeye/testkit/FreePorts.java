package io.sockeye.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out TCP ports that were free a moment ago, for child processes (redis-server, nginx...)
 * that must be told their port up front. Servers of our own should bind port 0 instead.
 */
public final class FreePorts {

    private static final int ATTEMPTS = 50;
    /** Ports already handed out in this JVM: the OS may offer a just-closed port again. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** Returns a port that nothing listens on (on any local address) and that this JVM has not returned before. */
    public static int next() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ephemeralPort();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no unused free port after " + ATTEMPTS + " attempts");
    }

    private static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port still in TIME_WAIT is not offered, so the caller can bind it.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}
