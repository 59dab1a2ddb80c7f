package org.asyncio4j.net.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.TimerHandle;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.ConnectionOptions;
import org.asyncio4j.net.DatagramOptions;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;
import org.asyncio4j.net.NetworkBackend;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.net.Transport;
import org.asyncio4j.net.tls.SSLProtocol;

/**
 * The {@link NetworkBackend} on NIO channels and the loop's selector driver (asyncio's
 * {@code BaseSelectorEventLoop} networking: {@code sock_connect}, {@code _accept_connection},
 * {@code _make_socket_transport}). Loaded by name from {@code Network}.
 *
 * <p>Every error names the address it concerns, as asyncio's do ({@code Connect call
 * failed ('127.0.0.1', 1)}, {@code error while attempting to bind on address ...}), and
 * every path out of a method closes the channels it opened unless a transport or server
 * now owns them.
 */
public final class SelectorBackend implements NetworkBackend {
    /** Made by {@code Network}, reflectively. */
    public SelectorBackend() {
    }

    // ================================================================ connecting

    @Override
    public <P extends BaseProtocol> Connection<Transport, P> connect(EventLoop loop, Supplier<P> factory,
            List<SocketAddress> addresses, ConnectionOptions options) throws IOException {
        List<IOException> errors = new ArrayList<>();
        for (SocketAddress addr : addresses) {
            SocketChannel ch = null;
            try {
                boolean unix = addr instanceof UnixDomainSocketAddress;
                ch = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                ch.configureBlocking(false);
                if (!unix && options.noDelay()) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                if (options.localAddr() != null) {
                    bindLocal(ch, options.localAddr());
                }
                if (!ch.connect(addr)) {
                    awaitConnected(loop, ch, addr, options.connectTimeout());
                }
            } catch (IOException e) {
                closeQuietly(ch);
                errors.add(namingAddress(e, addr));
                continue;
            } catch (RuntimeException | Error e) {
                closeQuietly(ch); // cancelled, or a bad option
                throw e;
            }
            return wrap(loop, factory, ch, options);
        }
        throw combined(errors, addresses);
    }

    private static void bindLocal(SocketChannel ch, SocketAddress local) throws IOException {
        try {
            ch.bind(local);
        } catch (IOException e) {
            throw new BindException("error while attempting to bind on address " + local + ": " + e.getMessage());
        }
    }

    /** Suspends until {@code ch} finished connecting to {@code addr}; the writer is always removed. */
    private static void awaitConnected(EventLoop loop, SocketChannel ch, SocketAddress addr, double timeout)
            throws IOException {
        Future<Void> ready = loop.createFuture();
        loop.addWriter(ch, () -> {
            if (!ready.done()) {
                ready.setResult(null);
            }
        });
        TimerHandle timer = null;
        if (timeout != Double.POSITIVE_INFINITY) {
            timer = loop.callLater(timeout, () -> {
                if (!ready.done()) {
                    ready.setException(new SocketTimeoutException("connect to " + addr + " timed out after "
                            + timeout + " s"));
                }
            });
        }
        try {
            ready.await();
        } finally {
            loop.removeWriter(ch);
            if (timer != null) {
                timer.cancel();
            }
        }
        ch.finishConnect();
    }

    private static IOException namingAddress(IOException e, SocketAddress addr) {
        if (e instanceof SocketTimeoutException || e instanceof BindException) {
            return e; // their messages name the address already
        }
        String msg = "Connect call failed " + describe(addr) + ": " + e.getMessage();
        IOException named = e instanceof ConnectException ? new ConnectException(msg) : new IOException(msg);
        named.initCause(e);
        return named;
    }

    private static IOException combined(List<IOException> errors, List<SocketAddress> addresses) {
        if (errors.isEmpty()) {
            return new ConnectException("no address to connect to (tried " + addresses + ")");
        }
        if (errors.size() == 1) {
            return errors.getFirst();
        }
        StringBuilder sb = new StringBuilder("Multiple exceptions: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(errors.get(i).getMessage());
        }
        ConnectException all = new ConnectException(sb.toString());
        errors.forEach(all::addSuppressed);
        return all;
    }

    private static String describe(SocketAddress addr) {
        if (addr instanceof InetSocketAddress a && a.getAddress() != null) {
            return "('" + a.getAddress().getHostAddress() + "', " + a.getPort() + ")";
        }
        return String.valueOf(addr);
    }

