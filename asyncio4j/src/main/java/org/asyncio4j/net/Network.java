package org.asyncio4j.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.asyncio4j.loop.EventLoop;

/**
 * The loop's networking methods (asyncio's {@code loop.create_connection},
 * {@code loop.create_server}, {@code loop.create_unix_connection},
 * {@code loop.create_unix_server}, {@code loop.create_datagram_endpoint},
 * {@code loop.connect_accepted_socket}, {@code loop.getaddrinfo},
 * {@code loop.getnameinfo}), on the running loop. {@code AsyncIO} offers the same
 * methods; the stream layer builds on these.
 *
 * <pre>{@code
 * Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
 * int port = ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
 * var conn = Network.createConnection(MyClient::new, "127.0.0.1", port);
 * conn.transport().write("hello".getBytes());
 * }</pre>
 *
 * <p>Every method here suspends the calling task (names are resolved off the loop
 * thread), so each must run inside a task; outside one it fails at once and changes
 * nothing. Hosts are resolved with {@link InetAddress#getAllByName} on a virtual thread,
 * except IP literals, which need no lookup.
 *
 * <p>Implementation overview: this class checks arguments, resolves names and hands
 * socket addresses to the {@link NetworkBackend}, loaded by name once (the selector
 * backend in {@code org.asyncio4j.net.nio}, which implements the interfaces of this
 * package: the interfaces never import it).
 */
public final class Network {
    private static final NetworkBackend BACKEND = loadBackend();

    private Network() {
    }

    private static NetworkBackend loadBackend() {
        try {
            return (NetworkBackend) Class.forName("org.asyncio4j.net.nio.SelectorBackend")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the selector network backend", e);
        }
    }

    // ================================================================ TCP

    /**
     * Opens a TCP connection to {@code host}:{@code port} with asyncio's defaults (asyncio's
     * {@code loop.create_connection(protocol_factory, host, port)}).
     *
     * @param factory makes the connection's {@link Protocol} or {@link BufferedProtocol}
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param <P> the protocol type
     * @return the transport and the protocol, after {@code connectionMade} ran
     * @throws IOException if the name cannot be resolved ({@link java.net.UnknownHostException})
     *     or no address accepts ({@link java.net.ConnectException}, naming each address)
     * @see #createConnection(Supplier, String, int, ConnectionOptions)
     */
    public static <P extends BaseProtocol> Connection<Transport, P> createConnection(Supplier<P> factory, String host,
            int port) throws IOException {
        return createConnection(factory, host, port, ConnectionOptions.DEFAULTS);
    }

    /**
     * Opens a TCP connection (asyncio's {@code loop.create_connection()}). The host's
     * addresses are tried in the order the resolver returns them; the first that accepts
     * wins. {@code TCP_NODELAY} is set unless the options say otherwise.
     *
     * <p>With {@link ConnectionOptions#withSsl} the connection is wrapped in TLS (asyncio's
     * {@code ssl=}): this returns after the handshake, the protocol's {@code connectionMade}
     * runs after it, and the returned transport encrypts. The server's certificate is checked
     * against {@code serverHostname}, by default {@code host}.
     *
     * <p>Cancellation: a connection attempt in progress is abandoned and its socket
     * closed; nothing is left registered with the loop (also during the TLS handshake).
     *
     * @param factory makes the connection's {@link Protocol} or {@link BufferedProtocol}
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param options local address, {@code TCP_NODELAY}, connect timeout, TLS
     * @param <P> the protocol type
     * @return the transport and the protocol, after {@code connectionMade} ran
     * @throws IOException if the name cannot be resolved or no address accepts; with TLS,
     *     the handshake's error as the JDK raised it ({@link javax.net.ssl.SSLHandshakeException}:
     *     untrusted certificate, host-name mismatch, ...), or
     *     {@code org.asyncio4j.net.tls.ConnectionAbortedError} when it took longer than
     *     {@code sslHandshakeTimeout}; the socket is closed
     * @throws IllegalArgumentException if the host is null, the port out of range, or
     *     {@code serverHostname} is given without {@code ssl}
     * @throws IllegalStateException if called outside a task
     */
    public static <P extends BaseProtocol> Connection<Transport, P> createConnection(Supplier<P> factory, String host,
            int port, ConnectionOptions options) throws IOException {
        EventLoop loop = EventLoop.requireTask("createConnection");
        checkFactory(factory);
        if (host == null) {
            throw new IllegalArgumentException("createConnection needs a host (a name or an IP literal), got null");
        }
        checkPort(port);
        ConnectionOptions opts = options == null ? ConnectionOptions.DEFAULTS : options;
        if (opts.ssl() == null && opts.serverHostname() != null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with ssl (got \""
                    + opts.serverHostname() + "\" and no ssl)");
        }
        if (opts.ssl() != null && opts.serverHostname() == null) {
            opts = opts.withServerHostname(host); // as asyncio: check the certificate against the host dialled
        }
        List<SocketAddress> addrs = new ArrayList<>(getaddrinfo(host, port));
        return BACKEND.connect(loop, factory, addrs, opts);
    }

