package io.sockeye.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.Handshake;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.TrustedProxies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client address a real front on 127.0.0.1 reports, for clients connecting from 127.0.0.1 (the
 * trusted proxy) and from 127.0.0.2 (anyone else): the forwarding headers, then the PROXY protocol v1
 * and v2 with its trust rule. The fallback answers {@code <remoteAddress> <peerAddress>}.
 */
class ClientAddressTest {

    private static final String PROXY = "127.0.0.1";
    private static final String STRANGER = "127.0.0.2";
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final CompletableFuture<io.sockeye.core.Socket> connected = new CompletableFuture<>();
    private SocketIoServer io;
    private NettyFrontend front;

    private void start(boolean proxyProtocol) {
        SockeyeMetrics metrics = new SockeyeMetrics() {
            @Override
            public void connectionRefused(String reason) {
                refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
            }
        };
        io = SocketIoServer.create(ServerOptions.builder().metrics(metrics).build());
        io.on("connection", connected::complete);
        front = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io)
                .trustedProxies(TrustedProxies.of(PROXY, "10.0.0.0/8"))
                .proxyProtocol(proxyProtocol)
                .fallback((ctx, req, info) -> {
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.copiedBuffer(info.remoteAddress() + " " + info.peerAddress(), StandardCharsets.UTF_8));
                    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                    return true;
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
    }

    // ---- forwarding headers ------------------------------------------------------------------------

    @Test
    void aTrustedProxysForwardedForNamesTheClientAndThePeerStaysTheProxy() throws IOException {
        start(false);
        assertThat(body(exchange(PROXY, get("X-Forwarded-For: 203.0.113.9, 10.0.0.3")))).isEqualTo("203.0.113.9 127.0.0.1");
        assertThat(body(exchange(PROXY, get("Forwarded: for=\"[2001:db8::9]:4711\""))))
                .isEqualTo("2001:db8:0:0:0:0:0:9 127.0.0.1");
        assertThat(body(exchange(PROXY, get("X-Real-IP: 203.0.113.8")))).isEqualTo("203.0.113.8 127.0.0.1");
        assertThat(body(exchange(PROXY, get("X-Forwarded-For: not-an-address")))).isEqualTo("127.0.0.1 127.0.0.1");
    }

    @Test
    void anUntrustedPeersForwardingHeadersAreIgnored() throws IOException {
        start(false);
        assertThat(body(exchange(STRANGER, get("X-Forwarded-For: 203.0.113.9", "Forwarded: for=203.0.113.8",
                "X-Real-IP: 203.0.113.7")))).isEqualTo("127.0.0.2 127.0.0.2");
    }

