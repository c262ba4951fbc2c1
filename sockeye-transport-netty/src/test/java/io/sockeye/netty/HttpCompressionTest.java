package io.sockeye.netty;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.engine.EngineIo;
import io.sockeye.core.engine.EngineListener;
import io.sockeye.core.spi.transport.EngineEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Polling responses are gzip-compressed above 1 KiB when the client accepts it, as engine.io does. */
class HttpCompressionTest {

    private NettyFrontend server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        EngineEndpoint echo = EngineIo.endpoint(ServerOptions.builder().path("/engine.io").build(),
                s -> s.setListener(new EngineListener() {
                    @Override
                    public void onMessage(String text) {
                        s.send(text, List.of());
                    }

                    @Override
                    public void onBinary(byte[] data) {
                    }

                    @Override
                    public void onClose(String reason) {
                    }
                }));
        server = NettyFrontend.builder().host("127.0.0.1").port(0).attachEngine(echo).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> send(String query, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/engine.io/?" + query))
                .header("Accept-Encoding", "gzip");
        if (body != null) {
            b.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void compressesLargePollResponsesAndLeavesSmallOnesAlone() throws Exception {
        String open = new String(send("EIO=4&transport=polling", null).body(), StandardCharsets.UTF_8);
        String sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        String query = "EIO=4&transport=polling&sid=" + sid;

        send(query, "4small");
        HttpResponse<byte[]> small = send(query, null);
        assertThat(small.headers().firstValue("content-encoding")).isEmpty();
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("4small");

        String big = "x".repeat(5000);
        send(query, "4" + big);
        HttpResponse<byte[]> large = send(query, null);
        assertThat(large.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(large.body().length).isLessThan(1000);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(large.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("4" + big);
        }
    }
}
