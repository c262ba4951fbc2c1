package io.sockeye.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's view of TCP sockets with IPv4 addresses ({@code /proc/net/tcp}, and {@code /proc/net/tcp6}
 * for dual-stack sockets, where they appear IPv4-mapped; Linux): for tests that must see whether a socket
 * is really gone from the server's side, which no client-side read can tell without reading.
 */
public final class TcpTable {

    private static final Path TABLE = Path.of("/proc/net/tcp");
    private static final Path TABLE6 = Path.of("/proc/net/tcp6");
    private static final String V4_MAPPED = "0000000000000000FFFF0000";
    private static final String[] STATES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    private TcpTable() {
    }

    /** Whether this machine has the table (Linux). */
    public static boolean available() {
        return Files.isReadable(TABLE);
    }

    /**
     * The state of the socket whose own end is {@code local} and whose peer is {@code remote}
     * ({@code ESTABLISHED}, {@code FIN_WAIT1}, ...), or {@code "gone"} when the kernel has none.
     */
    public static String state(InetSocketAddress local, InetSocketAddress remote) {
        for (String[] f : sockets()) {
            if (matches(f[1], local) && matches(f[2], remote)) {
                int st = Integer.parseInt(f[3], 16);
                return st < STATES.length ? STATES[st] : f[3];
            }
        }
        return "gone";
    }

    private static boolean matches(String field, InetSocketAddress address) {
        String v4 = hex(address);
        return field.equals(v4) || field.equals(V4_MAPPED + v4);
    }

    private static List<String[]> sockets() {
        List<String[]> all = new ArrayList<>();
        for (Path table : List.of(TABLE, TABLE6)) {
            if (Files.isReadable(table)) {
                for (String line : lines(table)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3) {
                        all.add(f);
                    }
                }
            }
        }
        return all;
    }

    private static List<String> lines(Path table) {
        try {
            List<String> all = Files.readAllLines(table);
            return all.subList(1, all.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The kernel writes the address as the 32-bit word in host (little-endian) order, the port big-endian.
    private static String hex(InetSocketAddress address) {
        if (!(address.getAddress() instanceof Inet4Address v4)) {
            throw new IllegalArgumentException("IPv4 only: " + address);
        }
        byte[] b = v4.getAddress();
        return String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", b[3], b[2], b[1], b[0], address.getPort());
    }
}
