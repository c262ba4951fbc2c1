package io.sockeye.core.spi.transport;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The proxies whose word a transport takes for a client's address: a list of CIDR blocks (IPv4 and
 * IPv6; a bare address is a block of one). Behind a load balancer every connection comes from the
 * balancer, so the address of the client that {@link io.sockeye.core.RequestInfo#remoteAddress()}
 * reports, and that every per-address limit counts, must come from what the balancer forwards — but
 * only when the connection really comes from a balancer: a client connecting directly could send the
 * same headers. Immutable and thread-safe.
 *
 * <p>{@link #clientAddress} applies the rule. Only when the peer is trusted are its forwarding headers
 * read, and exactly one of them decides, in this order:
 * <ol>
 *   <li>{@code X-Forwarded-For}: the right-most address that is not itself a trusted proxy (each
 *       proxy appends the address it received the request from, so addresses left of the last
 *       untrusted one may be made up by the client);</li>
 *   <li>else {@code Forwarded} (RFC 7239): the {@code for=} of its elements, by the same right-most
 *       rule ({@code for="[2001:db8::1]:4711"}, ports and quoting as the RFC writes them);</li>
 *   <li>else {@code X-Real-IP}: one address.</li>
 * </ol>
 * {@code X-Forwarded-For} comes first because nginx, HAProxy ({@code option forwardfor}) and the
 * cloud load balancers append to it: a header a client sent itself is superseded by theirs, whereas a
 * {@code Forwarded} header that the proxy passes on untouched would be the client's word. When every
 * address of the header is a trusted proxy, the left-most is the client. An {@code unknown} or
 * obfuscated ({@code _hidden}) identifier, or an element without {@code for=}, stops the walk: the
 * client is the last address known, the trusted hop that reported it. A malformed value reached by
 * the walk (not an IP literal, broken quoting) is ignored as a whole: the address is the peer's, with
 * a debug log — never an exception. Host names are never looked up.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<String> blocks;
    private final List<Block> parsed;

    private TrustedProxies(List<String> blocks, List<Block> parsed) {
        this.blocks = List.copyOf(blocks);
        this.parsed = List.copyOf(parsed);
    }

    /** Trusts nobody: the client address is always the peer's. The default. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param blocks CIDR blocks such as {@code 10.0.0.0/8}, {@code fd00::/8}, or single addresses
     *               ({@code 127.0.0.1}, {@code ::1})
     * @throws IllegalArgumentException naming the first entry that is not an IP address or CIDR block,
     *                                  or has bits set past its prefix ({@code 10.0.0.1/8})
     */
    public static TrustedProxies of(List<String> blocks) {
        List<Block> parsed = new ArrayList<>();
        for (String text : blocks) {
            parsed.add(Block.parse(text.trim()));
        }
        return parsed.isEmpty() ? NONE : new TrustedProxies(blocks.stream().map(String::trim).toList(), parsed);
    }

    public static TrustedProxies of(String... blocks) {
        return of(List.of(blocks));
    }

    /** Whether no proxy is trusted. */
    public boolean isEmpty() {
        return parsed.isEmpty();
    }

    /** The blocks as given. */
    public List<String> blocks() {
        return blocks;
    }

    /** Whether {@code address} is in one of the blocks (an IPv4-mapped IPv6 address counts as IPv4). */
    public boolean trusts(InetAddress address) {
        if (address == null || parsed.isEmpty()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Block b : parsed) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some block covers every address (e.g. {@code 0.0.0.0/0}): then any client can name its address. */
    public boolean trustsEveryone() {
        return parsed.stream().anyMatch(b -> b.prefix == 0);
    }

    /**
     * The client's address for a request that came from {@code peer} with {@code headers}: the peer
     * itself unless it is trusted and forwarded one (see the class documentation).
     *
     * @param peer    the address the request came from: the connection's other end, or the source a
     *                trusted PROXY protocol header named
     * @param headers the request's headers by lower-case name, repeated ones joined with {@code ", "}
     */
    public InetAddress clientAddress(InetAddress peer, Map<String, String> headers) {
        if (!trusts(peer)) {
            return peer;
        }
        String xff = headers.get("x-forwarded-for");
        if (xff != null && !xff.isBlank()) {
            return ForwardedHeaders.rightmostUntrusted(this, peer, ForwardedHeaders.Kind.X_FORWARDED_FOR, xff);
        }
        String forwarded = headers.get("forwarded");
        if (forwarded != null && !forwarded.isBlank()) {
            return ForwardedHeaders.rightmostUntrusted(this, peer, ForwardedHeaders.Kind.FORWARDED, forwarded);
        }
        String realIp = headers.get("x-real-ip");
        if (realIp != null && !realIp.isBlank()) {
            return ForwardedHeaders.realIp(peer, realIp);
        }
        return peer;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "none" : String.join(",", blocks);
    }

    /** One CIDR block: the network's bytes (4 or 16) and the prefix length. */
    private record Block(byte[] network, int prefix) {

        static Block parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
            if (bytes == null || address.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or a CIDR block"
                        + " like 10.0.0.0/8 or fd00::/8");
            }
            int max = bytes.length * 8;
            int prefix = max;
            if (slash >= 0) {
                String bits = text.substring(slash + 1);
                if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
                    throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + max);
                }
                prefix = Integer.parseInt(bits);
            }
            // An IPv4-mapped block (::ffff:10.0.0.0/104) is the IPv4 block: peers arrive as IPv4.
            if (bytes.length == 16 && isV4Mapped(bytes) && prefix >= 96) {
                bytes = Arrays.copyOfRange(bytes, 12, 16);
                prefix -= 96;
            }
            Block block = new Block(bytes, prefix);
            if (!Arrays.equals(block.masked(bytes), bytes)) {
                throw new IllegalArgumentException("'" + text + "' has bits set past its /" + prefix
                        + " prefix: write " + NetUtil.bytesToIpAddress(block.masked(bytes)) + "/" + prefix);
            }
            return block;
        }

        boolean contains(byte[] address) {
            if (address.length == 16 && network.length == 4 && isV4Mapped(address)) {
                address = Arrays.copyOfRange(address, 12, 16);
            }
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        byte[] masked(byte[] address) {
            byte[] out = new byte[address.length];
            for (int i = 0; i < address.length; i++) {
                int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
                out[i] = (byte) (address[i] & ((0xFF << (8 - bitsHere)) & 0xFF));
            }
            return out;
        }

        private static boolean isV4Mapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
        }
    }
}
