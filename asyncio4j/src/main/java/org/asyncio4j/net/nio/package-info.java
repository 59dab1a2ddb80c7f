/**
 * The network backend on NIO channels and the loop's selector, and its public operations
 * on raw non-blocking channels: {@link org.asyncio4j.net.nio.SocketOps} (asyncio's
 * {@code loop.sock_recv}, {@code sock_sendall}, {@code sock_connect}, {@code sock_accept},
 * {@code sock_sendfile}, ..., with {@link org.asyncio4j.net.nio.Datagram} for
 * {@code sock_recvfrom}) and {@link org.asyncio4j.net.nio.Sendfile} ({@code loop.sendfile}).
 * {@code AsyncIO} offers the same methods. The transports' classes are public so that
 * {@code getExtraInfo} and tests can name them; create them through
 * {@link org.asyncio4j.net.Network}.
 */
package org.asyncio4j.net.nio;
