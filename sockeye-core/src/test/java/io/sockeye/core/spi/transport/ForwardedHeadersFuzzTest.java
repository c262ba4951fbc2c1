package io.sockeye.core.spi.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.util.NetUtil;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The forwarding headers a proxy passes on, where the part left of its own entry is whatever the
 * client sent. The input is up to three lines: {@code X-Forwarded-For}, {@code Forwarded},
 * {@code X-Real-IP} (an empty line leaves that header out). Contract: an address always, never an
 * exception; from an untrusted peer always the peer (the headers are not even read); from a trusted
 * peer the peer or an address the headers name; allocation in proportion to the input.
 * Seeds: the forms of RFC 7239's examples and of nginx, HAProxy and cloud balancers.
 */
class ForwardedHeadersFuzzTest {

    private static final TrustedProxies TRUSTED = TrustedProxies.of("10.0.0.0/8", "127.0.0.1", "fd00::/8");
    private static final InetAddress PROXY = NetUtil.createInetAddressFromIpAddressString("10.0.0.5");
    private static final InetAddress CLIENT = NetUtil.createInetAddressFromIpAddressString("203.0.113.7");
    private static final String[] NAMES = {"x-forwarded-for", "forwarded", "x-real-ip"};

    @FuzzTest
    void headers(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>();
        String[] lines = text.split("\n", NAMES.length);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                headers.put(NAMES[i], lines[i]);
            }
        }
        FuzzContract.boundedAllocation(input.length, 64, () -> {
            InetAddress viaProxy = TRUSTED.clientAddress(PROXY, headers);
            if (viaProxy == null) {
                throw new AssertionError("no address for " + headers);
            }
            if (viaProxy != PROXY && !named(viaProxy, text)) {
                throw new AssertionError(viaProxy + " is neither the peer nor named in " + headers);
            }
            if (TRUSTED.clientAddress(CLIENT, headers) != CLIENT) {
                throw new AssertionError("an untrusted peer's headers were read: " + headers);
            }
        });
    }

    // A cheap sign that the headers wrote this address: its last number in decimal, or IPv6 text
    // (which may also spell an IPv4-mapped address).
    private static boolean named(InetAddress address, String text) {
        byte[] bytes = address.getAddress();
        return text.indexOf(':') >= 0 || bytes.length == 4 && text.contains(String.valueOf(bytes[3] & 0xFF));
    }
}
