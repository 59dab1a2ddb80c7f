package org.asyncio4j.net;

import java.net.SocketAddress;
import javax.net.ssl.SSLContext;

/**
 * The keyword arguments of {@code createConnection} (asyncio's {@code local_addr=},
 * {@code ssl=}, {@code server_hostname=}, {@code ssl_handshake_timeout=},
 * {@code ssl_shutdown_timeout=}, and the socket options it sets). Start from
 * {@link #DEFAULTS} and change what you need:
 * {@code ConnectionOptions.DEFAULTS.withLocalAddr(new InetSocketAddress("127.0.0.1", 0))}.
 *
 * <p>TLS: {@code DEFAULTS.withSsl(sslContext)} wraps the connection in TLS
 * ({@code org.asyncio4j.net.tls.SSLProtocol}); {@code createConnection} then returns after
 * the handshake. As asyncio's {@code create_default_context()}, the client verifies the
 * peer's chain (with the context's trust managers) and its host name against
 * {@code serverHostname}, which defaults to the host given to {@code createConnection}.
 * {@code withServerHostname("")} turns the host-name check (and SNI) off, as asyncio's
 * {@code server_hostname=''}; the chain is still verified.
 *
 * @param localAddr the local address to bind before connecting, or {@code null}
 * @param noDelay whether to set {@code TCP_NODELAY} (asyncio sets it; default true)
 * @param connectTimeout seconds to wait for each address before trying the next,
 *     {@link Double#POSITIVE_INFINITY} (the default) for the system's own limit
 * @param ssl the TLS context to wrap the connection with (asyncio's {@code ssl=}), or
 *     {@code null} (the default) for plain TCP
 * @param serverHostname the name to check the server's certificate against and to send
 *     as SNI (asyncio's {@code server_hostname=}); {@code null} (the default) for the host
 *     given to {@code createConnection}; {@code ""} for no host-name check and no SNI.
 *     Only with {@code ssl}
 * @param sslHandshakeTimeout seconds the TLS handshake may take before the connection is
 *     aborted (asyncio's {@code ssl_handshake_timeout=}, default 60)
 * @param sslShutdownTimeout seconds to wait for the peer's {@code close_notify} after ours
 *     before the connection is aborted (asyncio's {@code ssl_shutdown_timeout=}, default 30)
 */
public record ConnectionOptions(SocketAddress localAddr, boolean noDelay, double connectTimeout, SSLContext ssl,
        String serverHostname, double sslHandshakeTimeout, double sslShutdownTimeout) {
    /** asyncio's TLS handshake timeout: 60 seconds. */
    public static final double SSL_HANDSHAKE_TIMEOUT = 60.0;
    /** asyncio's TLS shutdown timeout: 30 seconds. */
    public static final double SSL_SHUTDOWN_TIMEOUT = 30.0;

    /** asyncio's defaults: no local address, {@code TCP_NODELAY} on, no timeout of our own, no TLS. */
    public static final ConnectionOptions DEFAULTS = new ConnectionOptions(null, true, Double.POSITIVE_INFINITY, null,
            null, SSL_HANDSHAKE_TIMEOUT, SSL_SHUTDOWN_TIMEOUT);

    /** Checks the timeouts. */
    public ConnectionOptions {
        if (!(connectTimeout > 0)) {
            throw new IllegalArgumentException("connectTimeout must be > 0 seconds, got " + connectTimeout);
        }
        if (!(sslHandshakeTimeout > 0)) {
            throw new IllegalArgumentException("sslHandshakeTimeout must be > 0 seconds, got " + sslHandshakeTimeout);
        }
        if (!(sslShutdownTimeout > 0)) {
            throw new IllegalArgumentException("sslShutdownTimeout must be > 0 seconds, got " + sslShutdownTimeout);
        }
    }

    /**
     * @param addr the local address to bind, or {@code null}
     * @return a copy with {@code localAddr} changed
     */
    public ConnectionOptions withLocalAddr(SocketAddress addr) {
        return new ConnectionOptions(addr, noDelay, connectTimeout, ssl, serverHostname, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param on whether to set {@code TCP_NODELAY}
     * @return a copy with {@code noDelay} changed
     */
    public ConnectionOptions withNoDelay(boolean on) {
        return new ConnectionOptions(localAddr, on, connectTimeout, ssl, serverHostname, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param seconds per-address connect timeout
     * @return a copy with {@code connectTimeout} changed
     */
    public ConnectionOptions withConnectTimeout(double seconds) {
        return new ConnectionOptions(localAddr, noDelay, seconds, ssl, serverHostname, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param context the TLS context (asyncio's {@code ssl=}), or {@code null} for plain TCP
     * @return a copy with {@code ssl} changed
     */
    public ConnectionOptions withSsl(SSLContext context) {
        return new ConnectionOptions(localAddr, noDelay, connectTimeout, context, serverHostname, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param name the name to verify the server's certificate against and to send as SNI;
     *     {@code null} for the host given to {@code createConnection}; {@code ""} to check
     *     no host name (asyncio's {@code server_hostname=''})
     * @return a copy with {@code serverHostname} changed
     */
    public ConnectionOptions withServerHostname(String name) {
        return new ConnectionOptions(localAddr, noDelay, connectTimeout, ssl, name, sslHandshakeTimeout,
                sslShutdownTimeout);
    }

    /**
     * @param seconds how long the TLS handshake may take
     * @return a copy with {@code sslHandshakeTimeout} changed
     */
    public ConnectionOptions withSslHandshakeTimeout(double seconds) {
        return new ConnectionOptions(localAddr, noDelay, connectTimeout, ssl, serverHostname, seconds,
                sslShutdownTimeout);
    }

    /**
     * @param seconds how long to wait for the peer's {@code close_notify}
     * @return a copy with {@code sslShutdownTimeout} changed
     */
    public ConnectionOptions withSslShutdownTimeout(double seconds) {
        return new ConnectionOptions(localAddr, noDelay, connectTimeout, ssl, serverHostname, sslHandshakeTimeout,
                seconds);
    }
}
