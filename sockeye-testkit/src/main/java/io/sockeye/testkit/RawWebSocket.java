package io.sockeye.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A WebSocket client on a plain socket, for tests that need what a library client will not do: connect
 * from a chosen local address (127.0.0.x, to be a distinct client address), with a tiny receive buffer,
 * and then stop reading — a slow consumer. Text frames only; Engine.IO pings ({@code 2}) are answered as
 * they are read.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects from {@code fromAddress} to {@code server} and upgrades {@code pathAndQuery}.
     *
     * @param receiveBuffer SO_RCVBUF in bytes (small: the server's data waits in its own buffers), 0 for the default
     */
    public static RawWebSocket open(String fromAddress, InetSocketAddress server, String pathAndQuery, int receiveBuffer) {
        try {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small from the start
            }
            s.bind(new InetSocketAddress(fromAddress, 0));
            s.connect(server, 10_000);
            s.setSoTimeout(10_000);
            RawWebSocket ws = new RawWebSocket(s);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\n\r\n";
            ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
            ws.out.flush();
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                s.close();
                throw new IllegalStateException("upgrade refused: " + head);
            }
            return ws;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends one masked text frame. */
    public synchronized void send(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads text frames until one matches (others skipped, pings answered); fails at the deadline. */
    public String await(Predicate<String> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String text = readText();
                if (text == null) {
                    throw new EOFException("closed by the server");
                }
                if (matching.test(text)) {
                    return text;
                }
            }
        } catch (SocketTimeoutException e) {
            // fall through to the failure below
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no matching frame within " + timeout);
    }

    /** Reads every text frame on a daemon thread from now on, handing each to {@code onText}, until the end. */
    public void readInBackground(Consumer<String> onText) {
        Thread reader = new Thread(() -> {
            try {
                socket.setSoTimeout(0);
                for (String text = readText(); text != null; text = readText()) {
                    onText.accept(text);
                }
            } catch (IOException e) {
                // closed: the test is over, or the server cut the connection
            }
        }, "raw-websocket-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next text frame's payload (after answering pings), or {@code null} at a close frame or the end. */
    private String readText() throws IOException {
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int opcode = b0 & 0x0F;
            if (opcode == 0x8) {
                return null;
            }
            if (opcode == 0x1) {
                String text = new String(payload, StandardCharsets.UTF_8);
                if (text.equals("2")) {
                    send("3"); // answered here; the caller still sees the ping
                }
                return text;
            }
        }
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        InputStream raw = in;
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = raw.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** Closes the socket (no close frame). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
