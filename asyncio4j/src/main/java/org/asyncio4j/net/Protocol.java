package org.asyncio4j.net;

import java.nio.ByteBuffer;

/**
 * A stream protocol that receives data as it arrives (asyncio's {@code asyncio.Protocol}).
 *
 * <pre>{@code
 * final class Echo implements Protocol {
 *     private Transport transport;
 *     public void connectionMade(BaseTransport t) { transport = (Transport) t; }
 *     public void dataReceived(ByteBuffer data) { transport.write(data); }
 * }
 * }</pre>
 *
 * <p>Zero-copy reads: {@code data} is a view of the loop's read buffer, valid only during
 * the call; copy what must outlive it (e.g. {@code byte[] b = new byte[data.remaining()];
 * data.get(b);}). Writing it back with {@link WriteTransport#write(ByteBuffer)} is safe:
 * the transport copies whatever it cannot send at once.
 */
public interface Protocol extends BaseProtocol {
    /**
     * Bytes arrived (asyncio's {@code data_received}).
     *
     * @param data the bytes, between position and limit; valid only during this call
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer closed its sending side (asyncio's {@code eof_received}). Return
     * {@code true} to keep the connection half-open (this side may go on writing and must
     * close the transport itself); {@code false}, the default, closes the transport.
     *
     * @return whether to stay half-open
     */
    default boolean eofReceived() {
        return false;
    }
}
