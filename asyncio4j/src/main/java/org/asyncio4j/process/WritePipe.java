package org.asyncio4j.process;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;

/**
 * What the two write pipe transports share ({@link WritePipeTransport} on a thread,
 * {@link SelectorWritePipeTransport} on the selector): the count of bytes buffered, the
 * write-buffer limits of the socket transports' flow control ({@code pauseWriting()} above
 * the high-water mark, 64 KiB by default; {@code resumeWriting()} at the low-water mark, a
 * quarter of it), the checks that open every write, {@code writeEof()}, and the read
 * side absent (see {@link PipeTransport} for why a pipe is a whole transport).
 */
abstract class WritePipe extends PipeTransport {
    private static final int DEFAULT_HIGH_WATER = 64 * 1024;
    /** From this many writes after the pipe is lost, each is logged (asyncio's threshold). */
    private static final int WARN_AFTER_LOST_WRITES = 5;

    /** Bytes written by the protocol and not yet in the pipe (loop thread only). */
    long bufferSize;
    /** The protocol was told to pause writing and not yet to resume (loop thread only). */
    private boolean protocolPaused;
    /** writeEof() was called: later writes raise (after close() they are dropped, as asyncio). */
    private boolean eofWritten;
    private int writesAfterLost;

    /** Above this many bytes buffered, the protocol is paused (loop thread only). */
    int highWater = DEFAULT_HIGH_WATER;
    /** At or below this many bytes buffered, a paused protocol is resumed (loop thread only). */
    int lowWater = DEFAULT_HIGH_WATER / 4;

    WritePipe(EventLoop loop, Object pipe, BaseProtocol protocol, String name) {
        super(loop, pipe, protocol, name);
    }

    /**
     * The checks that open every {@code write()}: refused after {@code writeEof()}; nothing
     * to do for no bytes; dropped once the pipe is closing (asyncio logs from the fifth such
     * write on).
     *
     * @return whether the transport is to buffer {@code data}
     * @throws IllegalStateException after {@code writeEof()}
     */
    final boolean takesWrite(ByteBuffer data) {
        loop.checkThread("write()");
        if (eofWritten) {
            throw new IllegalStateException("write() after writeEof() on " + this);
        }
        if (!data.hasRemaining()) {
            return false;
        }
        if (closing) {
            data.position(data.limit());
            if (++writesAfterLost >= WARN_AFTER_LOST_WRITES) {
                LOG.log(Level.WARNING, "pipe closed by peer or write(pipe, data) raised exception: " + this);
            }
            return false;
        }
        return true;
    }

    /** Pauses the protocol once the buffer is above the high-water mark. */
    final void pauseIfAboveHighWater() {
        if (!protocolPaused && !closing && bufferSize > highWater) {
            protocolPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.pauseWriting() call failed.");
            }
        }
    }

    /**
     * Resumes a paused protocol once the buffer is down to the low-water mark.
     *
     * @return false if the protocol's resumeWriting failed (the pipe is then lost)
     */
    final boolean resumeIfAtLowWater() {
        if (protocolPaused && bufferSize <= lowWater) {
            protocolPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.resumeWriting() call failed.");
                return false;
            }
        }
        return true;
    }

    /** Same as {@link #close()} (asyncio's {@code write_eof()} on a pipe): the reader sees EOF once the buffer is flushed. */
    @Override
    public void writeEof() {
        loop.checkThread("writeEof()");
        eofWritten = true;
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /** Drops what is buffered and closes the pipe; {@code connectionLost(null)} follows. */
    @Override
    public void abort() {
        loop.checkThread("abort()");
        closeNow(null);
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, bufferSize);
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
