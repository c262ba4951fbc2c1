package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The generator's reading of a Server-Sent Events stream: splits the bytes of a response body into lines
 * (ended by LF, CRLF or CR, as the HTML standard's event stream grammar allows; a line may span chunks)
 * and hands on the send timestamp of each {@code data:} line ({@link Frames#timestamp}, -1 when the line
 * carries none). Comments, {@code id:}, {@code event:} and {@code retry:} lines are skipped: the generator
 * only measures deliveries. Not thread-safe: one instance per connection, used on its event loop.
 */
final class SseLines {

    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

    private byte[] line = new byte[512];
    private int length;
    /** The previous chunk ended with CR: an LF starting this one ends nothing more. */
    private boolean afterCr;

    /** Reads every byte of {@code chunk} (not releasing it) and reports each complete {@code data:} line. */
    void feed(ByteBuf chunk, LongConsumer onData) {
        int end = chunk.writerIndex();
        for (int i = chunk.readerIndex(); i < end; i++) {
            byte b = chunk.getByte(i);
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endOfLine(onData);
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[length++] = b;
            }
        }
    }

    private void endOfLine(LongConsumer onData) {
        if (isData()) {
            onData.accept(Frames.timestamp(Unpooled.wrappedBuffer(line, DATA.length, length - DATA.length)));
        }
        length = 0;
    }

    private boolean isData() {
        if (length < DATA.length) {
            return false;
        }
        for (int i = 0; i < DATA.length; i++) {
            if (line[i] != DATA[i]) {
                return false;
            }
        }
        return true;
    }
}
