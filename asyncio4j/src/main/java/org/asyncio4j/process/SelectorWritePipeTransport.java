package org.asyncio4j.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;

/**
 * The writing end of a child's stdin made by {@link ChildPipes}, written on the loop's
 * selector (asyncio's {@code _UnixWritePipeTransport}, with uvloop's write queue): no
 * thread. Its read side is absent, as {@link WritePipeTransport}'s; states as drawn there.
 *
 * <p>Writes are gathered, as uvloop's are (though uvloop also writes at once past the
 * high-water mark): {@code write} copies the bytes into the transport's buffer and they go
 * to the pipe on the loop's next iteration. Small writes in a row (a task that writes
 * 64 KiB and drains, again and again) so reach the pipe in a few large {@code write(2)}
 * calls instead of one each: a Linux pipe takes a mutex for every read and write and holds
 * it for the whole copy, so each write of ours that meets the child's read waits for it
 * (spinning on a CPU), and fewer, larger writes meet it less often. And a flush makes one
 * {@code write(2)}, never a run of them until the pipe is full, and asks the loop to poll
 * before its next callbacks ({@link EventLoop#pollSoon()}):
 * between two writes the loop reads what the child wrote back, as a bare {@code select}
 * loop does, instead of filling the child's stdin while its stdout backs up (a writer that
 * filled the pipe in one go, with a flush at once past the high-water mark, cost the loop
 * a quarter more CPU per byte; issue 13, bench/README.md, findings). Order is kept;
 * {@code drain()} waits only above the high-water mark.
 *
 * <p>Implementation overview. The channel is non-blocking ({@link ChildPipes} made it so).
 * The bytes not yet written are {@code stage[0, position)} (a direct buffer, so the pipe is
 * written straight from it, without NIO's temporary copy), then {@code overflow}'s heap
 * copies when more is buffered than the stage holds, oldest first; {@code bufferSize} counts
 * both. Each flush refills the stage from {@code overflow} and writes it once. While bytes
 * remain after a flush the transport is registered as a writer, and each readiness
 * flushes; otherwise one flush is scheduled with {@code callSoon} ({@code flushScheduled}).
 * Flow control as in {@link WritePipe}.
 * Invariants (loop thread only): {@code writerRegistered} exactly when the writer is
 * registered, which is only while {@code bufferSize > 0}; once {@code closing} and empty,
 * the channel is closed and {@code connectionLost} scheduled.
 */
final class SelectorWritePipeTransport extends WritePipe {
    /** The stage's size: as large as the pipe {@link ChildPipes} grows, so one write can fill it. */
    private static final int STAGE_SIZE = 256 * 1024;

    private final Pipe.SinkChannel channel;
    /** Bytes not yet written, in write mode: {@code [0, position)}; made at the first write, dropped at the close. */
    private ByteBuffer stage;
    /** Bytes that did not fit in the stage, after it, oldest first; each buffer's position is how far it was staged. */
    private final ArrayDeque<ByteBuffer> overflow = new ArrayDeque<>();
    /** The writer's callback and the scheduled flush, made once: a write allocates nothing else. */
    private final Runnable onWritable = this::flush;
    private final Runnable onScheduledFlush = this::scheduledFlush;
    /** A flush is scheduled with callSoon and has not run yet. */
    private boolean flushScheduled;
    /** The transport is registered as the channel's writer. */
    private boolean writerRegistered;

    SelectorWritePipeTransport(EventLoop loop, Pipe.SinkChannel channel, BaseProtocol protocol, String name) {
        super(loop, channel, protocol, name);
        this.channel = channel;
    }

    /** Nothing to start: writes begin with the first {@link #write}. */
    @Override
    void begin() {
    }

    /** The flush scheduled by a write: nothing to do if a readiness flush took over, or the pipe is gone. */
    private void scheduledFlush() {
        flushScheduled = false;
        if (!writerRegistered && !lost) {
            flush();
        }
    }

    /**
     * Writes what is buffered, once (as much as the stage holds and the pipe takes), then
     * registers or unregisters the writer to match, resumes a paused protocol at the
     * low-water mark, and closes the pipe if it is closing and empty.
     */
    private void flush() {
        try {
            if (bufferSize > 0) {
                refillStage();
                stage.flip();
                bufferSize -= channel.write(stage);
                stage.compact();
                loop.pollSoon(); // read what the child answered before the next write
            }
        } catch (IOException e) {
            fatalError(e, "Fatal write error on pipe transport");
            return;
        }
        if (!resumeIfAtLowWater()) {
            return;
        }
        if (bufferSize > 0) {
            if (!writerRegistered) {
                writerRegistered = true;
                loop.addWriter(channel, onWritable, context);
            }
        } else {
            if (writerRegistered) {
                writerRegistered = false;
                loop.removeWriter(channel);
            }
            if (closing) {
                closeNow(null);
            }
        }
    }

    /** Moves bytes from {@code overflow} into the stage while both have some. */
    private void refillStage() {
        while (!overflow.isEmpty() && stage.hasRemaining()) {
            ByteBuffer b = overflow.peek();
            int n = Math.min(b.remaining(), stage.remaining());
            stage.put(stage.position(), b, b.position(), n).position(stage.position() + n);
            b.position(b.position() + n);
            if (!b.hasRemaining()) {
                overflow.poll();
            }
        }
    }

    /** Drops what is buffered, unregisters and closes the channel, at once (loop thread only). Idempotent. */
    @Override
    void stopPipe() {
        stage = null;
        overflow.clear();
        bufferSize = 0;
        writerRegistered = false;
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
        closeWhenFlushed();
    }

    /** Starts closing: at once with nothing buffered, else once the buffer is flushed. Idempotent. */
    private void closeWhenFlushed() {
        if (closing) {
            return;
        }
        closing = true;
        if (bufferSize == 0) {
            closeNow(null);
        }
    }

    // ================================================================ the writing side

    @Override
    public void write(ByteBuffer data) {
        if (!takesWrite(data)) {
            return;
        }
        if (stage == null) {
            stage = ByteBuffer.allocateDirect(STAGE_SIZE);
        }
        int n = data.remaining();
        if (overflow.isEmpty() && stage.remaining() >= n) {
            stage.put(data);
        } else {
            ByteBuffer copy = ByteBuffer.allocate(n);
            copy.put(data).flip();
            overflow.add(copy);
        }
        bufferSize += n;
        if (!writerRegistered && !flushScheduled) {
            flushScheduled = true;
            loop.callSoon(onScheduledFlush, context);
        }
        pauseIfAboveHighWater();
    }

    /** Flushes what is buffered, then closes the pipe; {@code connectionLost(null)} follows. Idempotent. */
    @Override
    public void close() {
        loop.checkThread("close()");
        closeWhenFlushed();
    }
}
