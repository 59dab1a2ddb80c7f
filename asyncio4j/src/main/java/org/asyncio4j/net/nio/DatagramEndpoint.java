package org.asyncio4j.net.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.function.Supplier;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.DatagramOptions;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;
import org.asyncio4j.net.Network;

/**
 * Opens datagram endpoints (asyncio's {@code create_datagram_endpoint} on a selector loop):
 * resolves the addresses, opens a non-blocking {@link DatagramChannel} of their family,
 * sets {@code SO_BROADCAST} / {@code SO_REUSEPORT}, binds the local address, connects the
 * remote one, and wraps the channel in a {@link DatagramSocketTransport}.
 *
 * <p>Every path out of {@link #open} closes the channel unless the transport owns it; every
 * error names the address it concerns.
 */
final class DatagramEndpoint {
    private DatagramEndpoint() {
    }

    /**
     * Opens the endpoint and suspends until the protocol's {@code connectionMade} ran.
     *
     * <p>Cancellation: while a name is being resolved nothing is open yet; once the channel
     * is open, it is closed (the transport is closed before {@code connectionMade} if it
     * has not run yet) and nothing stays registered with the loop.
     */
    static <P extends DatagramProtocol> Connection<DatagramTransport, P> open(EventLoop loop, Supplier<P> factory,
            DatagramOptions options) throws IOException {
        SocketAddress local = resolve(options.localAddr(), "localAddr");
        SocketAddress remote = resolve(options.remoteAddr(), "remoteAddr");
        ProtocolFamily family = family(local, remote);
        DatagramChannel ch = DatagramChannel.open(family);
        DatagramSocketTransport transport;
        P protocol;
        Future<Void> made = loop.createFuture();
        try {
            ch.configureBlocking(false);
            if (options.allowBroadcast()) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (options.reusePort()) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IllegalArgumentException("reusePort is not supported on this platform");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (local != null) {
                try {
                    ch.bind(local);
                } catch (IOException e) {
                    BindException named = new BindException("error while attempting to bind on address "
                            + local + ": " + e.getMessage());
                    named.initCause(e);
                    throw named;
                }
            }
            if (remote != null) {
                try {
                    ch.connect(remote);
                } catch (IOException e) {
                    ConnectException named = new ConnectException("Connect call failed " + remote + ": "
                            + e.getMessage());
                    named.initCause(e);
                    throw named;
                }
            }
            protocol = factory.get();
            transport = new DatagramSocketTransport(loop, ch, protocol, options.receiveSize(), made,
                    DatagramSocketTransport.CHANNEL);
        } catch (IOException | RuntimeException | Error e) {
            SelectorBackend.closeQuietly(ch);
            throw e;
        }
        try {
            made.await();
        } catch (Throwable e) {
            transport.close();
            throw e;
        }
        return new Connection<>(transport, protocol);
    }

    /** An unresolved host:port becomes the first address the resolver gives, off the loop. */
    private static SocketAddress resolve(SocketAddress addr, String name) throws IOException {
        if (addr == null) {
            return null;
        }
        if (addr instanceof UnixDomainSocketAddress) {
            throw new IllegalArgumentException(name + ": Unix-domain datagram sockets are not supported by "
                    + "DatagramChannel, got " + addr);
        }
        if (!(addr instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException(name + " must be an InetSocketAddress, got " + addr);
        }
        if (!inet.isUnresolved()) {
            return inet;
        }
        return Network.getaddrinfo(inet.getHostString(), inet.getPort()).getFirst();
    }

    /** IPv4 when every given address is IPv4, else IPv6 (which also reaches IPv4-mapped peers). */
    private static ProtocolFamily family(SocketAddress local, SocketAddress remote) {
        boolean v4 = isV4(local) && isV4(remote);
        return v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static boolean isV4(SocketAddress a) {
        return a == null || ((InetSocketAddress) a).getAddress() instanceof Inet4Address;
    }
}
