package org.asyncio4j.net;

import javax.net.ssl.SSLContext;

/**
 * The keyword arguments of {@code createServer} (asyncio's {@code backlog=},
 * {@code reuse_address=}, {@code reuse_port=}, {@code start_serving=}, {@code ssl=},
 * {@code ssl_handshake_timeout=}, {@code ssl_shutdown_timeout=}). Start from
 * {@link #DEFAULTS}: {@code ServerOptions.DEFAULTS.withBacklog(1000)}.
 *
 * <p>TLS: {@code DEFAULTS.withSsl(sslContext)} wraps every accepted connection in TLS; the
 * protocol's {@code connectionMade} runs after the handshake, and a connection whose
 * handshake fails (a plain-text client, an untrusted peer, a timeout) is closed without
 * the protocol ever being told, while the server goes on.
 *
 * @param backlog the listen queue length (asyncio's default 100)
 * @param reuseAddress {@code SO_REUSEADDR} (default true, as asyncio on POSIX)
 * @param reusePort {@code SO_REUSEPORT}, so several processes can share the port (default false)
 * @param startServing accept connections at once (default true); else call
 *     {@link Server#startServing()} or {@link Server#serveForever()}
 * @param noDelay set {@code TCP_NODELAY} on accepted connections (default true, as asyncio)
 * @param ssl the TLS context to wrap accepted connections with (asyncio's {@code ssl=}), or
 *     {@code null} (the default) for plain TCP
 * @param sslHandshakeTimeout seconds a client's TLS handshake may take before its
 *     connection is aborted (asyncio's {@code ssl_handshake_timeout=}, default 60)
 * @param sslShutdownTimeout seconds to wait for the peer's {@code close_notify} after ours
 *     (asyncio's {@code ssl_shutdown_timeout=}, default 30)
 */
public record ServerOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean startServing,
        boolean noDelay, SSLContext ssl, double sslHandshakeTimeout, double sslShutdownTimeout) {
    /** asyncio's defaults. */
    public static final ServerOptions DEFAULTS = new ServerOptions(100, true, false, true, true, null,
            ConnectionOptions.SSL_HANDSHAKE_TIMEOUT, ConnectionOptions.SSL_SHUTDOWN_TIMEOUT);

    /** Checks the backlog and the timeouts. */
    public ServerOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1, got " + backlog);
        }
        if (!(sslHandshakeTimeout > 0)) {
            throw new IllegalArgumentException("sslHandshakeTimeout must be > 0 seconds, got " + sslHandshakeTimeout);
        }
        if (!(sslShutdownTimeout > 0)) {
            throw new IllegalArgumentException("sslShutdownTimeout must be > 0 seconds, got " + sslShutdownTimeout);
        }
    }

    /**
     * @param n the listen queue length
     * @return a copy with {@code backlog} changed
     */
    public ServerOptions withBacklog(int n) {
        return new ServerOptions(n, reuseAddress, reusePort, startServing, noDelay, ssl, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param on {@code SO_REUSEADDR}
     * @return a copy with {@code reuseAddress} changed
     */
    public ServerOptions withReuseAddress(boolean on) {
        return new ServerOptions(backlog, on, reusePort, startServing, noDelay, ssl, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param on {@code SO_REUSEPORT}
     * @return a copy with {@code reusePort} changed
     */
    public ServerOptions withReusePort(boolean on) {
        return new ServerOptions(backlog, reuseAddress, on, startServing, noDelay, ssl, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param on accept at once
     * @return a copy with {@code startServing} changed
     */
    public ServerOptions withStartServing(boolean on) {
        return new ServerOptions(backlog, reuseAddress, reusePort, on, noDelay, ssl, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param on {@code TCP_NODELAY} on accepted connections
     * @return a copy with {@code noDelay} changed
     */
    public ServerOptions withNoDelay(boolean on) {
        return new ServerOptions(backlog, reuseAddress, reusePort, startServing, on, ssl, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param context the TLS context for accepted connections (asyncio's {@code ssl=}), or
     *     {@code null} for plain TCP
     * @return a copy with {@code ssl} changed
     */
    public ServerOptions withSsl(SSLContext context) {
        return new ServerOptions(backlog, reuseAddress, reusePort, startServing, noDelay, context, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param seconds how long a client's TLS handshake may take
     * @return a copy with {@code sslHandshakeTimeout} changed
     */
    public ServerOptions withSslHandshakeTimeout(double seconds) {
        return new ServerOptions(backlog, reuseAddress, reusePort, startServing, noDelay, ssl, seconds,
                sslShutdownTimeout);
    }

    /**
     * @param seconds how long to wait for the peer's {@code close_notify}
     * @return a copy with {@code sslShutdownTimeout} changed
     */
    public ServerOptions withSslShutdownTimeout(double seconds) {
        return new ServerOptions(backlog, reuseAddress, reusePort, startServing, noDelay, ssl, sslHandshakeTimeout,
                seconds);
    }
}
