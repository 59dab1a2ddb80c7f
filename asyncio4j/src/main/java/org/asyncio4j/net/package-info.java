/**
 * Transports and protocols (asyncio's low-level networking): the protocol callbacks
 * ({@link org.asyncio4j.net.Protocol}, {@link org.asyncio4j.net.BufferedProtocol},
 * {@link org.asyncio4j.net.DatagramProtocol}), the transports that drive them
 * ({@link org.asyncio4j.net.Transport}, {@link org.asyncio4j.net.DatagramTransport}),
 * {@link org.asyncio4j.net.Server}, and {@link org.asyncio4j.net.Network}, the loop's
 * {@code create_connection}, {@code create_server}, {@code create_datagram_endpoint},
 * {@code getaddrinfo} and friends, with their option records. Most applications use the
 * streams of {@link org.asyncio4j.stream} instead.
 */
package org.asyncio4j.net;
