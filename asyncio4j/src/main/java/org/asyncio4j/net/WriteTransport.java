package org.asyncio4j.net;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The writing side of a transport (asyncio's {@code asyncio.WriteTransport}).
 *
 * <p>A write goes straight to the socket when nothing is buffered; what the socket does
 * not take is copied into the write buffer and sent when the socket is writable, so the
 * caller may reuse its buffer as soon as {@code write} returns. Flow control: when the
 * buffer grows above the high-water mark the protocol's {@code pauseWriting()} is called,
 * and {@code resumeWriting()} when it drains to the low-water mark (defaults 64 KiB and
 * 16 KiB, as asyncio).
 *
 * <p>Writes after {@link #close()} or after the connection is lost are dropped; from the
 * fifth on, each is logged as a warning (asyncio's {@code socket.send() raised exception.}).
 */
public interface WriteTransport extends BaseTransport {
    /**
     * Writes the bytes between {@code data}'s position and limit and advances its position
     * to the limit (asyncio's {@code write()}). Never blocks, never suspends.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /**
     * Writes {@code data}.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Writes several buffers, with one gathering system call when nothing is buffered
     * (asyncio's {@code writelines()}).
     *
     * @param data the buffers, in order
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void writelines(List<ByteBuffer> data);

    /**
     * Closes the sending side once the buffer is flushed (asyncio's {@code write_eof()});
     * the peer sees EOF, and data may still arrive.
     *
     * @throws UnsupportedOperationException if {@link #canWriteEof()} is false
     */
    void writeEof();

    /** @return whether {@link #writeEof()} is supported (asyncio's {@code can_write_eof()}) */
    boolean canWriteEof();

    /**
     * Closes at once, dropping buffered data (asyncio's {@code abort()}); the protocol's
     * {@code connectionLost(null)} follows at a later iteration.
     */
    void abort();

    /**
     * Sets the flow-control marks (asyncio's {@code set_write_buffer_limits()}).
     *
     * @param high the high-water mark in bytes, or {@code -1} for the default (64 KiB, or
     *     4 × {@code low} when only {@code low} is given)
     * @param low the low-water mark in bytes, or {@code -1} for the default ({@code high / 4})
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /** @return the bytes buffered and not yet sent (asyncio's {@code get_write_buffer_size()}) */
    int getWriteBufferSize();

    /** @return {@code [low, high]}, as asyncio's {@code get_write_buffer_limits()} */
    int[] getWriteBufferLimits();
}
