package org.asyncio4j.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Protocol;

/**
 * The reading end of a pipe: a child's stdout or stderr, this process's {@code System.in},
 * any {@link InputStream} (asyncio's {@code _UnixReadPipeTransport}). Its write side is
 * absent: writes raise {@link UnsupportedOperationException} (see {@link PipeTransport} for
 * why it is a whole transport).
 *
 * <pre>
 *   OPEN ──EOF──▶ eofReceived, then connectionLost(null)
 *     ├──close()──▶ connectionLost(null); what the pump reads afterwards is dropped
 *     └──read error──▶ connectionLost(exc)
 * </pre>
 *
 * <p>Implementation overview. A pump thread reads up to 64 KiB into {@code chunk} (a
 * blocking {@code read}), clears {@code go} and posts the chunk to the loop; the loop hands
 * it to {@code dataReceived} and then sets {@code go} again and unparks the pump, unless
 * the protocol paused reading meanwhile, in which case it sets {@code go} only on
 * {@code resumeReading()}. So at most one chunk is between the pipe and the protocol, the
 * chunk buffer is reused with no copy (the loop reads it only while the pump waits), order
 * is kept, and a reader that stops reading holds the child back through the pipe's own
 * buffer: a {@code StreamReader} never holds more than {@code 2 × limit} + one chunk.
 * {@code go} and {@code stop} are the only fields both threads touch (volatile; the chunk
 * is published by {@code callSoonThreadsafe} one way and by {@code go} the other).
 */
final class ReadPipeTransport extends PipeTransport {
    /** Bytes per read: a Linux pipe holds 64 KiB. */
    static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final Thread pump;
    private final byte[] chunk = new byte[CHUNK];
    /** The pump may read the next chunk: the last one was delivered and reading is not paused. */
    private volatile boolean go = true;
    /** The transport is closing: the pump stops after its current read. */
    private volatile boolean stop;

    /** The protocol paused reading (loop thread only). */
    private boolean paused;
    /** A chunk was delivered while paused; the pump waits for resumeReading (loop thread only). */
    private boolean held;

    ReadPipeTransport(EventLoop loop, InputStream in, Protocol protocol, String name) {
        super(loop, in, protocol, name);
        this.in = in;
        this.pump = Thread.ofPlatform().daemon().name(name).unstarted(this::pump);
    }

    @Override
    void startThread() {
        pump.start();
    }

    @Override
    Thread pipeThread() {
        return pump;
    }

    /** The pump thread: read, post, wait for the loop's go-ahead; closes the stream when done. */
    private void pump() {
        try (InputStream s = in) {
            while (true) {
                while (!go && !stop) {
                    LockSupport.park(this);
                }
                if (stop) {
                    return;
                }
                int n = s.read(chunk);
                if (stop) {
                    return;
                }
                if (n < 0) {
                    post(this::eofReceived);
                    return;
                }
                if (n > 0) {
                    go = false;
                    if (!post(() -> deliver(n))) {
                        return; // the loop is closed: nobody reads any more
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stop) {
                post(() -> {
                    if (!closing) {
                        fatalError(e, "Fatal read error on pipe transport");
                    }
                });
            }
        }
    }

    private void deliver(int n) {
        if (closing) {
            return;
        }
        try {
            ((Protocol) protocol).dataReceived(ByteBuffer.wrap(chunk, 0, n));
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.dataReceived() call failed.");
            return;
        }
        if (paused) {
            held = true;
        } else {
            release();
        }
    }

    private void release() {
        go = true;
        LockSupport.unpark(pump);
    }

    private void eofReceived() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            ((Protocol) protocol).eofReceived();
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        connectionLostSoon(null);
    }

    @Override
    void stopPipe() {
        stop = true;
        LockSupport.unpark(pump);
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof Protocol)) {
            throw new IllegalArgumentException("a read pipe needs a Protocol (dataReceived), got " + protocol);
        }
        super.setProtocol(protocol);
    }

    // ================================================================ the reading side

    /** Stops delivering data (asyncio's {@code pause_reading()}): the pump waits after the chunk in flight. */
    @Override
    public void pauseReading() {
        loop.checkThread("pauseReading()");
        if (!closing) {
            paused = true;
        }
    }

    @Override
    public void resumeReading() {
        loop.checkThread("resumeReading()");
        if (!paused) {
            return;
        }
        paused = false;
        if (held && !closing) {
            held = false;
            release();
        }
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    /**
     * Stops reading and closes the pipe (asyncio's {@code close()}); {@code connectionLost(null)}
     * follows. A pump blocked in {@code read} ends when that read returns (Java cannot
     * interrupt a blocking read of a pipe), and closes the pipe then.
     */
    @Override
    public void close() {
        loop.checkThread("close()");
        if (closing) {
            return;
        }
        closing = true;
        stopPipe();
        connectionLostSoon(null);
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
