package org.asyncio4j.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;

/**
 * The writing end of a pipe: a child's stdin, this process's {@code System.out}, any
 * {@link OutputStream} (asyncio's {@code _UnixWritePipeTransport}). Its read side is absent:
 * it never reads, {@code pauseReading}/{@code resumeReading} do nothing (see
 * {@link PipeTransport} for why it is a whole transport).
 *
 * <pre>
 *   OPEN ──close() / writeEof()──▶ CLOSING (the buffer is flushed, then the pipe closed) ──▶ connectionLost(null)
 *     ├──abort()──▶ buffer dropped ──▶ connectionLost(null)
 *     ├──write error (e.g. Broken pipe: the reader is gone)──▶ connectionLost(exc)
 *     └──the child exited (stdin of a child)──▶ as close(): connectionLost(Broken pipe if data was still buffered, else null)
 * </pre>
 *
 * <p>Used for any {@link OutputStream} ({@link Pipes#connectWritePipe}, {@link Stdio}) and for
 * a child's stdin when {@link ChildPipes} cannot make selectable pipes in this JVM (else
 * {@link SelectorWritePipeTransport} serves it, with the same states).
 *
 * <p>{@code write} never blocks: the bytes are copied onto a queue, which a writer thread
 * empties into the stream (blocking there, off the loop) and flushes; it then posts how
 * many bytes went out, and the loop takes them off {@code bufferSize}. Flow control is the
 * socket transports': {@code pauseWriting()} above the high-water mark (64 KiB),
 * {@code resumeWriting()} at the low-water mark (16 KiB), so {@code StreamWriter.drain()}
 * waits while the child does not read. Invariant: {@code bufferSize} is the number of
 * bytes written and not yet reported sent by the writer thread.
 */
final class WritePipeTransport extends WritePipe {
    /** On the queue: flush, close the stream, end the thread (compared by identity). */
    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

    WritePipeTransport(EventLoop loop, OutputStream out, BaseProtocol protocol, String name) {
        super(loop, out, protocol, name);
        this.out = out;
        runOnThread(this::pipeWork);
    }

    /** The writer thread: writes what is queued, flushes, reports; closes the stream at END or on error. */
    private void pipeWork() {
        try (OutputStream s = out) {
            while (true) {
                byte[] b = queue.take();
                long sent = 0;
                while (b != null && b != END) {
                    s.write(b);
                    sent += b.length;
                    b = queue.poll();
                }
                s.flush();
                if (sent > 0) {
                    long n = sent;
                    post(() -> sent(n));
                }
                if (b == END) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            post(() -> {
                if (!lost) {
                    fatalError(e, "Fatal write error on pipe transport");
                }
            });
            return;
        } catch (InterruptedException e) {
            // nobody interrupts this thread; end it if someone does
            Thread.currentThread().interrupt();
            return;
        }
        post(() -> connectionLostSoon(null));
    }

    private void sent(long n) {
        if (lost) {
            return; // stopPipe() already dropped the count
        }
        bufferSize -= n;
        resumeIfAtLowWater();
    }

    @Override
    void stopPipe() {
        queue.clear();
        queue.add(END);
        bufferSize = 0;
    }

    /**
     * The child whose stdin this is exited (asyncio sees the pipe's reader go away): with
     * nothing buffered the pipe is lost at once ({@code connectionLost(null)}, so a later
     * {@code drain()} raises); else the writer thread finds out, with {@code Broken pipe}
     * (asyncio's {@code BrokenPipeError}) if nobody reads the rest.
     */
    @Override
    void childExited() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(END);
        if (bufferSize == 0) {
            connectionLostSoon(null);
        }
    }

    // ================================================================ the writing side

    @Override
    public void write(ByteBuffer data) {
        if (!takesWrite(data)) {
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        bufferSize += copy.length;
        queue.add(copy);
        pauseIfAboveHighWater();
    }

    /** Flushes what is buffered, then closes the pipe; {@code connectionLost(null)} follows. Idempotent. */
    @Override
    public void close() {
        loop.checkThread("close()");
        if (closing) {
            return;
        }
        closing = true;
        queue.add(END);
    }
}
