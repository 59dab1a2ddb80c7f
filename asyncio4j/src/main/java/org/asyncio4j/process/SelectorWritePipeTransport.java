package org.asyncio4j.process;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;

/**
 * The writing end of a child's stdin made by {@link ChildPipes}, written on the loop's
 * selector (asyncio's {@code _UnixWritePipeTransport}, exactly): no thread. Its read side is
 * absent, as {@link WritePipeTransport}'s; states as drawn there.
 *
 * <p>Implementation overview. The channel is non-blocking ({@link ChildPipes} made it so).
 * {@code write} with nothing buffered writes at once, straight from the caller's buffer;
 * what the pipe does not take is copied into {@code buffer} and the transport registers as
 * a writer, which writes on each readiness until the buffer is empty and then unregisters.
 * Flow control as in {@link WritePipe}. Invariants (loop thread only): {@code bufferSize} is
 * the number of bytes in {@code buffer}; the writer is registered exactly when
 * {@code buffer} is not empty; once {@code closing} and empty, the channel is closed and
 * {@code connectionLost} scheduled.
 */
final class SelectorWritePipeTransport extends WritePipe {
    /** From this many writes after the pipe is lost, each is logged (asyncio's threshold). */
    private static final int WARN_AFTER_LOST_WRITES = 5;

    private final Pipe.SinkChannel channel;
    /** What the pipe has not taken yet, oldest first; each buffer's position is how far it went. */
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private long bufferSize;
    private boolean protocolPaused;
    /** writeEof() was called: later writes raise (after close() they are dropped, as asyncio). */
    private boolean eofWritten;
    private int writesAfterLost;

    SelectorWritePipeTransport(EventLoop loop, Pipe.SinkChannel channel, BaseProtocol protocol, String name) {
        super(loop, channel, protocol, name);
        this.channel = channel;
    }

    /** Nothing to start: writes begin with the first {@link #write}. */
    @Override
    void begin() {
    }

    private void writeReady() {
        try {
            while (!buffer.isEmpty()) {
                ByteBuffer b = buffer.peek();
                bufferSize -= channel.write(b);
                if (b.hasRemaining()) {
                    break; // the pipe is full: wait for the next readiness
                }
                buffer.poll();
            }
        } catch (IOException e) {
            fatalError(e, "Fatal write error on pipe transport");
            return;
        }
        if (protocolPaused && bufferSize <= lowWater) {
            protocolPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.resumeWriting() call failed.");
                return;
            }
        }
        if (buffer.isEmpty()) {
            loop.removeWriter(channel);
            if (closing) {
                stopPipe();
                connectionLostSoon(null);
            }
        }
    }

    /** Drops what is buffered, unregisters and closes the channel, at once (loop thread only). Idempotent. */
    @Override
    void stopPipe() {
        buffer.clear();
        bufferSize = 0;
        try {
            loop.closeChannel(channel); // now: NIO would close a registered channel at the next poll only
        } catch (IOException ignored) {
            // closing our end of a pipe: nothing to report
        }
    }

    /**
     * The child whose stdin this is exited: with nothing buffered the pipe is lost at once
     * ({@code connectionLost(null)}, so a later {@code drain()} raises); else the writes go
     * on, and fail with {@code Broken pipe} (asyncio's {@code BrokenPipeError}) if nobody
     * holds the pipe's other end any more.
     */
    @Override
    void childExited() {
        if (closing) {
            return;
        }
        closing = true;
        if (buffer.isEmpty()) {
            stopPipe();
            connectionLostSoon(null);
        }
    }

    // ================================================================ the writing side

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread("write()");
        if (eofWritten) {
            throw new IllegalStateException("write() after writeEof() on " + this);
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (closing) {
            data.position(data.limit());
            if (++writesAfterLost >= WARN_AFTER_LOST_WRITES) {
                LOG.log(Level.WARNING, "pipe closed by peer or write(pipe, data) raised exception: " + this);
            }
            return;
        }
        if (buffer.isEmpty()) {
            try {
                channel.write(data);
            } catch (IOException e) {
                data.position(data.limit());
                fatalError(e, "Fatal write error on pipe transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            loop.addWriter(channel, this::writeReady, context);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        buffer.add(copy);
        bufferSize += copy.remaining();
        if (!protocolPaused && bufferSize > highWater) {
            protocolPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.pauseWriting() call failed.");
            }
        }
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

    /** Flushes what is buffered, then closes the pipe; {@code connectionLost(null)} follows. Idempotent. */
    @Override
    public void close() {
        loop.checkThread("close()");
        if (closing) {
            return;
        }
        closing = true;
        if (buffer.isEmpty()) {
            stopPipe();
            connectionLostSoon(null);
        }
    }

    /** Drops what is buffered and closes the pipe; {@code connectionLost(null)} follows. */
    @Override
    public void abort() {
        loop.checkThread("abort()");
        closing = true;
        stopPipe();
        connectionLostSoon(null);
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, bufferSize);
    }
}
