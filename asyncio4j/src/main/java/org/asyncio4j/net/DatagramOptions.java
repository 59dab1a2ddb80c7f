package org.asyncio4j.net;

import java.net.SocketAddress;

/**
 * The keyword arguments of {@code createDatagramEndpoint} (asyncio's {@code local_addr=},
 * {@code remote_addr=}, {@code allow_broadcast=}, {@code reuse_port=}). At least one of
 * the two addresses must be given. Start from {@link #DEFAULTS}:
 * {@code DatagramOptions.DEFAULTS.withLocalAddr(new InetSocketAddress("127.0.0.1", 0))}.
 *
 * @param localAddr the address to bind, or {@code null}
 * @param remoteAddr the peer to connect to (then {@code sendto} needs no address and
 *     only its datagrams arrive), or {@code null}
 * @param allowBroadcast {@code SO_BROADCAST}
 * @param reusePort {@code SO_REUSEPORT}
 * @param receiveSize the largest datagram delivered whole; longer ones are truncated
 *     (default 65,536, the most UDP can carry)
 */
public record DatagramOptions(SocketAddress localAddr, SocketAddress remoteAddr, boolean allowBroadcast,
        boolean reusePort, int receiveSize) {
    /** No addresses, no broadcast, no port sharing, 64 KiB datagrams. */
    public static final DatagramOptions DEFAULTS = new DatagramOptions(null, null, false, false, 65536);

    /** Checks the receive size. */
    public DatagramOptions {
        if (receiveSize < 1) {
            throw new IllegalArgumentException("receiveSize must be >= 1 byte, got " + receiveSize);
        }
    }

    /**
     * @param addr the address to bind
     * @return a copy with {@code localAddr} changed
     */
    public DatagramOptions withLocalAddr(SocketAddress addr) {
        return new DatagramOptions(addr, remoteAddr, allowBroadcast, reusePort, receiveSize);
    }

    /**
     * @param addr the peer
     * @return a copy with {@code remoteAddr} changed
     */
    public DatagramOptions withRemoteAddr(SocketAddress addr) {
        return new DatagramOptions(localAddr, addr, allowBroadcast, reusePort, receiveSize);
    }

    /**
     * @param on {@code SO_BROADCAST}
     * @return a copy with {@code allowBroadcast} changed
     */
    public DatagramOptions withAllowBroadcast(boolean on) {
        return new DatagramOptions(localAddr, remoteAddr, on, reusePort, receiveSize);
    }

    /**
     * @param on {@code SO_REUSEPORT}
     * @return a copy with {@code reusePort} changed
     */
    public DatagramOptions withReusePort(boolean on) {
        return new DatagramOptions(localAddr, remoteAddr, allowBroadcast, on, receiveSize);
    }

    /**
     * @param bytes the largest datagram delivered whole
     * @return a copy with {@code receiveSize} changed
     */
    public DatagramOptions withReceiveSize(int bytes) {
        return new DatagramOptions(localAddr, remoteAddr, allowBroadcast, reusePort, bytes);
    }
}
