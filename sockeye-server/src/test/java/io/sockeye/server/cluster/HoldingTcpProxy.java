package io.sockeye.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy in front of a bus server that, once a client sent {@code trigger} (e.g. a NATS
 * {@code SUB}), holds every byte the server sends back to its clients until {@link #release()}: the
 * connection stays up, but nothing the client asked from then on is answered.
 */
final class HoldingTcpProxy implements AutoCloseable {

    private final int target;
    private final String trigger;
    private final ServerSocket server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean triggered;

    HoldingTcpProxy(int target, String trigger) throws IOException {
        this.target = target;
        this.trigger = trigger;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread("accept", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Whether a client sent the trigger (the answers are held from then on, until released). */
    boolean triggered() {
        return triggered;
    }

    void release() {
        released.countDown();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(upstream);
                thread("up", () -> pump(client, upstream, true));
                thread("down", () -> pump(upstream, client, false));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        StringBuilder sent = new StringBuilder();
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (fromClient && !triggered) {
                    sent.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    // Set before the bytes go on, so every answer to them is held.
                    triggered = sent.indexOf(trigger) >= 0;
                } else if (!fromClient && triggered) {
                    released.await();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void thread(String name, Runnable body) {
        Thread t = new Thread(body, "holding-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        release();
        closeQuietly(server);
        sockets.forEach(HoldingTcpProxy::closeQuietly);
    }
}
