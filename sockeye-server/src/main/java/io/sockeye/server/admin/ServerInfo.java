package io.sockeye.server.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The host name, read once (a lookup may be slow). */
final class ServerInfo {

    private static final String HOSTNAME = lookup();

    private ServerInfo() {
    }

    static String hostname() {
        return HOSTNAME;
    }

    private static String lookup() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
