package org.asyncio4j.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Map;
import java.util.WeakHashMap;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.Protocol;

/**
 * The reading end of a child's stdout or stderr made by {@link ChildPipes}, read on the
 * loop's selector (asyncio's {@code _UnixReadPipeTransport}, exactly): no thread. Its write
 * side is absent, as {@link ReadPipeTransport}'s.
 *
 * <pre>
 *   OPEN ──EOF──▶ eofReceived, then connectionLost(null)
 *     ├──close()──▶ connectionLost(null); what the child wrote and nobody read is dropped
 *     └──read error──▶ connectionLost(exc)
 * </pre>
 *
 * <p>Implementation overview. The channel is non-blocking ({@link ChildPipes} made it so)
 * and registered as a reader while reading: each readiness reads once, up to
 * {@link #READ_SIZE}, into the loop's shared direct buffer, and hands it to
 * {@code dataReceived} (valid during the call only, as on a socket). {@code pauseReading}
 * removes the reader, so nothing is read: the child is held back by the pipe's own buffer
 * and a {@code StreamReader} never holds more than {@code 2 × limit} and one read. Order is
 * the pipe's; EOF is a read that returns -1. {@code closing} is set once the reader is
 * removed for good and the channel closed ({@link #stopPipe()}).
 */
final class SelectorReadPipeTransport extends ReadPipe {
    /** Bytes per read at most (uvloop's read buffer is 256,000 bytes; asyncio's pipes read 256 KiB). */
    static final int READ_SIZE = 256 * 1024;
    /**
     * One direct read buffer per loop, as the socket transports' {@code ReadBuffer}: a loop
     * runs one read callback at a time. Weak keys: a dropped loop frees its buffer.
     */
    private static final Map<EventLoop, ByteBuffer> BUFFERS = new WeakHashMap<>();

    private final Pipe.SourceChannel channel;
    private final ByteBuffer buffer;

    SelectorReadPipeTransport(EventLoop loop, Pipe.SourceChannel channel, Protocol protocol, String name) {
        super(loop, channel, protocol, name);
        this.channel = channel;
        synchronized (BUFFERS) {
            this.buffer = BUFFERS.computeIfAbsent(loop, l -> ByteBuffer.allocateDirect(READ_SIZE));
        }
    }

    @Override
    void begin() {
        if (!closing && !paused) { // closing: connectionMade failed
            loop.addReader(channel, this::readReady, context);
        }
    }

    private void readReady() {
        if (closing) {
            return;
        }
        int n;
        buffer.clear();
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on pipe transport");
            return;
        }
        if (n < 0) {
            eofReceived();
        } else if (n > 0) {
            buffer.flip();
            try {
                ((Protocol) protocol).dataReceived(buffer);
            } catch (Throwable t) {
                fatalError(t, "Fatal error: protocol.dataReceived() call failed.");
            }
        }
    }

    private void eofReceived() {
        closing = true;
        stopPipe();
        deliverEof();
    }

    /** Unregisters and closes the channel, at once (loop thread only). Idempotent. */
    @Override
    void stopPipe() {
        try {
            loop.closeChannel(channel); // now: NIO would close a registered channel at the next poll only
        } catch (IOException ignored) {
            // closing our end of a pipe: nothing to report
        }
    }

    // ================================================================ the reading side

    /** Nothing more is read until {@link #resumeReading()}: the reader is removed. */
    @Override
    void readingPaused() {
        loop.removeReader(channel);
    }

    @Override
    void readingResumed() {
        loop.addReader(channel, this::readReady, context);
    }
}
