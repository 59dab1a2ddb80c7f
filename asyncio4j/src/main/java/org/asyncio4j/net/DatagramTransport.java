package org.asyncio4j.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram endpoint (asyncio's {@code asyncio.DatagramTransport}). Datagrams the socket
 * cannot take at once are queued and sent in order when it is writable; the queue counts
 * towards the same flow-control marks as a stream transport's write buffer.
 */
public interface DatagramTransport extends BaseTransport {
    /**
     * Sends one datagram (asyncio's {@code sendto()}); the bytes between position and limit
     * are consumed.
     *
     * @param data the datagram
     * @param addr the destination, or {@code null} on a connected endpoint
     * @throws IllegalArgumentException if {@code addr} is null on an unconnected endpoint,
     *     or differs from the remote address of a connected one
     */
    void sendto(ByteBuffer data, SocketAddress addr);

    /**
     * Sends one datagram to the remote address of a connected endpoint.
     *
     * @param data the datagram
     */
    default void sendto(byte[] data) {
        sendto(ByteBuffer.wrap(data), null);
    }

    /** Closes at once, dropping queued datagrams (asyncio's {@code abort()}). */
    void abort();

    /** @return the bytes queued and not yet sent */
    int getWriteBufferSize();
}
