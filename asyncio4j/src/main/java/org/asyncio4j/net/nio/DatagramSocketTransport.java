package org.asyncio4j.net.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;

/**
 * A UDP endpoint on the selector driver (asyncio's {@code _SelectorDatagramTransport}).
 *
 * <p>Implementation overview. The life cycle, flow control and closing are
 * {@link SelectorTransport}'s (there is no EOF in UDP, and reading is never paused): the
 * protocol sees {@code connectionMade}, then {@code datagramReceived} /
 * {@code errorReceived} in any number, then {@code connectionLost}. Invariants, besides the
 * base class's:
 * <ul>
 *   <li>the loop watches the channel for writing exactly when {@code queue} is not empty;
 *   <li>{@code queuedBytes} is the sum over {@code queue} of each datagram's length plus
 *       {@link #HEADER_SIZE} (asyncio counts a datagram's overhead the same way, so that
 *       empty datagrams also reach the high-water mark).
 * </ul>
 * Receiving: each readable event takes one datagram into this endpoint's own direct
 * buffer of {@code receiveSize} bytes and hands it to {@code datagramReceived} as it is.
 * A datagram longer than the buffer is truncated to it: {@link DatagramChannel#receive}
 * discards the rest silently and gives no sign that it did (unlike {@code recvfrom(2)}'s
 * {@code MSG_TRUNC}), so neither can this transport.
 *
 * <p>Errors: an {@link IOException} from {@code receive} or {@code send} does not end the
 * endpoint (UDP has no connection to lose): it goes to {@code errorReceived}, as asyncio
 * passes {@code OSError}. The usual one is {@link java.net.PortUnreachableException} on
 * a connected endpoint whose peer's port is closed (the kernel reports the ICMP error on
 * the next call). A protocol callback that throws is reported to the loop's exception
 * handler, with the transport and the protocol, and closes the endpoint at once.
 *
 * <p>Sends after {@code close()} or loss are dropped (as {@link SocketTransport}'s writes
 * are), and from the fifth on each is logged.
 */
public final class DatagramSocketTransport extends SelectorTransport implements DatagramTransport {
    /** What asyncio counts per queued datagram besides its bytes (its {@code _header_size}). */
    static final int HEADER_SIZE = 8;

    /**
     * How a datagram goes out: the channel's {@code send}/{@code write}, or in tests one that
     * refuses until told (loopback UDP never runs out of send buffer, so a queue cannot be
     * built up there by the kernel).
     */
    interface Sender {
        /** @return the bytes sent: all of {@code data}, or 0 when there is no room now */
        int send(DatagramChannel channel, ByteBuffer data, SocketAddress addr, boolean connected) throws IOException;
    }

    /** The real sender: {@code write} on a connected channel, {@code send} otherwise. */
    static final Sender CHANNEL = (ch, data, addr, connected) -> connected ? ch.write(data) : ch.send(data, addr);

    /** A datagram waiting for the socket: the transport's own copy and its destination. */
    private record Queued(ByteBuffer data, SocketAddress addr) {
    }

    private final DatagramChannel channel;
    /** Direct, {@code receiveSize} bytes, owned by this endpoint. */
    private final ByteBuffer receiveBuffer;
    /** The connected peer, or {@code null} for an unconnected endpoint. */
    private final SocketAddress remote;
    private final Sender sender;

    private DatagramProtocol datagramProtocol;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long queuedBytes;

