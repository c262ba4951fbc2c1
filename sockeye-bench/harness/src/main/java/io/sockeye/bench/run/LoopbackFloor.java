package io.sockeye.bench.run;

import io.sockeye.bench.generator.Generator;
import io.sockeye.bench.generator.Payloads;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What this machine's kernel alone needs to put one message into N loopback TCP sockets: no server, no
 * framing, no generator. One thread writes a frame the size of a fan-out's {@code msg} frame to each of N
 * connected sockets in turn, in bursts at the fan-out's first-step rate; another thread waits on a selector
 * over the N receiving ends and records, per socket, the time from the burst's start to its read, and per
 * burst the time until the last socket had it. A fan-out's latency cannot go below this on the same
 * machine; on a VM (loopback sends, wake-ups across virtual CPUs) it is far from zero and tells how much
 * of a fan-out's p99 is the machine rather than the server.
 */
final class LoopbackFloor {

    private LoopbackFloor() {
    }

    /**
     * @param sockets      receiving sockets (the fan-out's room size)
     * @param burstsPerS   bursts per second (publishes/s of the fan-out's first step)
     * @param frameBytes   bytes written to each socket per burst
     * @param warmupMs     unrecorded time first
     * @param durationMs   recorded time
     */
    static Results.Floor measure(int sockets, double burstsPerS, int frameBytes, long warmupMs, long durationMs)
            throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<SocketChannel> writers = new ArrayList<>(sockets);
        List<SocketChannel> readers = new ArrayList<>(sockets);
        try (ServerSocketChannel server = ServerSocketChannel.open();
             Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(loopback, 0), sockets);
            for (int i = 0; i < sockets; i++) {
                SocketChannel r = SocketChannel.open(server.getLocalAddress());
                readers.add(r);
                SocketChannel w = server.accept();
                w.setOption(StandardSocketOptions.TCP_NODELAY, true);
                writers.add(w);
                r.configureBlocking(false);
                r.register(selector, SelectionKey.OP_READ);
            }
            Reader reader = new Reader(selector, sockets, frameBytes);
            Thread thread = new Thread(reader, "loopback-floor-reader");
            thread.setDaemon(true);
            thread.start();
            try {
                byte[] frame = new byte[frameBytes];
                Arrays.fill(frame, (byte) 'x');
                ByteBuffer buf = ByteBuffer.wrap(frame);
                long intervalNanos = (long) (1e9 / burstsPerS);
                long start = System.nanoTime();
                long warmupEnd = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
                long end = warmupEnd + TimeUnit.MILLISECONDS.toNanos(durationMs);
                int bursts = 0;
                for (long due = start; due < end; due += intervalNanos) {
                    for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                        LockSupport.parkNanos(left); // pacing a load (parkNanos may return early)
                    }
                    boolean recorded = due >= warmupEnd;
                    if (!reader.startBurst(due, recorded)) {
                        throw new IllegalStateException("the previous burst had not arrived after 10 s");
                    }
                    for (SocketChannel w : writers) {
                        buf.clear();
                        while (buf.hasRemaining()) {
                            w.write(buf);
                        }
                    }
                    if (recorded) {
                        bursts++;
                    }
                }
                if (!reader.awaitBurst()) {
                    throw new IllegalStateException("the last burst had not arrived after 10 s");
                }
                return new Results.Floor(sockets, frameBytes, burstsPerS, bursts,
                        Results.Latency.of(reader.recipient), Results.Latency.of(reader.lastRecipient));
            } finally {
                thread.interrupt();
                selector.wakeup();
                thread.join(5_000);
            }
        } finally {
            for (SocketChannel c : writers) {
                close(c);
            }
            for (SocketChannel c : readers) {
                close(c);
            }
        }
    }

    /** The frame size of a fan-out's delivered message: a WebSocket text frame holding {@code 42["msg",<payload>]}. */
    static int fanoutFrameBytes(int payloadBytes) {
        String text = "42[\"msg\"," + new Payloads("room", payloadBytes).json(System.currentTimeMillis() * 1_000_000L) + "]";
        int len = text.getBytes(StandardCharsets.UTF_8).length;
        return len + (len < 126 ? 2 : len < 65_536 ? 4 : 10);
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Reads every socket; counts a burst's bytes until each socket has had its frame. */
    private static final class Reader implements Runnable {
        final Histogram recipient = new Histogram(Generator.HIGHEST_US, 3);
        final Histogram lastRecipient = new Histogram(Generator.HIGHEST_US, 3);
        private final Selector selector;
        private final long burstBytes;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        private final Object lock = new Object();
        // Guarded by lock.
        private long burstStart;
        private boolean recording;
        private long received;
        private boolean inFlight;

        Reader(Selector selector, int sockets, int frameBytes) {
            this.selector = selector;
            this.burstBytes = (long) sockets * frameBytes;
        }

        /** Starts the next burst once the previous one has fully arrived; false if it did not within 10 s. */
        boolean startBurst(long startNanos, boolean record) throws InterruptedException {
            synchronized (lock) {
                if (!awaitIdle()) {
                    return false;
                }
                burstStart = startNanos;
                recording = record;
                received = 0;
                inFlight = true;
                return true;
            }
        }

        boolean awaitBurst() throws InterruptedException {
            synchronized (lock) {
                return awaitIdle();
            }
        }

        private boolean awaitIdle() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (inFlight) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    selector.select();
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        int n;
                        long bytes = 0;
                        buf.clear();
                        while ((n = ((SocketChannel) key.channel()).read(buf)) > 0) {
                            bytes += n;
                            buf.clear();
                        }
                        if (bytes > 0) {
                            arrived(bytes, System.nanoTime());
                        }
                    }
                }
            } catch (IOException | ClosedSelectorException e) {
                // the measurement is over (or broken: the writer then times out waiting for the burst)
            }
        }

        private void arrived(long bytes, long now) {
            synchronized (lock) {
                long us = Math.max(1, (now - burstStart) / 1000);
                if (recording) {
                    recipient.recordValue(Math.min(us, Generator.HIGHEST_US));
                }
                received += bytes;
                if (received >= burstBytes) {
                    if (recording) {
                        lastRecipient.recordValue(Math.min(us, Generator.HIGHEST_US));
                    }
                    inFlight = false;
                    lock.notifyAll();
                }
            }
        }
    }
}
