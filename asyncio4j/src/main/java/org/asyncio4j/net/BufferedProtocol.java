package org.asyncio4j.net;

import java.nio.ByteBuffer;

/**
 * A stream protocol that owns its receive buffer (asyncio's {@code asyncio.BufferedProtocol}):
 * the transport reads from the socket straight into the buffer the protocol hands out, so
 * no byte is copied between the kernel and the protocol.
 *
 * <p>For each read the transport calls {@link #getBuffer(int)}, reads into the returned
 * buffer from its position, and calls {@link #bufferUpdated(int)} with the count.
 */
public interface BufferedProtocol extends BaseProtocol {
    /**
     * The buffer to read the next bytes into (asyncio's {@code get_buffer}).
     *
     * @param sizeHint the size the transport would like, or {@code -1} for no preference
     * @return a buffer with at least one byte remaining; the transport writes from its
     *     position and advances it
     */
    ByteBuffer getBuffer(int sizeHint);

    /**
     * {@code nbytes} bytes were written into the last buffer (asyncio's {@code buffer_updated}).
     *
     * @param nbytes how many, at least 1
     */
    void bufferUpdated(int nbytes);

    /**
     * The peer closed its sending side; see {@link Protocol#eofReceived()}.
     *
     * @return whether to stay half-open
     */
    default boolean eofReceived() {
        return false;
    }
}
