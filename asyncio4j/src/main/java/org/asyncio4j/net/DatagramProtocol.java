package org.asyncio4j.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A protocol for datagram endpoints (asyncio's {@code asyncio.DatagramProtocol}).
 * Order: {@code connectionMade}, then {@code datagramReceived} and {@code errorReceived}
 * in any number, then {@code connectionLost}.
 */
public interface DatagramProtocol extends BaseProtocol {
    /**
     * A datagram arrived (asyncio's {@code datagram_received}). A datagram longer than the
     * endpoint's receive size is truncated to it.
     *
     * @param data the datagram, between position and limit; valid only during this call
     * @param addr the sender
     */
    default void datagramReceived(ByteBuffer data, SocketAddress addr) {
    }

    /**
     * A send or receive failed without ending the endpoint (asyncio's
     * {@code error_received}), e.g. the peer's port is closed (ICMP port unreachable, seen
     * on a connected endpoint).
     *
     * @param exc the error
     */
    default void errorReceived(Exception exc) {
    }
}