    /**
     * Wraps a bound (and possibly connected) channel and schedules the protocol's
     * {@code connectionMade}; reading starts after it. Runs on the loop's thread.
     *
     * @param loop the loop
     * @param channel a bound, non-blocking channel
     * @param protocol the protocol
     * @param receiveSize the receive buffer's size, the largest datagram delivered whole
     * @param waiter completed after {@code connectionMade} ran (failed if it threw), or {@code null}
     * @param sender how datagrams go out ({@link #CHANNEL} but in tests)
     */
    DatagramSocketTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol, int receiveSize,
            Future<Void> waiter, Sender sender) throws IOException {
        requireDatagramProtocol(protocol); // before super() schedules connectionMade
        super(loop, channel, waiter);
        this.sender = sender;
        this.channel = channel;
        this.receiveBuffer = ByteBuffer.allocateDirect(receiveSize);
        this.remote = channel.getRemoteAddress();
        setProtocol(protocol);
    }

    // ================================================================ receiving

    @Override
    void readReady() {
        if (lost || closing) {
            return;
        }
        SocketAddress from;
        ByteBuffer buf = receiveBuffer;
        buf.clear();
        try {
            from = channel.receive(buf);
        } catch (IOException e) {
            errorReceived(e);
            return;
        }
        if (from == null) {
            return; // spurious readiness: nothing to take
        }
        buf.flip();
        try {
            datagramProtocol.datagramReceived(buf, from);
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.datagramReceived() call failed.");
        }
    }

    private void errorReceived(IOException e) {
        try {
            datagramProtocol.errorReceived(e);
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.errorReceived() call failed.");
        }
    }

    // ================================================================ sending

    /**
     * {@inheritDoc}
     *
     * <p>Sends at once when nothing is queued; what the socket cannot take now is copied and
     * queued (the caller may reuse {@code data} when this returns). An empty datagram is a
     * datagram too on an unconnected endpoint; on a connected one NIO's {@code write} sends
     * nothing for an empty buffer (JDK behaviour), so it is dropped there. A send error that does not end the endpoint goes to the protocol's
     * {@code errorReceived}, not to the caller.
     *
     * @throws IllegalArgumentException if {@code addr} is null on an unconnected endpoint,
     *     or differs from the remote address of a connected one (asyncio's {@code ValueError})
     */
    @Override
    public void sendto(ByteBuffer data, SocketAddress addr) {
        loop.checkThread();
        if (data == null) {
            throw new IllegalArgumentException("sendto needs a datagram, got null");
        }
        if (remote != null) {
            if (addr != null && !addr.equals(remote)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + remote + ", got " + addr);
            }
            addr = remote;
        } else if (addr == null) {
            throw new IllegalArgumentException("sendto on an unconnected endpoint needs an address, got null");
        }
        if (dropLostWrite("sendto()")) {
            data.position(data.limit());
            return;
        }
        if (queue.isEmpty()) {
            int size = data.remaining();
            try {
                if (send(data, addr) || size == 0) {
                    return;
                }
            } catch (IOException e) {
                data.position(data.limit());
                errorReceived(e);
                return;
            }
            loop.addWriter(channel, onWritable, context);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queue.add(new Queued(copy, addr));
        queuedBytes += copy.remaining() + HEADER_SIZE;
        maybePauseProtocol();
    }

    /** @return whether the datagram went out (a datagram is sent whole or not at all) */
    private boolean send(ByteBuffer data, SocketAddress addr) throws IOException {
        return sender.send(channel, data, addr, remote != null) > 0;
    }

    @Override
    void writeReady() {
        if (lost) {
            return;
        }
        while (!queue.isEmpty()) {
            Queued q = queue.peekFirst();
            int size = q.data().remaining();
            try {
                if (!send(q.data(), q.addr()) && size > 0) {
                    break; // no room yet: try again when writable
                }
            } catch (IOException e) {
                queue.pollFirst();
                queuedBytes -= size + HEADER_SIZE;
                errorReceived(e);
                if (lost) {
                    return;
                }
                continue;
            }
            queue.pollFirst();
            queuedBytes -= size + HEADER_SIZE;
        }
        maybeResumeProtocol(); // may queue more
        if (queue.isEmpty() && !lost) {
            flushed();
        }
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, queuedBytes);
    }

    @Override
    long bufferedBytes() {
        return queuedBytes;
    }

    @Override
    void dropBuffered() {
        queue.clear();
        queuedBytes = 0;
    }

    // ================================================================ closing

    /**
     * {@inheritDoc}
     *
     * <p>Stops receiving at once; queued datagrams are still sent, then the protocol's
     * {@code connectionLost(null)} is called and the channel closed.
     */
    @Override
    public void close() {
        super.close();
    }

    // ================================================================ accessors

    @Override
    public void setProtocol(BaseProtocol protocol) {
        datagramProtocol = requireDatagramProtocol(protocol);
        this.protocol = protocol;
    }

    private static DatagramProtocol requireDatagramProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof DatagramProtocol p)) {
            throw new IllegalArgumentException("a datagram transport needs a DatagramProtocol, got "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<DatagramSocketTransport ").append(stateName());
        Object local = extra.get("sockname");
        if (local != null) {
            sb.append(" local=").append(local);
        }
        if (remote != null) {
            sb.append(" peer=").append(remote);
        }
        if (!lost) {
            sb.append(" queued=").append(queue.size()).append(" bufsize=").append(queuedBytes);
        }
        return sb.append('>').toString();
    }
}
