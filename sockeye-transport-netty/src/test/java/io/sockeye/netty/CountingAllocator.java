package io.sockeye.netty;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * An unpooled allocator (its buffers tracked by the leak detector like any other) that counts the
 * direct buffers asked for by size whose size {@code counted} accepts: a frame made is one.
 */
public final class CountingAllocator extends AbstractByteBufAllocator {

    private final IntPredicate counted;
    private final AtomicInteger count = new AtomicInteger();

    public CountingAllocator(IntPredicate counted) {
        super(true);
        this.counted = counted;
    }

    /** Direct buffers of a counted size asked for so far. */
    public int count() {
        return count.get();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        if (counted.test(initialCapacity)) {
            count.incrementAndGet();
        }
        return super.directBuffer(initialCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
