package io.sockeye.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.CookieOptions;
import io.sockeye.core.CorsOptions;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.engine.EngineIo;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.netty.HandshakeFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP side of the transport on an {@link EmbeddedChannel}: routing, CORS, cookie, limits, errors. */
class EngineHttpHandlerTest {

    private final List<FullHttpResponse> responses = new ArrayList<>();
    private EngineEndpoint engine;
    private EmbeddedChannel channel;

    private void start(ServerOptions options, HandshakeFilter filter) {
        engine = EngineIo.endpoint(options, s -> { });
        channel = new EmbeddedChannel(
                new FrontendChannelInitializer.EngineAwareAggregator((int) options.maxHttpBufferSize(), List.of(engine)),
                new EngineHttpHandler(List.of(engine), (ctx, req, info) -> {
                    if (!info.path().equals("/hello")) {
                        return false;
                    }
                    EngineHttpHandler.sendAndClose(ctx, io.netty.handler.codec.http.HttpResponseStatus.OK, "hi");
                    return true;
                }, filter));
    }

    @AfterEach
    void release() {
        responses.forEach(FullHttpResponse::release);
        if (engine != null) {
            engine.close();
        }
        if (channel != null) {
            channel.runPendingTasks();
            Object o;
            while ((o = channel.readOutbound()) != null) {
                io.netty.util.ReferenceCountUtil.release(o);
            }
            channel.finishAndReleaseAll();
        }
    }

    private FullHttpResponse send(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().add(headers[i], headers[i + 1]);
        }
        req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, req.content().readableBytes());
        channel.writeInbound(req);
        channel.runPendingTasks();
        FullHttpResponse res = channel.readOutbound();
        assertThat(res).as("response to %s %s", method, uri).isNotNull();
        responses.add(res);
        return res;
    }

    private static String body(FullHttpResponse res) {
        return res.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void answersAHandshakeWithTheOpenPacketAndTheStickyCookie() {
        start(ServerOptions.builder().path("/engine.io").cookie(CookieOptions.defaults()).build(), null);
        FullHttpResponse res = send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "");
        assertThat(res.status().code()).isEqualTo(200);
        assertThat(res.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=UTF-8");
        String sid = body(res).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        assertThat(res.headers().get(HttpHeaderNames.SET_COOKIE)).isEqualTo("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void errorsAreJsonWithTheProtocolStatus() {
        start(ServerOptions.builder().path("/engine.io").build(), null);
        FullHttpResponse res = send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling&sid=unknown", "");
        assertThat(res.status().code()).isEqualTo(400);
        assertThat(res.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(body(res)).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    }

    @Test
    void answersPreflightsAndAddsCorsHeadersForAllowedOriginsOnly() {
        start(ServerOptions.builder().path("/engine.io")
                .cors(CorsOptions.origins("https://app.example").withCredentials(true)).build(), null);
        FullHttpResponse pre = send(HttpMethod.OPTIONS, "/engine.io/?EIO=4&transport=polling", "",
                "Origin", "https://app.example", "Access-Control-Request-Headers", "x-custom");
        assertThat(pre.status().code()).isEqualTo(204);
        assertThat(pre.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("https://app.example");
        assertThat(pre.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isEqualTo("true");
        assertThat(pre.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isEqualTo("GET,HEAD,PUT,PATCH,POST,DELETE");
        assertThat(pre.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isEqualTo("x-custom");

        FullHttpResponse allowed = send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "", "Origin", "https://app.example");
        assertThat(allowed.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("https://app.example");
        assertThat(allowed.headers().getAll(HttpHeaderNames.VARY)).contains("origin");

        FullHttpResponse other = send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "", "Origin", "https://evil.example");
        assertThat(other.headers().contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
    }

    @Test
    void wildcardCorsAnswersStar() {
        start(ServerOptions.builder().path("/engine.io").cors(CorsOptions.anyOrigin()).build(), null);
        FullHttpResponse res = send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "", "Origin", "https://x.example");
        assertThat(res.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("*");
    }

    @Test
    void anOversizePostIs413AndClosesItsSession() {
        start(ServerOptions.builder().path("/engine.io").maxHttpBufferSize(100).build(), null);
        String sid = body(send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "")).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        FullHttpResponse res = send(HttpMethod.POST, "/engine.io/?EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(200));
        assertThat(res.status().code()).isEqualTo(413);
        channel.runPendingTasks();
        assertThat(engine.clientsCount()).isZero();
    }

    @Test
    void anOctetStreamPostIsRejected() {
        start(ServerOptions.builder().path("/engine.io").build(), null);
        String sid = body(send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "")).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        FullHttpResponse res = send(HttpMethod.POST, "/engine.io/?EIO=4&transport=polling&sid=" + sid, "4x",
                "Content-Type", "application/octet-stream");
        assertThat(res.status().code()).isEqualTo(400);
        channel.runPendingTasks();
        assertThat(engine.clientsCount()).isZero();
    }

    @Test
    void theHandshakeFilterRejectsNewSessionsButNotExistingOnes() {
        boolean[] full = {false};
        start(ServerOptions.builder().path("/engine.io").build(),
                req -> full[0] ? new HandshakeFilter.Rejection(503, "{\"ok\":false}", 2) : null);
        String sid = body(send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "")).replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        full[0] = true;
        FullHttpResponse rejected = send(HttpMethod.GET, "/engine.io/?EIO=4&transport=polling", "");
        assertThat(rejected.status().code()).isEqualTo(503);
        assertThat(rejected.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("2");
        FullHttpResponse post = send(HttpMethod.POST, "/engine.io/?EIO=4&transport=polling&sid=" + sid, "3");
        assertThat(post.status().code()).isEqualTo(200);
    }

    @Test
    void otherPathsGoToTheFallbackOr404() {
        start(ServerOptions.builder().path("/engine.io").build(), null);
        assertThat(body(send(HttpMethod.GET, "/hello", ""))).isEqualTo("hi");
        channel = new EmbeddedChannel(new EngineHttpHandler(List.of(engine), null, null));
        assertThat(send(HttpMethod.GET, "/nothing", "").status().code()).isEqualTo(404);
    }
}
