package io.sockeye.core.internal.engine;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link WsChannel} that records flushed frames (text as strings, binary as byte arrays). */
final class RecordingWsChannel implements WsChannel {
    final List<Object> pending = new ArrayList<>();
    final List<Object> frames = new ArrayList<>();
    boolean closed;
    boolean writable = true;
    long pendingBytes;

    @Override
    public EventExecutor executor() {
        return ImmediateEventExecutor.INSTANCE;
    }

    @Override
    public void writeText(Outbound packet) {
        pending.add(new String(packet.textFrame(), StandardCharsets.UTF_8));
    }

    @Override
    public void writeBinary(byte[] data) {
        pending.add(data);
    }

    @Override
    public void flush() {
        frames.addAll(pending);
        pending.clear();
    }

    @Override
    public void close() {
        closed = true;
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
