package org.asyncio4j.net;

/**
 * The keyword arguments of {@code createServer} (asyncio's {@code backlog=},
 * {@code reuse_address=}, {@code reuse_port=}, {@code start_serving=}). Start from
 * {@link #DEFAULTS}: {@code ServerOptions.DEFAULTS.withBacklog(1000)}.
 *
 * @param backlog the listen queue length (asyncio's default 100)
 * @param reuseAddress {@code SO_REUSEADDR} (default true, as asyncio on POSIX)
 * @param reusePort {@code SO_REUSEPORT}, so several processes can share the port (default false)
 * @param startServing accept connections at once (default true); else call
 *     {@link Server#startServing()} or {@link Server#serveForever()}
 * @param noDelay set {@code TCP_NODELAY} on accepted connections (default true, as asyncio)
 */
public record ServerOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean startServing,
        boolean noDelay) {
    /** asyncio's defaults. */
    public static final ServerOptions DEFAULTS = new ServerOptions(100, true, false, true, true);

    /** Checks the backlog. */
    public ServerOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1, got " + backlog);
        }
    }

    /**
     * @param n the listen queue length
     * @return a copy with {@code backlog} changed
     */
    public ServerOptions withBacklog(int n) {
        return new ServerOptions(n, reuseAddress, reusePort, startServing, noDelay);
    }

    /**
     * @param on {@code SO_REUSEADDR}
     * @return a copy with {@code reuseAddress} changed
     */
    public ServerOptions withReuseAddress(boolean on) {
        return new ServerOptions(backlog, on, reusePort, startServing, noDelay);
    }

    /**
     * @param on {@code SO_REUSEPORT}
     * @return a copy with {@code reusePort} changed
     */
    public ServerOptions withReusePort(boolean on) {
        return new ServerOptions(backlog, reuseAddress, on, startServing, noDelay);
    }

    /**
     * @param on accept at once
     * @return a copy with {@code startServing} changed
     */
    public ServerOptions withStartServing(boolean on) {
        return new ServerOptions(backlog, reuseAddress, reusePort, on, noDelay);
    }

    /**
     * @param on {@code TCP_NODELAY} on accepted connections
     * @return a copy with {@code noDelay} changed
     */
    public ServerOptions withNoDelay(boolean on) {
        return new ServerOptions(backlog, reuseAddress, reusePort, startServing, on);
    }
}