    /**
     * Listens on {@code host}:{@code port} with asyncio's defaults (asyncio's
     * {@code loop.create_server(protocol_factory, host, port)}).
     *
     * @param factory makes a protocol per accepted connection
     * @param host a name or an IP literal, or {@code null} for every interface
     * @param port 0 to 65535; 0 picks a free port (read it from {@link Server#sockets()})
     * @return the server, accepting
     * @throws IOException if the name cannot be resolved or the address is in use
     *     ({@link java.net.BindException}, naming the address)
     */
    public static Server createServer(Supplier<? extends BaseProtocol> factory, String host, int port)
            throws IOException {
        return createServer(factory, host, port, ServerOptions.DEFAULTS);
    }

    /**
     * Listens on {@code host}:{@code port} (asyncio's {@code loop.create_server()}). A name
     * that resolves to several addresses gets a socket on each; {@code null} listens on
     * every interface with one dual-stack socket.
     *
     * <p>Cancellation: while the name is being resolved, nothing is bound yet.
     *
     * @param factory makes a protocol per accepted connection
     * @param host a name or an IP literal, or {@code null} for every interface
     * @param port 0 to 65535
     * @param options backlog, address and port reuse, whether to start serving
     * @return the server
     * @throws IOException if the name cannot be resolved or an address cannot be bound
     */
    public static Server createServer(Supplier<? extends BaseProtocol> factory, String host, int port,
            ServerOptions options) throws IOException {
        return createServer(factory, host == null ? List.of() : List.of(host), port, options);
    }

    /**
     * Listens on several hosts at one port (asyncio's {@code create_server} with a list of
     * hosts). An empty list means every interface.
     *
     * @param factory makes a protocol per accepted connection
     * @param hosts names or IP literals
     * @param port 0 to 65535
     * @param options listening options
     * @return the server
     * @throws IOException if a name cannot be resolved or an address cannot be bound
     */
    public static Server createServer(Supplier<? extends BaseProtocol> factory, List<String> hosts, int port,
            ServerOptions options) throws IOException {
        EventLoop loop = EventLoop.requireTask("createServer");
        checkFactory(factory);
        checkPort(port);
        Set<SocketAddress> addrs = new LinkedHashSet<>();
        if (hosts.isEmpty()) {
            addrs.add(new InetSocketAddress(port));
        }
        for (String h : hosts) {
            addrs.addAll(getaddrinfo(h, port));
        }
        return BACKEND.listen(loop, factory, List.copyOf(addrs), options == null ? ServerOptions.DEFAULTS : options);
    }

    // ================================================================ TLS upgrade

    /**
     * Upgrades a live connection to TLS with asyncio's timeouts (asyncio's
     * {@code loop.start_tls(transport, protocol, sslcontext, server_side=, server_hostname=)}).
     *
     * @param transport the plain transport (or a TLS one: TLS in TLS works)
     * @param protocol the protocol that receives the decrypted bytes
     * @param sslContext the TLS context
     * @param serverSide whether this side is the TLS server
     * @param serverHostname client side: the name to check the certificate against and send
     *     as SNI; {@code ""} for no host-name check; ignored on the server side
     * @return the new transport, after the handshake
     * @throws IOException the handshake's error; the connection is closed
     * @see #startTls(Transport, BaseProtocol, SSLContext, boolean, String, double, double)
     */
    public static Transport startTls(Transport transport, BaseProtocol protocol, SSLContext sslContext,
            boolean serverSide, String serverHostname) throws IOException {
        return startTls(transport, protocol, sslContext, serverSide, serverHostname,
                ConnectionOptions.SSL_HANDSHAKE_TIMEOUT, ConnectionOptions.SSL_SHUTDOWN_TIMEOUT);
    }