    /**
     * Makes the transport for a connected channel and waits for {@code connectionMade}; with
     * {@code options.ssl()}, the socket's protocol is the TLS layer and this waits for the
     * handshake too (the TLS layer closes the socket if it fails).
     */
    private static <P extends BaseProtocol> Connection<Transport, P> wrap(EventLoop loop, Supplier<P> factory,
            SocketChannel ch, ConnectionOptions options) throws IOException {
        P protocol;
        SocketTransport transport;
        SSLProtocol tls = null;
        Future<Void> made = loop.createFuture();
        try {
            protocol = factory.get();
            if (options.ssl() != null) {
                tls = new SSLProtocol(loop, protocol, options.ssl(), false, options.serverHostname(),
                        options.sslHandshakeTimeout(), options.sslShutdownTimeout(), true);
            }
            transport = new SocketTransport(loop, ch, tls != null ? tls : protocol, null, made);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
        try {
            made.await();
        } catch (Throwable e) {
            transport.close();
            throw e;
        }
        if (tls != null) {
            return new Connection<>(tls.awaitHandshake(), protocol);
        }
        return new Connection<>(transport, protocol);
    }

    @Override
    public <P extends BaseProtocol> Connection<Transport, P> adopt(EventLoop loop, Supplier<P> factory,
            NetworkChannel socket) throws IOException {
        if (!(socket instanceof SocketChannel ch) || !ch.isConnected()) {
            throw new IllegalArgumentException("connectAcceptedSocket needs a connected SocketChannel, got " + socket);
        }
        ch.configureBlocking(false);
        return wrap(loop, factory, ch, ConnectionOptions.DEFAULTS);
    }

    @Override
    public Transport startTls(EventLoop loop, Transport transport, BaseProtocol protocol,
            javax.net.ssl.SSLContext sslContext, boolean serverSide, String serverHostname, double handshakeTimeout,
            double shutdownTimeout) throws IOException {
        return SSLProtocol.startTls(loop, transport, protocol, sslContext, serverSide, serverHostname,
                handshakeTimeout, shutdownTimeout);
    }

    // ================================================================ listening

    @Override
    public Server listen(EventLoop loop, Supplier<? extends BaseProtocol> factory, List<SocketAddress> addresses,
            ServerOptions options) throws IOException {
        List<ServerSocketChannel> bound = new ArrayList<>();
        try {
            for (SocketAddress addr : addresses) {
                bound.add(bind(addr, options));
            }
        } catch (IOException | RuntimeException | Error e) {
            bound.forEach(SelectorBackend::closeQuietly);
            throw e;
        }
        return new NioServer(loop, factory, bound, options);
    }

    private static ServerSocketChannel bind(SocketAddress addr, ServerOptions options) throws IOException {
        boolean unix = addr instanceof UnixDomainSocketAddress;
        if (unix) {
            removeStaleSocketFile(((UnixDomainSocketAddress) addr).getPath());
        }
        ServerSocketChannel ss = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        try {
            if (!unix) {
                ss.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                if (options.reusePort()) {
                    if (!ss.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        throw new IllegalArgumentException("reusePort is not supported on this platform");
                    }
                    ss.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            try {
                ss.bind(addr, options.backlog());
            } catch (IOException e) {
                BindException named = new BindException("error while attempting to bind on address " + describe(addr)
                        + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            ss.configureBlocking(false);
            return ss;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ss);
            throw e;
        }
    }

    /**
     * A socket file left by a server that did not close removes itself here, as asyncio's
     * {@code create_unix_server} does; any other file at the path is an error.
     */
    private static void removeStaleSocketFile(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object mode;
        try {
            mode = Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            mode = null;
        }
        boolean isSocket = mode instanceof Integer m && (m & 0170000) == 0140000;
        if (!isSocket) {
            throw new BindException("error while attempting to bind on address " + path
                    + ": the path exists and is not a socket");
        }
        Files.deleteIfExists(path);
    }

    // ================================================================ datagrams

    @Override
    public <P extends DatagramProtocol> Connection<DatagramTransport, P> openDatagram(EventLoop loop,
            Supplier<P> factory, DatagramOptions options) throws IOException {
        return DatagramEndpoint.open(loop, factory, options);
    }

    static void closeQuietly(Channel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort on an error path; the original error is what matters
        }
    }
}
