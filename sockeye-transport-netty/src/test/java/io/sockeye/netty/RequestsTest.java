package io.sockeye.netty;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.RequestInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestsTest {

    private static RequestInfo info(String key) {
        return info(key, "/socket.io/?EIO=4&transport=websocket&t=abc");
    }

    private static RequestInfo info(String key, String uri) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, new String(uri));
        req.headers().add("Host", new String("example.com:3000"))
                .add("User-Agent", new String("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"))
                .add("Sec-WebSocket-Key", key)
                .add("Cookie", new String("a=1"))
                .add("X-Multi", "one").add("X-Multi", "two");
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            return Requests.info(channel, req);
        } finally {
            req.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void headersAreLowerCasedAndRepeatedOnesJoined() {
        RequestInfo info = info("k1");
        assertThat(info.header("host")).isEqualTo("example.com:3000");
        assertThat(info.header("x-multi")).isEqualTo("one, two");
        assertThat(info.queryParam("EIO")).isEqualTo("4");
        assertThat(info.path()).isEqualTo("/socket.io/");
    }

    @Test
    void valuesThatRepeatAcrossConnectionsAreSharedAndPerConnectionOnesAreNot() {
        RequestInfo a = info(new String("same-key"));
        RequestInfo b = info(new String("same-key"));
        assertThat(b.header("host")).isSameAs(a.header("host"));
        assertThat(b.header("user-agent")).isSameAs(a.header("user-agent"));
        assertThat(b.queryParam("transport")).isSameAs(a.queryParam("transport"));
        // (these URLs carry a cache-busting t: never shared)
        assertThat(b.url()).isEqualTo(a.url()).isNotSameAs(a.url());
        // Keys, cookies and credentials are never put in the shared table.
        assertThat(b.header("sec-websocket-key")).isNotSameAs(a.header("sec-websocket-key"));
        assertThat(b.header("cookie")).isNotSameAs(a.header("cookie"));
    }

    @Test
    void aWebSocketOnlyHandshakeUrlIsSharedAcrossConnections() {
        RequestInfo a = info("k1", "/socket.io/?EIO=4&transport=websocket");
        RequestInfo b = info("k2", "/socket.io/?EIO=4&transport=websocket");
        assertThat(b.url()).isSameAs(a.url());
    }
}