    /**
     * Upgrades a live connection to TLS (asyncio's {@code loop.start_tls()}), STARTTLS
     * style: from now on {@code transport} delivers to a TLS layer, the handshake runs, and
     * the returned transport is the one to use; the old one must not be used any more
     * (closing the new one closes it). As in asyncio, {@code protocol}'s
     * {@code connectionMade} is not called again: it was connected already, so keep the
     * returned transport. Pause your own reading before the peer can send its first TLS
     * bytes (e.g. in the callback that sees the STARTTLS command) so that none reaches the
     * old protocol.
     *
     * <p>Cancellation: the connection is aborted, then {@code CancelledError} propagates.
     *
     * @param transport the plain transport, open
     * @param protocol the protocol that receives the decrypted bytes ({@link Protocol} or
     *     {@link BufferedProtocol})
     * @param sslContext the TLS context
     * @param serverSide whether this side is the TLS server
     * @param serverHostname client side: the name to check and send as SNI, {@code ""} for
     *     no host-name check; required on the client side, as asyncio's
     * @param sslHandshakeTimeout seconds the handshake may take (asyncio's 60)
     * @param sslShutdownTimeout seconds to wait for the peer's {@code close_notify} (asyncio's 30)
     * @return the new transport, after the handshake
     * @throws IOException the handshake's error ({@link javax.net.ssl.SSLHandshakeException}
     *     as the JDK raised it, or {@code org.asyncio4j.net.tls.ConnectionAbortedError} on
     *     timeout); the connection is closed
     * @throws IllegalStateException if {@code transport} is closing or closed, or if called
     *     outside a task
     * @throws IllegalArgumentException if an argument is missing or a timeout not positive
     */
    public static Transport startTls(Transport transport, BaseProtocol protocol, SSLContext sslContext,
            boolean serverSide, String serverHostname, double sslHandshakeTimeout, double sslShutdownTimeout)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("startTls");
        if (transport == null || protocol == null || sslContext == null) {
            throw new IllegalArgumentException("startTls needs a transport, a protocol and an SSLContext, got "
                    + transport + ", " + protocol + ", " + sslContext);
        }
        if (!serverSide && serverHostname == null) {
            throw new IllegalArgumentException("startTls on the client side needs a serverHostname (\"\" to check none)");
        }
        if (!(sslHandshakeTimeout > 0) || !(sslShutdownTimeout > 0)) {
            throw new IllegalArgumentException("TLS timeouts must be > 0 seconds, got handshake " + sslHandshakeTimeout
                    + ", shutdown " + sslShutdownTimeout);
        }
        if (transport.isClosing()) {
            throw new IllegalStateException("startTls() on a closing or closed transport: " + transport);
        }
        return BACKEND.startTls(loop, transport, protocol, sslContext, serverSide, serverHostname,
                sslHandshakeTimeout, sslShutdownTimeout);
    }

    // ================================================================ Unix-domain sockets

    /**
     * Connects to the Unix-domain socket at {@code path} (asyncio's
     * {@code loop.create_unix_connection()}).
     *
     * <p>Cancellation: the attempt is abandoned and its socket closed.
     *
     * @param factory makes the connection's protocol
     * @param path the socket file
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if nothing listens there (naming the path)
     */
    public static <P extends BaseProtocol> Connection<Transport, P> createUnixConnection(Supplier<P> factory, Path path)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("createUnixConnection");
        checkFactory(factory);
        if (path == null) {
            throw new IllegalArgumentException("createUnixConnection needs a socket path, got null");
        }
        return BACKEND.connect(loop, factory, List.of(UnixDomainSocketAddress.of(path)),
                ConnectionOptions.DEFAULTS.withNoDelay(false));
    }

    /**
     * Listens on a Unix-domain socket at {@code path} (asyncio's
     * {@code loop.create_unix_server()}); the file is removed when the server closes.
     *
     * @param factory makes a protocol per connection
     * @param path the socket file; must not exist
     * @param options backlog and start serving (address reuse does not apply)
     * @return the server
     * @throws IOException if the path exists or cannot be bound
     */
    public static Server createUnixServer(Supplier<? extends BaseProtocol> factory, Path path, ServerOptions options)
            throws IOException {
        EventLoop loop = EventLoop.requireTask("createUnixServer");
        checkFactory(factory);
        if (path == null) {
            throw new IllegalArgumentException("createUnixServer needs a socket path, got null");
        }
        return BACKEND.listen(loop, factory, List.of(UnixDomainSocketAddress.of(path)),
                (options == null ? ServerOptions.DEFAULTS : options).withNoDelay(false));
    }

    /**
     * {@link #createUnixServer(Supplier, Path, ServerOptions)} with the default options.
     *
     * @param factory makes a protocol per connection
     * @param path the socket file
     * @return the server
     * @throws IOException if the path exists or cannot be bound
     */
    public static Server createUnixServer(Supplier<? extends BaseProtocol> factory, Path path) throws IOException {
        return createUnixServer(factory, path, ServerOptions.DEFAULTS);
    }

    // ================================================================ datagrams, adopted sockets

    /**
     * Opens a UDP endpoint (asyncio's {@code loop.create_datagram_endpoint()}).
     *
     * @param factory makes the endpoint's protocol
     * @param options local and remote address, broadcast, port reuse; at least one address
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if the socket cannot be bound or connected
     * @throws IllegalArgumentException if neither address is given
     */
    public static <P extends DatagramProtocol> Connection<DatagramTransport, P> createDatagramEndpoint(
            Supplier<P> factory, DatagramOptions options) throws IOException {
        EventLoop loop = EventLoop.requireTask("createDatagramEndpoint");
        checkFactory(factory);
        if (options == null || options.localAddr() == null && options.remoteAddr() == null) {
            throw new IllegalArgumentException("createDatagramEndpoint needs a localAddr or a remoteAddr in its options");
        }
        return BACKEND.openDatagram(loop, factory, options);
    }

    /**
     * Wraps a socket connected outside the loop (asyncio's {@code loop.connect_accepted_socket()}).
     * The socket is switched to non-blocking mode.
     *
     * @param factory makes the connection's protocol
     * @param socket a connected {@link java.nio.channels.SocketChannel}
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if the socket cannot be set up
     * @throws IllegalArgumentException if it is not a connected stream socket
     */
    public static <P extends BaseProtocol> Connection<Transport, P> connectAcceptedSocket(Supplier<P> factory,
            NetworkChannel socket) throws IOException {
        EventLoop loop = EventLoop.requireTask("connectAcceptedSocket");
        checkFactory(factory);
        if (socket == null) {
            throw new IllegalArgumentException("connectAcceptedSocket needs a socket, got null");
        }
        return BACKEND.adopt(loop, factory, socket);
    }

    // ================================================================ names

    /**
     * Resolves {@code host} to socket addresses at {@code port}, off the loop thread
     * (asyncio's {@code loop.getaddrinfo()}); IP literals need no lookup.
     *
     * <p>Cancellation: the lookup goes on in its thread; its answer is dropped.
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @return the addresses, in the resolver's order
     * @throws java.net.UnknownHostException if the name cannot be resolved
     */
    public static List<InetSocketAddress> getaddrinfo(String host, int port) throws IOException {
        EventLoop loop = EventLoop.requireTask("getaddrinfo");
        if (host == null) {
            throw new IllegalArgumentException("getaddrinfo needs a host, got null");
        }
        checkPort(port);
        InetAddress[] found;
        InetAddress literal = literal(host);
        if (literal != null) {
            found = new InetAddress[] {literal};
        } else {
            found = loop.runInExecutor(null, () -> InetAddress.getAllByName(host)).await();
        }
        List<InetSocketAddress> out = new ArrayList<>(found.length);
        for (InetAddress a : found) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /**
     * The host name of an address, by reverse lookup off the loop thread (asyncio's
     * {@code loop.getnameinfo()}); the address's text when there is no name.
     *
     * <p>Cancellation: the lookup goes on in its thread; its answer is dropped.
     *
     * @param address the address
     * @return the host name, or the address's text
     */
    public static String getnameinfo(InetSocketAddress address) {
        EventLoop loop = EventLoop.requireTask("getnameinfo");
        if (address == null || address.getAddress() == null) {
            throw new IllegalArgumentException("getnameinfo needs a resolved address, got " + address);
        }
        return loop.runInExecutor(null, () -> address.getAddress().getCanonicalHostName()).await();
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notLiteral) {
            return null;
        }
    }

    // ================================================================ checks

    private static void checkFactory(Supplier<?> factory) {
        if (factory == null) {
            throw new NullPointerException("protocol factory must not be null");
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
    }
}
