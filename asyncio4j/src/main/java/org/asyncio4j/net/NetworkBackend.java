package org.asyncio4j.net;

import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.function.Supplier;
import org.asyncio4j.loop.EventLoop;

/**
 * Low-level: what an I/O backend provides to {@link Network}, with addresses already
 * resolved. The selector backend ({@code org.asyncio4j.net.nio}) is the only one today;
 * a native epoll or io_uring backend would implement this interface with sockets of its
 * own, and {@link Network}'s callers would not change. Applications never call it.
 *
 * <p>Every method runs on the loop's thread inside a task of {@code loop}; the
 * suspending ones leave nothing open behind when cancelled.
 */
public interface NetworkBackend {
    /**
     * Connects to the first of {@code addresses} that accepts, in order, and wraps the
     * connection in a transport with a protocol from {@code factory}; suspends until the
     * protocol's {@code connectionMade} has run.
     *
     * @param loop the running loop
     * @param factory makes the protocol ({@link Protocol} or {@link BufferedProtocol})
     * @param addresses where to connect, tried in order; TCP or Unix-domain
     * @param options socket options
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws java.io.IOException if no address accepted; the message names each address
     */
    <P extends BaseProtocol> Connection<Transport, P> connect(EventLoop loop, Supplier<P> factory,
            List<SocketAddress> addresses, ConnectionOptions options) throws java.io.IOException;

    /**
     * Binds a listening socket to each of {@code addresses} and returns a server that
     * makes a protocol with {@code factory} per accepted connection.
     *
     * @param loop the running loop
     * @param factory makes a protocol per connection
     * @param addresses where to listen; TCP or Unix-domain
     * @param options listening options
     * @return the server
     * @throws java.io.IOException if a socket cannot be bound (those bound are closed again)
     */
    Server listen(EventLoop loop, Supplier<? extends BaseProtocol> factory, List<SocketAddress> addresses,
            ServerOptions options) throws java.io.IOException;

    /**
     * Opens a datagram endpoint; suspends until the protocol's {@code connectionMade} ran.
     *
     * @param loop the running loop
     * @param factory makes the protocol
     * @param options addresses and socket options
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws java.io.IOException if the socket cannot be opened, bound or connected
     */
    <P extends DatagramProtocol> Connection<DatagramTransport, P> openDatagram(EventLoop loop, Supplier<P> factory,
            DatagramOptions options) throws java.io.IOException;

    /**
     * Wraps a socket connected elsewhere (asyncio's {@code connect_accepted_socket}).
     *
     * @param loop the running loop
     * @param factory makes the protocol
     * @param socket a connected socket of this backend's kind
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IllegalArgumentException if this backend cannot use {@code socket}
     * @throws java.io.IOException if the socket cannot be set up
     */
    <P extends BaseProtocol> Connection<Transport, P> adopt(EventLoop loop, Supplier<P> factory, NetworkChannel socket)
            throws java.io.IOException;

    /**
     * Upgrades a live stream connection to TLS (asyncio's {@code loop.start_tls()}); see
     * {@link Network#startTls(Transport, BaseProtocol, javax.net.ssl.SSLContext, boolean, String, double, double)}.
     *
     * @param loop the running loop
     * @param transport the plain transport
     * @param protocol the application protocol
     * @param sslContext the TLS context
     * @param serverSide whether this side is the TLS server
     * @param serverHostname client side: the name to check, {@code ""} for none
     * @param handshakeTimeout seconds
     * @param shutdownTimeout seconds
     * @return the TLS transport, after the handshake
     * @throws java.io.IOException the handshake's error
     */
    Transport startTls(EventLoop loop, Transport transport, BaseProtocol protocol, javax.net.ssl.SSLContext sslContext,
            boolean serverSide, String serverHostname, double handshakeTimeout, double shutdownTimeout)
            throws java.io.IOException;
}
