package io.sockeye.bench.soak;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Which loopback block a soak client's sockets come from, so the runner can tell from the server's side
 * (its sockets in /proc/net/tcp) whose connections the server still holds: {@code 127.<octet>.0.<1..n>}.
 * Well-behaved clients spread over 64 addresses (the default per-address handshake rate is 20/s).
 */
public enum SourceClass {
    /** Clients that follow the protocol, the bulk readers included. */
    NORMAL(30, 64),
    /** Clients that stop reading their socket while their room keeps publishing. */
    SLOW_READER(31, 8),
    /** Sessions whose client vanished: a WebSocket that stops reading and answering pings, a polling session that stops polling. */
    VANISHED(32, 8),
    /** TCP connections that never complete a request: half a request head, or not a byte. */
    SLOWLORIS(33, 8),
    /** The backend publishing over the HTTP API. */
    BACKEND(34, 1);

    /** The second octet of the block's addresses. */
    public final int octet;
    private final int addresses;

    SourceClass(int octet, int addresses) {
        this.octet = octet;
        this.addresses = addresses;
    }

    /** The class of a client address, or null for an address outside every block (e.g. the HTTP API's). */
    public static SourceClass of(int secondOctet) {
        for (SourceClass c : values()) {
            if (c.octet == secondOctet) {
                return c;
            }
        }
        return null;
    }

    /** The {@code n}-th source address of this class (port 0: the kernel picks it), cycling over the block. */
    InetSocketAddress address(long n) {
        byte[] ip = {127, (byte) octet, 0, (byte) (1 + n % addresses)};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
