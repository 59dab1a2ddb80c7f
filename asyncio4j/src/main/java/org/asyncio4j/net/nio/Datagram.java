package org.asyncio4j.net.nio;

import java.net.SocketAddress;

/**
 * One datagram and its sender: what {@link SocketOps#sockRecvfrom} returns (asyncio's
 * {@code (data, address)} tuple from {@code loop.sock_recvfrom()}).
 *
 * @param data the bytes received (truncated to the size asked for); the array is the
 *     record's own, and compares by identity in {@code equals}, as arrays do
 * @param address the sender
 */
public record Datagram(byte[] data, SocketAddress address) {
}
