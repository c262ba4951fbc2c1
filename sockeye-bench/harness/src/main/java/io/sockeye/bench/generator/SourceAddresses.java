package io.sockeye.bench.generator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Source addresses for client sockets, spread over 127/8: Linux gives each source address 28,232 local
 * ports (32768–60999), and bind-before-connect keeps a port bound while it sits in TIME_WAIT, so each
 * generator process walks its own {@code 127.<16+process>.x.y} block, {@value #PER_ADDRESS} sockets per
 * address, and never reuses an address within its lifetime. All of 127/8 reaches the loopback device
 * without any configuration.
 */
public final class SourceAddresses {

    /** Sockets bound to one source address before moving to the next: well below the 28,232 ports. */
    public static final int PER_ADDRESS = 5_000;

    private final int process;
    private long next;

    public SourceAddresses(int process) {
        if (process < 0 || process > 200) {
            throw new IllegalArgumentException("process index out of range: " + process);
        }
        this.process = process;
    }

    /** The local address for the next socket (port 0: the kernel picks the port). */
    public synchronized InetSocketAddress next() {
        return new InetSocketAddress(addressFor(process, next++), 0);
    }

    /** The source address of the {@code n}-th socket (from 0) of generator process {@code process}. */
    public static InetAddress addressFor(int process, long n) {
        long host = n / PER_ADDRESS + 1; // .0.0 is skipped
        if (host > 0xFFFE) {
            throw new IllegalStateException("source addresses of process " + process + " exhausted");
        }
        byte[] ip = {127, (byte) (16 + process), (byte) (host >>> 8), (byte) host};
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always a valid address
        }
    }
}
