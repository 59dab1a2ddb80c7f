package org.asyncio4j.net.nio;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.net.tls.SSLProtocol;

/**
 * A {@link Server} over listening {@link ServerSocketChannel}s (asyncio's {@code Server}
 * with the selector loop's {@code _accept_connection}).
 *
 * <p>Implementation overview: {@code listeners} are the bound channels, emptied by
 * {@link #close()}; {@code serving} says whether the loop watches them for connections.
 * {@code active} holds every transport this server accepted until its
 * {@code connectionLost} ran. {@code closeWaiters} is {@code null} once the server is
 * closed and {@code active} is empty: that is the "fully closed" state that
 * {@link #waitClosed()} waits for. When {@code accept} fails for lack of resources (too
 * many open files), accepting pauses for a second, as asyncio does, instead of spinning.
 */
final class NioServer implements Server {
    private static final Logger LOG = System.getLogger("org.asyncio4j.net");
    /** Seconds to stop accepting after accept() failed for lack of resources (asyncio's value). */
    private static final double ACCEPT_RETRY_DELAY = 1.0;

    private final EventLoop loop;
    private final Supplier<? extends BaseProtocol> protocolFactory;
    private final ServerOptions options;
    private final Context context;
    private final List<ServerSocketChannel> listeners;
    /** Close the listeners with a warning if the server is dropped open (see {@link Unclosed}). */
    private final List<java.lang.ref.Cleaner.Cleanable> unclosed = new ArrayList<>();
    private final Set<SocketTransport> active = new LinkedHashSet<>();
    private List<Future<Void>> closeWaiters = new ArrayList<>();
    private Future<Void> servingForever;
    private boolean serving;

    NioServer(EventLoop loop, Supplier<? extends BaseProtocol> protocolFactory, List<ServerSocketChannel> listeners,
            ServerOptions options) {
        this.loop = loop;
        this.protocolFactory = protocolFactory;
        this.listeners = new ArrayList<>(listeners);
        this.options = options;
        this.context = Context.copyContext();
        for (ServerSocketChannel ch : listeners) {
            unclosed.add(Unclosed.watch(this, ch, "server socket " + ch));
        }
        if (options.startServing()) {
            startServing();
        }
    }

    @Override
    public void startServing() {
        loop.checkThread();
        if (serving || listeners.isEmpty()) {
            return;
        }
        serving = true;
        for (ServerSocketChannel ch : listeners) {
            loop.addReader(ch, () -> acceptReady(ch), context);
        }
    }

    private void acceptReady(ServerSocketChannel listener) {
        for (int i = 0; i < options.backlog() && serving; i++) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                acceptFailed(listener, e);
                return;
            }
            if (c == null) {
                return;
            }
            accepted(c);
        }
    }

    private void accepted(SocketChannel c) {
        BaseProtocol protocol;
        try {
            c.configureBlocking(false);
            if (options.noDelay() && !(c.getLocalAddress() instanceof UnixDomainSocketAddress)) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            protocol = protocolFactory.get();
            if (options.ssl() != null) { // the protocol's connectionMade runs after the handshake
                protocol = new SSLProtocol(loop, protocol, options.ssl(), true, null, options.sslHandshakeTimeout(),
                        options.sslShutdownTimeout(), true);
            }
            new SocketTransport(loop, c, protocol, this, null);
        } catch (Throwable t) {
            closeQuietly(c);
            loop.callExceptionHandler(new ExceptionContext("Error setting up an accepted connection; the server goes on",
                    t, null, null, this, Map.of("socket", c)));
        }
    }

    /**
     * {@code accept} failed: the server goes on. When the process is out of descriptors or
     * memory, stop accepting for a second (every retry would fail at once and spin the loop).
     */
    private void acceptFailed(ServerSocketChannel listener, IOException e) {
        String msg = String.valueOf(e.getMessage());
        boolean outOfResources = msg.contains("Too many open files") || msg.contains("No buffer space")
                || msg.contains("Cannot allocate memory");
        if (!outOfResources) {
            // e.g. the connection was reset before it was accepted: nothing to do
            LOG.log(Level.DEBUG, "accept() failed on " + this, e);
            return;
        }
        loop.callExceptionHandler(new ExceptionContext("socket.accept() out of system resource; accepting pauses for "
                + ACCEPT_RETRY_DELAY + " s", e, null, null, this, Map.of("socket", listener)));
        loop.removeReader(listener);
        loop.callLater(ACCEPT_RETRY_DELAY, () -> {
            if (serving && listener.isOpen()) {
                loop.addReader(listener, () -> acceptReady(listener), context);
            }
        }, context);
    }

    void attach(SocketTransport t) {
        active.add(t);
    }

    void detach(SocketTransport t) {
        active.remove(t);
        if (listeners.isEmpty() && active.isEmpty()) {
            wakeCloseWaiters();
        }
    }

    @Override
    public void close() {
        loop.checkThread();
        if (listeners.isEmpty()) {
            return;
        }
        serving = false;
        for (ServerSocketChannel ch : listeners) {
            Path unixPath = unixPath(ch);
            try {
                loop.closeChannel(ch); // at once: NIO would keep accepting until the next poll
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "error closing " + ch, e);
            }
            if (unixPath != null) {
                try {
                    Files.deleteIfExists(unixPath);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot remove the Unix socket file " + unixPath, e);
                }
            }
        }
        listeners.clear();
        unclosed.forEach(java.lang.ref.Cleaner.Cleanable::clean);
        unclosed.clear();
        Future<Void> f = servingForever;
        if (f != null && !f.done()) {
            f.cancel();
        }
        if (active.isEmpty()) {
            wakeCloseWaiters();
        }
    }

    private static Path unixPath(ServerSocketChannel ch) {
        try {
            return ch.getLocalAddress() instanceof UnixDomainSocketAddress u ? u.getPath() : null;
        } catch (IOException closed) {
            return null;
        }
    }

    private void wakeCloseWaiters() {
        List<Future<Void>> waiters = closeWaiters;
        if (waiters == null) {
            return;
        }
        closeWaiters = null;
        for (Future<Void> w : waiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    @Override
    public void waitClosed() {
        loop.checkThread();
        List<Future<Void>> waiters = closeWaiters;
        if (waiters == null) {
            return;
        }
        Future<Void> w = loop.createFuture();
        waiters.add(w);
        try {
            w.await();
        } finally {
            List<Future<Void>> still = closeWaiters;
            if (still != null) {
                still.remove(w);
            }
        }
    }

    @Override
    public void serveForever() {
        loop.checkThread();
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (listeners.isEmpty()) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startServing();
        Future<Void> f = servingForever = loop.createFuture();
        try {
            f.await();
        } catch (CancelledError e) {
            try {
                close();
                waitClosed();
            } finally {
                throw e;
            }
        } finally {
            servingForever = null;
        }
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public List<NetworkChannel> sockets() {
        return List.copyOf(listeners);
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public void closeClients() {
        loop.checkThread();
        for (SocketTransport t : List.copyOf(active)) {
            t.close();
        }
    }

    @Override
    public void abortClients() {
        loop.checkThread();
        for (SocketTransport t : List.copyOf(active)) {
            t.abort();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "error closing " + c, e);
        }
    }

    @Override
    public String toString() {
        List<Object> addrs = new ArrayList<>();
        for (ServerSocketChannel ch : listeners) {
            try {
                addrs.add(ch.getLocalAddress());
            } catch (IOException closed) {
                addrs.add("closed");
            }
        }
        return "<Server sockets=" + addrs + (serving ? " serving" : "") + " connections=" + active.size() + ">";
    }
}
