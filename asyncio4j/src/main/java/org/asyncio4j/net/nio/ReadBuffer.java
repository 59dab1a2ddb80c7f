package org.asyncio4j.net.nio;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import org.asyncio4j.loop.EventLoop;

/**
 * The one direct read buffer each loop's stream transports share: a loop runs one read
 * callback at a time, and {@code Protocol.dataReceived} may use the bytes only during the
 * call, so one buffer per loop serves every connection with no allocation and no copy
 * between the kernel and the protocol. Looked up once per transport, not per read.
 */
final class ReadBuffer {
    /** How much one read takes at most (asyncio's {@code max_size}, 256 KiB). */
    static final int SIZE = 256 * 1024;
    /** Weak keys: a closed, dropped loop frees its buffer. Values never refer to their loop. */
    private static final Map<EventLoop, ByteBuffer> BUFFERS = new WeakHashMap<>();

    private ReadBuffer() {
    }

    /** @return {@code loop}'s read buffer, made on first use */
    static ByteBuffer of(EventLoop loop) {
        synchronized (BUFFERS) {
            return BUFFERS.computeIfAbsent(loop, l -> ByteBuffer.allocateDirect(SIZE));
        }
    }
}
