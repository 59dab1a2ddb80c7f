package org.asyncio4j.net.nio;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Map;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;

/**
 * A UDP endpoint on the selector driver (asyncio's {@code _SelectorDatagramTransport}).
 *
 * <p>Implementation overview. States, as drawn in {@link org.asyncio4j.net.BaseTransport}
 * (there is no EOF in UDP): OPEN while {@code !closing}; CLOSING once {@code closing} is set
 * (no more reading; queued datagrams are still sent); CLOSED once {@code lost} is set,
 * which happens exactly once and schedules {@link #connectionLost} (the protocol's
 * {@code connectionLost}, then the channel is closed). The protocol sees
 * {@code connectionMade}, then {@code datagramReceived} / {@code errorReceived} in any
 * number, then {@code connectionLost}; exactly as {@link SocketTransport} orders them.
 * Invariants:
 * <ul>
 *   <li>the loop watches the channel for reading exactly when {@code made && !closing}
 *       ({@code readerOn} mirrors it);
 *   <li>the loop watches it for writing exactly when {@code queue} is not empty;
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
public final class DatagramSocketTransport implements DatagramTransport {
    private static final Logger LOG = System.getLogger("org.asyncio4j.net");
    /** What asyncio counts per queued datagram besides its bytes (its {@code _header_size}). */
    static final int HEADER_SIZE = 8;
    private static final int HIGH_WATER = 64 * 1024;
    private static final int LOW_WATER = 16 * 1024;
    private static final int WARN_AFTER_LOST_WRITES = 5;

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

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final Context context;
    /** Direct, {@code receiveSize} bytes, owned by this endpoint. */
    private final ByteBuffer receiveBuffer;
    /** The connected peer, or {@code null} for an unconnected endpoint. */
    private final SocketAddress remote;
    private final Map<String, Object> extra;
    private final Sender sender;
    private final Runnable onReadable = this::readReady;
    private final Runnable onWritable = this::writeReady;

    private DatagramProtocol protocol;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean protocolPaused;

    /** connectionMade has run; reading starts only after it. */
    private boolean made;
    private boolean readerOn;
    /** close(), abort() or a fatal error: no more reading. */
    private boolean closing;
    /** connectionLost is scheduled; nothing more happens. */
    private boolean lost;
    private int sendsAfterLost;

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
        this.loop = loop;
        this.sender = sender;
        this.channel = channel;
        this.context = Context.copyContext();
        this.receiveBuffer = ByteBuffer.allocateDirect(receiveSize);
        this.remote = channel.getRemoteAddress();
        this.extra = Extra.of(channel);
        setProtocol(protocol);
        loop.callSoon(() -> start(waiter), context);
    }

    private void start(Future<Void> waiter) {
        if (lost) {
            // aborted before it started: connectionLost comes next, without connectionMade
            if (waiter != null && !waiter.done()) {
                waiter.cancel();
            }
            return;
        }
        made = true;
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.connectionMade() call failed.");
            if (waiter != null && !waiter.done()) {
                waiter.setException(t);
            }
            return;
        }
        updateReader();
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
    }

    // ================================================================ receiving

    private void readReady() {
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
            protocol.datagramReceived(buf, from);
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.datagramReceived() call failed.");
        }
    }

    private void errorReceived(IOException e) {
        try {
            protocol.errorReceived(e);
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.errorReceived() call failed.");
        }
    }

    /** Makes the loop's read watch match {@code made && !closing}. */
    private void updateReader() {
        boolean want = made && !closing;
        if (want == readerOn) {
            return;
        }
        readerOn = want;
        if (want) {
            loop.addReader(channel, onReadable, context);
        } else {
            loop.removeReader(channel);
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
        if (lost || closing) {
            data.position(data.limit());
            if (++sendsAfterLost >= WARN_AFTER_LOST_WRITES) {
                LOG.log(Level.WARNING, "sendto() on a closed or lost transport " + this + ": the datagram is dropped");
            }
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

    private void writeReady() {
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
            loop.removeWriter(channel);
            if (closing) {
                connectionLostSoon(null);
            }
        }
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, queuedBytes);
    }

    private void maybePauseProtocol() {
        if (queuedBytes <= HIGH_WATER || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (Throwable t) {
            report("protocol.pauseWriting() failed", t);
        }
    }

    private void maybeResumeProtocol() {
        if (!protocolPaused || queuedBytes > LOW_WATER) {
            return;
        }
        protocolPaused = false;
        try {
            protocol.resumeWriting();
        } catch (Throwable t) {
            report("protocol.resumeWriting() failed", t);
        }
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
        loop.checkThread();
        if (closing) {
            return;
        }
        closing = true;
        updateReader();
        if (queue.isEmpty()) {
            connectionLostSoon(null);
        }
    }

    @Override
    public void abort() {
        loop.checkThread();
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** Reports {@code t} unless it is an I/O error, then closes at once with it. */
    private void fatalError(Throwable t, String message) {
        if (!(t instanceof IOException)) {
            report(message, t);
        } else if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + ": " + message, t);
        }
        forceClose(t);
    }

    private void report(String message, Throwable t) {
        loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null,
                Map.of("transport", this, "protocol", protocol)));
    }

    private void forceClose(Throwable exc) {
        if (lost) {
            return;
        }
        if (!queue.isEmpty()) {
            queue.clear();
            queuedBytes = 0;
            loop.removeWriter(channel);
        }
        closing = true;
        updateReader();
        connectionLostSoon(exc);
    }

    private void connectionLostSoon(Throwable exc) {
        lost = true;
        loop.callSoon(() -> connectionLost(exc), context);
    }

    private void connectionLost(Throwable exc) {
        try {
            if (made) {
                protocol.connectionLost(exc);
            }
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "error closing " + channel, e);
            }
        }
    }

    // ================================================================ accessors

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof DatagramProtocol p)) {
            throw new IllegalArgumentException("a datagram transport needs a DatagramProtocol, got "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        this.protocol = p;
    }

    @Override
    public String toString() {
        String state = lost ? "closed" : closing ? "closing" : "open";
        StringBuilder sb = new StringBuilder("<DatagramSocketTransport ").append(state);
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
