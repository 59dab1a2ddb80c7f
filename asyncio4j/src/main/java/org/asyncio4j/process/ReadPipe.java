package org.asyncio4j.process;

import java.nio.ByteBuffer;
import java.util.List;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Protocol;

/**
 * What the two read pipe transports share ({@link ReadPipeTransport} on a thread,
 * {@link SelectorReadPipeTransport} on the selector): the protocol is a {@link Protocol}, the
 * paused flag and {@code close()}, and the write side is absent (see {@link PipeTransport} for why a pipe is a whole transport).
 */
abstract class ReadPipe extends PipeTransport {
    /** The protocol paused reading (loop thread only). */
    boolean paused;

    ReadPipe(EventLoop loop, Object pipe, Protocol protocol, String name) {
        super(loop, pipe, protocol, name);
    }

    /**
     * Gives the protocol the pipe's end ({@code eofReceived}), then loses the pipe
     * ({@code connectionLost(null)} follows); a protocol that throws is a fatal error.
     */
    final void deliverEof() {
        try {
            ((Protocol) protocol).eofReceived();
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        connectionLostSoon(null);
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    /** Stops reading (asyncio's {@code pause_reading()}); nothing once closing or paused already. */
    @Override
    public final void pauseReading() {
        loop.checkThread("pauseReading()");
        if (closing || paused) {
            return;
        }
        paused = true;
        readingPaused();
    }

    /** Reads again (asyncio's {@code resume_reading()}); nothing unless paused. */
    @Override
    public final void resumeReading() {
        loop.checkThread("resumeReading()");
        if (!paused) {
            return;
        }
        paused = false;
        if (!closing) {
            readingResumed();
        }
    }

    /**
     * {@link #pauseReading()} just set {@code paused} on an open pipe; the flag is enough
     * for a pump thread, which looks at it before each chunk.
     */
    void readingPaused() {
    }

    /** {@link #resumeReading()} just cleared {@code paused} on an open pipe. */
    abstract void readingResumed();

    /**
     * Stops reading and closes the pipe (asyncio's {@code close()}); {@code connectionLost(null)}
     * follows. On a pump thread, a pump blocked in {@code read} ends when that read returns
     * (Java cannot interrupt a blocking read of a pipe), and closes the pipe then.
     */
    @Override
    public void close() {
        loop.checkThread("close()");
        if (closing) {
            return;
        }
        closeNow(null);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof Protocol)) {
            throw new IllegalArgumentException("a read pipe needs a Protocol (dataReceived), got " + protocol);
        }
        super.setProtocol(protocol);
    }

    // ================================================================ no writing side

    /** @throws UnsupportedOperationException always: a read pipe cannot be written */
    @Override
    public void write(ByteBuffer data) {
        throw new UnsupportedOperationException("cannot write to a read pipe: " + this);
    }

    /** @throws UnsupportedOperationException always: a read pipe cannot be written */
    @Override
    public void writelines(List<ByteBuffer> data) {
        throw new UnsupportedOperationException("cannot write to a read pipe: " + this);
    }

    /** @throws UnsupportedOperationException always: a read pipe cannot be written */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("cannot write EOF to a read pipe: " + this);
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    /** Same as {@link #close()}: a read pipe has nothing buffered to drop. */
    @Override
    public void abort() {
        close();
    }

    /** @throws UnsupportedOperationException always: a read pipe has no write buffer */
    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw new UnsupportedOperationException("a read pipe has no write buffer: " + this);
    }

    @Override
    public int getWriteBufferSize() {
        return 0;
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {0, 0};
    }
}
