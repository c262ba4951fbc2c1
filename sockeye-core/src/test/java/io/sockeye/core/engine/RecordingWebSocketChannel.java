package io.sockeye.core.engine;

import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.WebSocketChannel;
import io.sockeye.core.spi.transport.WireVariant;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WebSocketChannel} that records flushed frames (text as strings, binary as byte arrays) and
 * keeps the transport SPI's packet rules the way the Netty transport does: a text packet's frame is
 * prepared once per packet ({@link #FRAME}, a reference-counted stand-in for a buffer), each write holds
 * a share of it until the flush "sends" it, and {@link #framesAllocated(String)} / {@link #framesAlive()}
 * count frames made and frames not yet freed, across every channel.
 */
public final class RecordingWebSocketChannel implements WebSocketChannel {

    /** The prepared text frame of a packet: its text, reference-counted like a Netty buffer. */
    public static final class Frame extends AbstractReferenceCounted {
        final String text;

        Frame(String text) {
            this.text = text;
            ALLOCATED.add(text);
            ALIVE.add(this);
        }

        @Override
        protected void deallocate() {
            ALIVE.remove(this);
        }

        @Override
        public ReferenceCounted touch(Object hint) {
            return this;
        }
    }

    static final WireVariant<Frame> FRAME = WireVariant.declare("recorded text frame", Frame::release);
    private static final ConcurrentLinkedQueue<String> ALLOCATED = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Frame> ALIVE = new ConcurrentLinkedQueue<>();

    private final EventExecutor executor;
    private final List<Object> pending = new ArrayList<>();
    public final List<Object> frames = new CopyOnWriteArrayList<>();
    public volatile boolean closed;
    public volatile boolean aborted;
    boolean writable = true;
    boolean memoryPressure;
    long pendingBytes;
    private boolean socketGone;
    private final List<Runnable> whenClosed = new ArrayList<>();

    public RecordingWebSocketChannel() {
        this(ImmediateEventExecutor.INSTANCE);
    }

    public RecordingWebSocketChannel(EventExecutor executor) {
        this.executor = executor;
    }

    /** Text frames carrying {@code text} made so far, by every channel of the JVM. */
    public static long framesAllocated(String text) {
        return ALLOCATED.stream().filter(text::equals).count();
    }

    /** Prepared text frames not freed yet, by every channel of the JVM. */
    public static int framesAlive() {
        return ALIVE.size();
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void writeText(OutboundPacket packet) {
        Frame frame = packet.prepared(FRAME);
        if (frame != null) {
            frame.retain();
        } else {
            frame = new Frame(new String(packet.utf8(), StandardCharsets.UTF_8));
            if (packet.hasOtherHolders()) {
                packet.prepare(FRAME, frame).retain();
            }
        }
        pending.add(frame); // this write's share, freed when the flush "sends" it
    }

    @Override
    public void writeBinary(OutboundPacket packet) {
        pending.add(packet.binary());
    }

    @Override
    public void flush() {
        for (Object o : pending) {
            if (o instanceof Frame f) {
                frames.add(f.text);
                f.release();
            } else {
                frames.add(o);
            }
        }
        pending.clear();
    }

    @Override
    public void close() {
        closed = true;
        for (Object o : pending) {
            if (o instanceof Frame f) {
                f.release(); // a closed connection drops what it had not sent
            }
        }
        pending.clear();
    }

    @Override
    public void abort() {
        aborted = true;
        close();
    }

    @Override
    public void whenClosed(Runnable task) {
        if (socketGone) {
            task.run();
        } else {
            whenClosed.add(task);
        }
    }

    /** The socket is really gone now (a close takes effect only when the test says so). */
    void socketGone() {
        socketGone = true;
        whenClosed.forEach(Runnable::run);
        whenClosed.clear();
    }

    @Override
    public boolean memoryPressure() {
        return memoryPressure;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long pendingBytes() {
        return pendingBytes;
    }
}
