package org.asyncio4j.net;

import java.net.SocketAddress;

/**
 * The keyword arguments of {@code createConnection} (asyncio's {@code local_addr=},
 * and the socket options it sets). Start from {@link #DEFAULTS} and change what you need:
 * {@code ConnectionOptions.DEFAULTS.withLocalAddr(new InetSocketAddress("127.0.0.1", 0))}.
 *
 * @param localAddr the local address to bind before connecting, or {@code null}
 * @param noDelay whether to set {@code TCP_NODELAY} (asyncio sets it; default true)
 * @param connectTimeout seconds to wait for each address before trying the next,
 *     {@link Double#POSITIVE_INFINITY} (the default) for the system's own limit
 */
public record ConnectionOptions(SocketAddress localAddr, boolean noDelay, double connectTimeout) {
    /** asyncio's defaults: no local address, {@code TCP_NODELAY} on, no timeout of our own. */
    public static final ConnectionOptions DEFAULTS = new ConnectionOptions(null, true, Double.POSITIVE_INFINITY);

    /** Checks the timeout. */
    public ConnectionOptions {
        if (!(connectTimeout > 0)) {
            throw new IllegalArgumentException("connectTimeout must be > 0 seconds, got " + connectTimeout);
        }
    }

    /**
     * @param addr the local address to bind, or {@code null}
     * @return a copy with {@code localAddr} changed
     */
    public ConnectionOptions withLocalAddr(SocketAddress addr) {
        return new ConnectionOptions(addr, noDelay, connectTimeout);
    }

    /**
     * @param on whether to set {@code TCP_NODELAY}
     * @return a copy with {@code noDelay} changed
     */
    public ConnectionOptions withNoDelay(boolean on) {
        return new ConnectionOptions(localAddr, on, connectTimeout);
    }

    /**
     * @param seconds per-address connect timeout
     * @return a copy with {@code connectTimeout} changed
     */
    public ConnectionOptions withConnectTimeout(double seconds) {
        return new ConnectionOptions(localAddr, noDelay, seconds);
    }
}
