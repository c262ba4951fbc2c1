package io.sockeye.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP/1.1 connection on a plain socket from a chosen 127.0.0.x address: the test writes exactly the
 * bytes it wants, when it wants (a head byte by byte, a body that stops), and reads what the server does.
 * Every read is bounded by a socket timeout, so a server that never answers fails the test.
 */
public final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    /** Connects from {@code fromAddress} (e.g. 127.0.0.2) to 127.0.0.1:{@code port}. */
    public RawHttpConnection(String fromAddress, int port) {
        try {
            socket = new Socket();
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the server answers a GET of {@code path} on a new connection from {@code fromAddress}, until it
     * closes it: empty when the connection is refused, whether the reset comes while connecting or after.
     */
    public static String answerOfNewConnection(String fromAddress, int port, String path) {
        RawHttpConnection c;
        try {
            c = new RawHttpConnection(fromAddress, port);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SocketException) {
                return ""; // reset before the connect call returned
            }
            throw e;
        }
        try (c) {
            c.get(path); // may fail already: the reset can arrive first
            return c.readUntilClosed();
        }
    }

    /** Writes {@code text}; false if the server has closed the connection already. */
    public boolean write(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code text} one byte every {@code interval} on {@code timer}, as a slowloris does; the count it
     * returns is how many bytes were written so far.
     */
    public AtomicInteger drip(String text, ScheduledExecutorService timer, Duration interval) {
        AtomicInteger next = new AtomicInteger();
        timer.scheduleWithFixedDelay(() -> {
            int i = next.getAndIncrement();
            if (i < text.length()) {
                write(text.substring(i, i + 1));
            }
        }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return next;
    }

    /** A GET of {@code path} that keeps the connection alive. */
    public boolean get(String path) {
        return write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    /** Reads one response (head and a Content-Length body); {@code null} if the connection ends first. */
    public String readResponse() {
        try {
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int c = in.read();
                if (c < 0) {
                    return null;
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            return head + new String(body, StandardCharsets.UTF_8);
        } catch (SocketException e) {
            return null; // reset by the server
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the server sends until it closes the connection (a reset ends it too). */
    public String readUntilClosed() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset by the server: the end as well
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
