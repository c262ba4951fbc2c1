package io.sockeye.netty;

import io.netty.channel.epoll.Epoll;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.internal.TransportSelection;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.TestLogging;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every {@link Transport} starts the front and serves a real WebSocket client where it loads; io_uring
 * refused (here: its optional jars left off the class path) falls back to the next transport with one
 * warning.
 */
class TransportChoiceTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachTransportThatLoadsStartsAndServesAWebSocketClient(Transport requested) throws Exception {
        TransportSelection expected = TransportSelection.select(requested);
        assumeTrue(expected.fallbackNote() == null, () -> expected.fallbackNote());
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        io.onConnection(socket -> socket.emit("hello", "over " + requested.configName()));
        try (NettyFrontend http = NettyFrontend.builder().host("127.0.0.1").port(0).transport(requested).attach(io).build().start();
             RawClients clients = new RawClients(http.port())) {
            assertThat(http.transport()).isEqualTo(requested == Transport.AUTO
                    ? (Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO) : requested);

            RawClients.Ws client = clients.jsonWebsocket();

            assertThat(client.next()).isEqualTo("42[\"hello\",\"over " + requested.configName() + "\"]");
        }
    }

    @Test
    void ioUringWithoutItsJarsFallsBackWithOneWarningAndServes() {
        String all = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = Arrays.stream(all.split(File.pathSeparator)).filter(entry -> !entry.contains("io_uring")).toList();
        assertThat(kept).as("the io_uring jars were on the class path to begin with").hasSizeLessThan(all.split(File.pathSeparator).length);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ChildProcess child = ChildProcess.command(java, "-cp", String.join(File.pathSeparator, kept),
                TransportChoiceTest.class.getName()).name("io_uring-refused").start()) {
            MatchResult result = child.awaitLine("RESULT transport=(\\w+) status=(\\d+) body=(.*)", Duration.ofSeconds(60));

            assertThat(result.group(1)).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
            assertThat(result.group(2)).isEqualTo("200");
            assertThat(result.group(3)).as("an Engine.IO open packet").startsWith("0{\"sid\":");
            assertThat(child.lines()).filteredOn(l -> l.contains("transport io_uring is not available here"))
                    .singleElement().asString()
                    .contains("WARN", "netty-transport-classes-io_uring is not on the class path", "using " + result.group(1));
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    /** The child: a server asked for io_uring on a free port, one polling handshake, the result on stdout. */
    public static void main(String[] args) throws Exception {
        TestLogging.quietUnlessConfigured();
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        try (NettyFrontend http = NettyFrontend.builder().host("127.0.0.1").port(0).transport(Transport.IO_URING)
                .attach(io).build().start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/socket.io/?EIO=4&transport=polling")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("RESULT transport=" + http.transport().configName() + " status=" + response.statusCode()
                    + " body=" + response.body());
        }
    }
}
