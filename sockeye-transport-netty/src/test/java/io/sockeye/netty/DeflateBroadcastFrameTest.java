package io.sockeye.netty;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broadcast to recipients that negotiated permessage-deflate is compressed once per event loop, and every
 * one of them receives the same compressed frame (RSV1 set); a recipient without the extension gets the
 * plain frame, and a bad offer leaves a connection uncompressed. Raw WebSocket clients read the frames
 * as they are on the wire.
 */
class DeflateBroadcastFrameTest {

    private static final int BROADCASTS = 3;
    private static final String OFFER = "permessage-deflate; client_max_window_bits";

    private NettyFrontend front;
    private final List<WireClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().build());
        io.on("connection", socket -> {
            socket.join("room");
            socket.on("burst", (args, ack) -> {
                for (int i = 0; i < BROADCASTS; i++) {
                    io.to("room").emit("news", payload(i));
                }
            });
        });
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(1)
                .perMessageDeflate(PerMessageDeflate.enabled(64)).attach(io).build().start();
    }

    @AfterEach
    void stop() throws IOException {
        for (WireClient c : clients) {
            c.close();
        }
        front.close();
    }

    @Test
    void aBroadcastIsCompressedOnceAndEveryDeflateRecipientGetsTheSameFrame() throws Exception {
        List<WireClient> deflating = List.of(connect(OFFER), connect(OFFER), connect("permessage-deflate"));
        WireClient plain = connect(null);
        long before = front.connectionStats().messagesCompressed();

        plain.sendText("42[\"burst\"]");

        List<List<byte[]>> payloads = new ArrayList<>();
        for (WireClient c : deflating) {
            assertThat(c.extensions).startsWith("permessage-deflate; server_no_context_takeover");
            List<byte[]> received = new ArrayList<>();
            for (int i = 0; i < BROADCASTS; i++) {
                WireClient.Frame f = c.nextMessage();
                assertThat(f.rsv1()).as("compressed").isTrue();
                assertThat(WebSocketDeflateTest.inflate(f.payload())).isEqualTo(expected(i));
                received.add(f.payload());
            }
            payloads.add(received);
        }
        for (int i = 0; i < BROADCASTS; i++) {
            assertThat(payloads.get(1).get(i)).isEqualTo(payloads.get(0).get(i));
            assertThat(payloads.get(2).get(i)).isEqualTo(payloads.get(0).get(i));
        }
        assertThat(plain.extensions).isNull();
        for (int i = 0; i < BROADCASTS; i++) {
            WireClient.Frame f = plain.nextMessage();
            assertThat(f.rsv1()).isFalse();
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo(expected(i));
        }
        assertThat(front.connectionStats().messagesCompressed() - before)
                .as("compressions for %d broadcasts to 3 deflate recipients", BROADCASTS).isEqualTo(BROADCASTS);
    }

    @Test
    void aBadOfferIsDeclinedAndTheConnectionRunsUncompressed() throws Exception {
        WireClient bad = connect("permessage-deflate; client_max_window_bits=99");
        assertThat(bad.extensions).isNull();
        bad.sendText("42[\"burst\"]");
        WireClient.Frame f = bad.nextMessage();
        assertThat(f.rsv1()).isFalse();
        assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo(expected(0));
    }

    private WireClient connect(String offer) throws IOException {
        WireClient c = new WireClient(front.port(), offer);
        clients.add(c);
        assertThat(c.nextText()).startsWith("0{");
        c.sendText("40");
        assertThat(c.nextText()).startsWith("40{");
        return c;
    }

    private static String payload(int i) {
        return String.valueOf((char) ('a' + i)).repeat(300);
    }

    private static String expected(int i) {
        return "42[\"news\",\"" + payload(i) + "\"]";
    }

    /** A WebSocket client on a plain socket, reading the server's frames as they are (RSV1 included). */
    static final class WireClient implements AutoCloseable {
        record Frame(boolean rsv1, int opcode, byte[] payload) {
        }

        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        final String extensions;

        WireClient(int port, String offer) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = readLine();
            assertThat(status).startsWith("HTTP/1.1 101");
            String ext = null;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) {
                    ext = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            extensions = ext;
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("closed in the handshake");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        /** The next data frame (FIN expected: the server does not fragment), pings answered on the way. */
        Frame nextMessage() throws IOException {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                Frame frame = new Frame((first & 0x40) != 0, first & 0x0F, payload);
                assertThat(first & 0x80).as("FIN").isNotZero();
                boolean enginePing = !frame.rsv1() && Arrays.equals(payload, new byte[] {'2'});
                if (frame.opcode() <= 2 && !enginePing) {
                    return frame;
                }
            }
        }

        String nextText() throws IOException {
            Frame f = nextMessage();
            return f.rsv1() ? WebSocketDeflateTest.inflate(f.payload()) : new String(f.payload(), StandardCharsets.UTF_8);
        }

        void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            assertThat(payload.length).isLessThan(126);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            frame.write(0x80 | payload.length);
            frame.write(new byte[4]); // mask key 0: the payload goes as it is
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
