package io.sockeye.netty;

import io.netty.channel.epoll.Epoll;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.testkit.ChildProcess;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native epoll transport is a runtime dependency an application may leave out: without its jar on
 * the class path a server starts on NIO and answers an Engine.IO handshake. Runs {@link #main} in a JVM
 * whose class path is this test's minus the native transports.
 */
class NioFallbackTest {

    @Test
    void startsOnNioWhenTheNativeTransportsAreNotOnTheClassPath() {
        // Surefire starts tests from a manifest-only jar; the real class path is in its own property.
        String all = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = Arrays.stream(all.split(File.pathSeparator))
                .filter(entry -> !entry.contains("netty-transport-native-") && !entry.contains("netty-transport-classes-io_uring"))
                .toList();
        assertThat(kept).as("the native transports were on the class path to begin with").hasSizeLessThan(all.split(File.pathSeparator).length);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ChildProcess child = ChildProcess.command(java, "-cp", kept.stream().collect(Collectors.joining(File.pathSeparator)),
                NioFallbackTest.class.getName()).name("nio-fallback").start()) {
            MatchResult result = child.awaitLine("RESULT epoll=(\\w+) status=(\\d+) body=(.*)", Duration.ofSeconds(60));
            assertThat(result.group(1)).as("epoll available").isEqualTo("false");
            assertThat(result.group(2)).isEqualTo("200");
            assertThat(result.group(3)).as("an Engine.IO open packet").startsWith("0{\"sid\":");
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    /** The child: a server on a free port, one polling handshake, the result on stdout. */
    public static void main(String[] args) throws Exception {
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        try (NettyFrontend http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/socket.io/?EIO=4&transport=polling")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("RESULT epoll=" + Epoll.isAvailable() + " status=" + response.statusCode()
                    + " body=" + response.body());
        }
    }
}
