package org.asyncio4j.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.asyncio4j.loop.EventLoop;
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
 * <p>Used for any {@link InputStream} ({@link Pipes#connectReadPipe}, {@link Stdio}) and for a
 * child's output when {@link ChildPipes} cannot make selectable pipes in this JVM (then
 * {@link SelectorReadPipeTransport} is not used).
 *
 * <p>Implementation overview. A pump thread reads up to 64 KiB at a time (a blocking
 * {@code read}) into one of two chunk buffers and posts it to the loop; it may fill a buffer
 * only while {@code free} says one is free, so it reads the next chunk while the loop hands
 * the previous one to the protocol (double buffering), and never gets further ahead. The
 * loop queues what arrives in {@code held} and feeds it to {@code dataReceived} in order,
 * then frees the buffer (no copy: the loop reads a buffer only while the pump cannot touch
 * it). While the protocol has paused reading, nothing is fed and no buffer is freed, so the
 * pump stops within two chunks and the child is held back by the pipe's own buffer: a
 * {@code StreamReader} never holds more than {@code 2 × limit} + one chunk. EOF and read
 * errors queue behind the data, so order is kept. {@code free} and {@code stop} are the only
 * fields both threads touch (a buffer is published by {@code callSoonThreadsafe} one way,
 * by {@code free} the other).
 */
final class ReadPipeTransport extends ReadPipe {
    /** Bytes per read: a Linux pipe holds 64 KiB. */
    static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final byte[][] chunks = {new byte[CHUNK], new byte[CHUNK]};
    /** Buffers the pump may fill: freed by the loop once fed, unless reading is paused. */
    private final AtomicInteger free = new AtomicInteger(2);
    /** The transport is closing: the pump stops after its current read. */
    private volatile boolean stop;

    /** What the pump delivered and the protocol has not been given yet, in order (loop thread only). */
    private final ArrayDeque<Arrival> held = new ArrayDeque<>();
    /** Buffers fed while paused, to free on resumeReading (loop thread only). */
    private int owed;

    /** A chunk in {@code chunks[buffer]}, EOF ({@code length < 0}), or a read error. */
    private record Arrival(int buffer, int length, Throwable error) {
    }

    ReadPipeTransport(EventLoop loop, InputStream in, Protocol protocol, String name) {
        super(loop, in, protocol, name);
        this.in = in;
        runOnThread(this::pipeWork);
    }

    /** The pump thread: read into a free buffer, post it; closes the stream when done. */
    private void pipeWork() {
        try (InputStream s = in) {
            int next = 0;
            while (true) {
                while (free.get() == 0 && !stop) {
                    LockSupport.park(this);
                }
                if (stop) {
                    return;
                }
                int n = s.read(chunks[next]);
                if (stop) {
                    return;
                }
                if (n < 0) {
                    arrive(new Arrival(0, -1, null));
                    return;
                }
                if (n > 0) {
                    free.decrementAndGet();
                    if (!arrive(new Arrival(next, n, null))) {
                        return; // the loop is closed: nobody reads any more
                    }
                    next ^= 1; // buffers are freed in the order they were filled
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stop) {
                arrive(new Arrival(0, 0, e));
            }
        }
    }

    /** From the pump: queues {@code a} on the loop behind what is held. */
    private boolean arrive(Arrival a) {
        return post(() -> {
            if (!closing) {
                held.add(a);
                feedHeld();
            }
        });
    }

    /** Gives the protocol what is held, in order, unless paused (EOF and errors need no reading). */
    private void feedHeld() {
        Arrival a;
        while (!closing && (a = held.peek()) != null) {
            if (a.error != null) {
                held.clear();
                fatalError(a.error, "Fatal read error on pipe transport");
                return;
            }
            if (a.length < 0) {
                held.clear();
                eofReceived();
                return;
            }
            if (paused) {
                return;
            }
            held.poll();
            try {
                ((Protocol) protocol).dataReceived(ByteBuffer.wrap(chunks[a.buffer], 0, a.length));
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.dataReceived() call failed.");
                return;
            }
            if (paused) {
                owed++;
            } else {
                release();
            }
        }
    }

    private void release() {
        free.incrementAndGet();
        LockSupport.unpark(pipeThread());
    }

    private void eofReceived() {
        if (closing) {
            return;
        }
        closing = true;
        deliverEof();
    }

    @Override
    void stopPipe() {
        stop = true;
        LockSupport.unpark(pipeThread());
    }

    // ================================================================ the reading side

    /** Gives back the buffers fed while paused (the pump stopped within two chunks of the pause). */
    @Override
    void readingResumed() {
        for (; owed > 0; owed--) {
            release();
        }
        if (!held.isEmpty()) {
            loop.callSoon(this::feedHeld, context); // not inside the reader's read that resumed us
        }
    }
}
