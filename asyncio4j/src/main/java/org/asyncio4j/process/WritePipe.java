package org.asyncio4j.process;

import java.nio.ByteBuffer;
import java.util.List;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;

/**
 * What the two write pipe transports share ({@link WritePipeTransport} on a thread,
 * {@link SelectorWritePipeTransport} on the selector): the write-buffer limits of the socket
 * transports' flow control ({@code pauseWriting()} above the high-water mark, 64 KiB by
 * default; {@code resumeWriting()} at the low-water mark, a quarter of it), and the read
 * side absent (see {@link PipeTransport} for why a pipe is a whole transport).
 */
abstract class WritePipe extends PipeTransport {
    private static final int DEFAULT_HIGH_WATER = 64 * 1024;

    /** Above this many bytes buffered, the protocol is paused (loop thread only). */
    int highWater = DEFAULT_HIGH_WATER;
    /** At or below this many bytes buffered, a paused protocol is resumed (loop thread only). */
    int lowWater = DEFAULT_HIGH_WATER / 4;

    WritePipe(EventLoop loop, Object pipe, BaseProtocol protocol, String name) {
        super(loop, pipe, protocol, name);
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        for (ByteBuffer b : data) {
            write(b);
        }
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        int h = high < 0 ? (low < 0 ? DEFAULT_HIGH_WATER : 4 * low) : high;
        int l = low < 0 ? h / 4 : low;
        if (!(h >= l && l >= 0)) {
            throw new IllegalArgumentException("write buffer limits need high >= low >= 0, got high=" + high
                    + " low=" + low);
        }
        highWater = h;
        lowWater = l;
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {lowWater, highWater};
    }

    // ================================================================ no reading side

    /** Does nothing: a write pipe does not read. */
    @Override
    public void pauseReading() {
    }

    /** Does nothing: a write pipe does not read. */
    @Override
    public void resumeReading() {
    }

    /** @return false: a write pipe does not read */
    @Override
    public boolean isReading() {
        return false;
    }
}