    @Test
    void theHandshakeAddressIsTheClientAndTheSocketsRequestKeepsThePeer() throws Exception {
        start(false);
        String open = body(exchange(PROXY, get("/socket.io/?EIO=4&transport=polling", "X-Forwarded-For: 203.0.113.9")));
        Matcher sid = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open);
        assertThat(sid.find()).as("handshake %s", open).isTrue();
        exchange(PROXY, post("/socket.io/?EIO=4&transport=polling&sid=" + sid.group(1), "40"));
        io.sockeye.core.Socket socket = connected.get(30, TimeUnit.SECONDS);
        Handshake handshake = socket.handshake();
        RequestInfo request = socket.request();
        assertThat(handshake.address()).isEqualTo("203.0.113.9");
        assertThat(request.remoteAddress()).isEqualTo("203.0.113.9");
        assertThat(request.peerAddress()).isEqualTo("127.0.0.1");
    }

    // ---- PROXY protocol ----------------------------------------------------------------------------

    @Test
    void aTrustedPeersProxyHeaderV1OrV2NamesTheClient() throws IOException {
        start(true);
        assertThat(body(exchange(PROXY, concat(ascii("PROXY TCP4 198.51.100.7 127.0.0.1 5555 3000\r\n"), get()))))
                .isEqualTo("198.51.100.7 127.0.0.1");
        assertThat(body(exchange(PROXY, concat(ascii("PROXY TCP6 2001:db8::7 ::1 5555 3000\r\n"), get()))))
                .isEqualTo("2001:db8:0:0:0:0:0:7 127.0.0.1");
        assertThat(body(exchange(PROXY, concat(v2Proxy(new byte[] {(byte) 198, 51, 100, 8}), get()))))
                .isEqualTo("198.51.100.8 127.0.0.1");
        assertThat(refused).isEmpty();
    }

    @Test
    void aLocalOrUnknownHeaderAsHealthChecksSendKeepsThePeersAddress() throws IOException {
        start(true);
        assertThat(body(exchange(PROXY, concat(v2Local(), get())))).isEqualTo("127.0.0.1 127.0.0.1");
        assertThat(body(exchange(PROXY, concat(ascii("PROXY UNKNOWN\r\n"), get())))).isEqualTo("127.0.0.1 127.0.0.1");
    }

    @Test
    void aProxiedSourceThatIsItselfATrustedProxyHasItsForwardingHeadersRead() throws IOException {
        start(true);
        assertThat(body(exchange(PROXY, concat(ascii("PROXY TCP4 10.0.0.9 127.0.0.1 5555 3000\r\n"),
                get("X-Forwarded-For: 203.0.113.5"))))).isEqualTo("203.0.113.5 127.0.0.1");
        assertThat(body(exchange(PROXY, concat(ascii("PROXY TCP4 198.51.100.7 127.0.0.1 5555 3000\r\n"),
                get("X-Forwarded-For: 203.0.113.5"))))).isEqualTo("198.51.100.7 127.0.0.1");
    }

    @Test
    void aTrustedPeerWithoutAHeaderOrWithABrokenOneIsClosedUnanswered() throws IOException {
        start(true);
        assertThat(exchange(PROXY, get())).isEmpty();
        assertThat(exchange(PROXY, concat(ascii("PROXY TCP4 nonsense\r\n"), get()))).isEmpty();
        // The connection closes before the refusal is counted on the event loop: wait for the count.
        await().atMost(AWAIT).untilAsserted(() ->
                assertThat(refused).containsOnlyKeys("proxy_header_missing", "proxy_header_invalid"));
    }

    @Test
    void aStrangerMayConnectDirectlyButNotSendAProxyHeader() throws IOException {
        start(true);
        assertThat(body(exchange(STRANGER, get("X-Forwarded-For: 203.0.113.9")))).isEqualTo("127.0.0.2 127.0.0.2");
        assertThat(exchange(STRANGER, concat(ascii("PROXY TCP4 203.0.113.9 127.0.0.1 5555 3000\r\n"), get()))).isEmpty();
        assertThat(exchange(STRANGER, concat(v2Proxy(new byte[] {(byte) 203, 0, 113, 9}), get()))).isEmpty();
        await().atMost(AWAIT).untilAsserted(() ->
                assertThat(refused.getOrDefault("proxy_header_untrusted", new LongAdder()).sum()).isEqualTo(2));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static byte[] get(String... headers) {
        String path = headers.length > 0 && headers[0].startsWith("/") ? headers[0] : "/who";
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String h : headers) {
            if (!h.startsWith("/")) {
                req.append(h).append("\r\n");
            }
        }
        return ascii(req.append("\r\n").toString());
    }

    private static byte[] post(String path, String body) {
        return ascii("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** PROXY protocol v2, command PROXY, TCP over IPv4, from {@code source}:5555 to 127.0.0.1:3000. */
    private static byte[] v2Proxy(byte[] source) {
        ByteBuffer b = ByteBuffer.allocate(28).put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                .put(source).put(new byte[] {127, 0, 0, 1}).putShort((short) 5555).putShort((short) 3000);
        return b.array();
    }

    /** PROXY protocol v2, command LOCAL, no address: what HAProxy's health checks send. */
    private static byte[] v2Local() {
        return ByteBuffer.allocate(16).put(V2_SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0).array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Sends {@code request} from {@code localAddress} and reads until the server closes: the raw response, or "" if none. */
    private String exchange(String localAddress, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", front.port()), 30_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (SocketException reset) {
                // A connection closed with our bytes unread is reset: the same answer, none.
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        assertThat(response).as("an answer").startsWith("HTTP/1.1 200");
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
