package io.sockeye.core.spi.transport;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {

    /** nginx on the host, an internal balancer network, and an IPv6 one. */
    private static final TrustedProxies TRUSTED = TrustedProxies.of("127.0.0.1", "10.0.0.0/8", "fd00::/8");
    private static final InetAddress PROXY = ip("10.0.0.5");

    private static InetAddress ip(String text) {
        return NetUtil.createInetAddressFromIpAddressString(text);
    }

    private static String client(InetAddress peer, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return TRUSTED.clientAddress(peer, map).getHostAddress();
    }

    @Nested
    class Blocks {

        @Test
        void matchesAddressesInsideIpv4AndIpv6Blocks() {
            assertThat(TRUSTED.trusts(ip("10.255.1.2"))).isTrue();
            assertThat(TRUSTED.trusts(ip("11.0.0.1"))).isFalse();
            assertThat(TRUSTED.trusts(ip("127.0.0.1"))).isTrue();
            assertThat(TRUSTED.trusts(ip("127.0.0.2"))).isFalse();
            assertThat(TRUSTED.trusts(ip("fd12:3456::1"))).isTrue();
            assertThat(TRUSTED.trusts(ip("fe80::1"))).isFalse();
        }

        @Test
        void prefixesThatAreNotWholeBytesCompareTheirBitsOnly() {
            TrustedProxies block = TrustedProxies.of("192.168.4.0/22", "2001:db8:8000::/33");
            assertThat(block.trusts(ip("192.168.7.255"))).isTrue();
            assertThat(block.trusts(ip("192.168.8.0"))).isFalse();
            assertThat(block.trusts(ip("192.168.3.255"))).isFalse();
            assertThat(block.trusts(ip("2001:db8:ffff::1"))).isTrue();
            assertThat(block.trusts(ip("2001:db8:7fff::1"))).isFalse();
        }

        @Test
        void ipv4MappedIpv6AddressesAndBlocksCountAsIpv4() {
            assertThat(TRUSTED.trusts(InetAddressOf.mapped("10.1.2.3"))).isTrue();
            assertThat(TrustedProxies.of("::ffff:10.0.0.0/104").trusts(ip("10.9.9.9"))).isTrue();
        }

        @Test
        void aZeroPrefixTrustsEveryone() {
            assertThat(TrustedProxies.of("0.0.0.0/0").trustsEveryone()).isTrue();
            assertThat(TRUSTED.trustsEveryone()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "example.com", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0/8",
                "1.2.3.4/8", "fd00::1/8", "10.0.0.0/8/8"})
        void refusesWhatIsNotACidrBlockNamingIt(String block) {
            assertThatThrownBy(() -> TrustedProxies.of(block)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + block + "'");
        }

        @Test
        void saysWhichBlockWasMeantWhenHostBitsAreSet() {
            assertThatThrownBy(() -> TrustedProxies.of("10.1.2.3/8")).hasMessageContaining("write 10.0.0.0/8");
        }

        @Test
        void noneTrustsNobody() {
            assertThat(TrustedProxies.none().isEmpty()).isTrue();
            assertThat(TrustedProxies.none().trusts(ip("127.0.0.1"))).isFalse();
            assertThat(TrustedProxies.of(java.util.List.of())).isSameAs(TrustedProxies.none());
        }
    }

    @Nested
    class TrustRule {

        @Test
        void headersFromAnUntrustedPeerAreIgnored() {
            InetAddress direct = ip("203.0.113.7");
            assertThat(client(direct, "x-forwarded-for", "198.51.100.1")).isEqualTo("203.0.113.7");
            assertThat(client(direct, "forwarded", "for=198.51.100.1")).isEqualTo("203.0.113.7");
            assertThat(client(direct, "x-real-ip", "198.51.100.1")).isEqualTo("203.0.113.7");
        }

        @Test
        void aTrustedPeerWithoutForwardingHeadersIsTheClient() {
            assertThat(client(PROXY)).isEqualTo("10.0.0.5");
            assertThat(client(PROXY, "x-forwarded-for", "  ")).isEqualTo("10.0.0.5");
        }

        @Test
        void xForwardedForComesBeforeForwardedWhichComesBeforeXRealIp() {
            assertThat(client(PROXY, "x-forwarded-for", "198.51.100.1", "forwarded", "for=198.51.100.2",
                    "x-real-ip", "198.51.100.3")).isEqualTo("198.51.100.1");
            assertThat(client(PROXY, "forwarded", "for=198.51.100.2", "x-real-ip", "198.51.100.3"))
                    .isEqualTo("198.51.100.2");
            assertThat(client(PROXY, "x-real-ip", "198.51.100.3")).isEqualTo("198.51.100.3");
        }
    }

    @Nested
    class XForwardedFor {

        @Test
        void takesTheRightMostAddressThatIsNotATrustedProxy() {
            // The client claimed 1.1.1.1; the first proxy appended the real client, then two trusted hops.
            assertThat(client(PROXY, "x-forwarded-for", "1.1.1.1, 198.51.100.9, 10.0.0.7, 127.0.0.1"))
                    .isEqualTo("198.51.100.9");
        }

        @Test
        void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
            assertThat(client(PROXY, "x-forwarded-for", "10.0.0.9, 10.0.0.8")).isEqualTo("10.0.0.9");
        }

        @Test
        void readsIpv6AndPortsInTheFormsProxiesWrite() {
            assertThat(client(PROXY, "x-forwarded-for", "2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
            assertThat(client(PROXY, "x-forwarded-for", "[2001:db8::2]")).isEqualTo("2001:db8:0:0:0:0:0:2");
            assertThat(client(PROXY, "x-forwarded-for", "[2001:db8::3]:4711")).isEqualTo("2001:db8:0:0:0:0:0:3");
            assertThat(client(PROXY, "x-forwarded-for", "198.51.100.4:4711")).isEqualTo("198.51.100.4");
            assertThat(client(PROXY, "x-forwarded-for", "::ffff:198.51.100.5")).isEqualTo("198.51.100.5");
        }

        @Test
        void garbageLeftOfTheClientIsNeverRead() {
            assertThat(client(PROXY, "x-forwarded-for", "not an address, <script>, 198.51.100.9")).isEqualTo("198.51.100.9");
        }

        @Test
        void emptyElementsAreSkipped() {
            assertThat(client(PROXY, "x-forwarded-for", "198.51.100.9, , 10.0.0.7,")).isEqualTo("198.51.100.9");
        }

        @Test
        void anUnknownHopStopsAtTheTrustedProxyThatReportedIt() {
            assertThat(client(PROXY, "x-forwarded-for", "198.51.100.9, unknown, 10.0.0.7")).isEqualTo("10.0.0.7");
            assertThat(client(PROXY, "x-forwarded-for", "unknown")).isEqualTo("10.0.0.5");
        }

        @ParameterizedTest
        @ValueSource(strings = {"example.com", "198.51.100.999", "1.2.3.4:99999", "1.2.3.4:", "[2001:db8::1",
                "[2001:db8::1]x", "[198.51.100.1]", "fe80::1%eth0", "1.2.3.4 5.6.7.8", "\u0000", "1.2.3.4:80:80"})
        void aMalformedAddressReachedByTheWalkGivesThePeer(String value) {
            assertThat(client(PROXY, "x-forwarded-for", value)).isEqualTo("10.0.0.5");
            assertThat(client(PROXY, "x-forwarded-for", "198.51.100.1, " + value + ", 127.0.0.1")).isEqualTo("10.0.0.5");
        }
    }

    @Nested
    class Forwarded {

        @Test
        void readsTheForParameterOfRfc7239Examples() {
            assertThat(client(PROXY, "forwarded", "for=\"_gazonk\"")).isEqualTo("10.0.0.5");
            assertThat(client(PROXY, "forwarded", "For=\"[2001:db8:cafe::17]:4711\"")).isEqualTo("2001:db8:cafe:0:0:0:0:17");
            assertThat(client(PROXY, "forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43")).isEqualTo("192.0.2.60");
            assertThat(client(PROXY, "forwarded", "for=192.0.2.43, for=198.51.100.17")).isEqualTo("198.51.100.17");
            assertThat(client(PROXY, "forwarded", "for=\"192.0.2.43:47011\"")).isEqualTo("192.0.2.43");
            assertThat(client(PROXY, "forwarded", "for=\"192.0.2.43:_port\"")).isEqualTo("192.0.2.43");
        }

        @Test
        void takesTheRightMostElementThatIsNotATrustedProxy() {
            assertThat(client(PROXY, "forwarded", "for=1.1.1.1, for=198.51.100.9;proto=https, for=10.0.0.7, for=\"[fd00::1]\""))
                    .isEqualTo("198.51.100.9");
        }

        @Test
        void unknownObfuscatedOrMissingForStopsAtTheLastKnownHop() {
            assertThat(client(PROXY, "forwarded", "for=198.51.100.9, for=unknown, for=10.0.0.7")).isEqualTo("10.0.0.7");
            assertThat(client(PROXY, "forwarded", "for=198.51.100.9, for=_hidden")).isEqualTo("10.0.0.5");
            assertThat(client(PROXY, "forwarded", "for=198.51.100.9, proto=https")).isEqualTo("10.0.0.5");
        }

        @Test
        void quotedStringsMayHoldCommasSemicolonsAndEscapes() {
            assertThat(client(PROXY, "forwarded", "for=198.51.100.9;ext=\"a,b;c\\\"d\"")).isEqualTo("198.51.100.9");
        }

        @ParameterizedTest
        @ValueSource(strings = {"for=198.51.100.9;for=198.51.100.8", "for=", "for=\"198.51.100.9", "=x", "for",
                "for=2001:db8::1", "for=\"[2001:db8::1]:port\"", "for=_bad!", "for=example.com", "f o r=1.2.3.4",
                "for=\"a\"b", "for=1.2.3.4;x=\"\\"})
        void aMalformedElementReachedByTheWalkGivesThePeer(String value) {
            assertThat(client(PROXY, "forwarded", value)).isEqualTo("10.0.0.5");
        }

        @Test
        void aMalformedElementLeftOfTheClientIsNeverRead() {
            assertThat(client(PROXY, "forwarded", "for=garbage!, for=198.51.100.9")).isEqualTo("198.51.100.9");
        }
    }

    @Nested
    class XRealIp {

        @Test
        void isOneAddressEvenOfATrustedProxy() {
            assertThat(client(PROXY, "x-real-ip", "127.0.0.1")).isEqualTo("127.0.0.1");
            assertThat(client(PROXY, "x-real-ip", " 2001:db8::1 ")).isEqualTo("2001:db8:0:0:0:0:0:1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"198.51.100.1, 198.51.100.2", "unknown", "localhost"})
        void aListUnknownOrNameGivesThePeer(String value) {
            assertThat(client(PROXY, "x-real-ip", value)).isEqualTo("10.0.0.5");
        }
    }

    /** IPv4-mapped IPv6 addresses as a dual-stack socket could report them. */
    private static final class InetAddressOf {
        static InetAddress mapped(String v4) {
            byte[] four = ip(v4).getAddress();
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(four, 0, mapped, 12, 4);
            try {
                return java.net.Inet6Address.getByAddress(null, mapped, -1);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }
}
