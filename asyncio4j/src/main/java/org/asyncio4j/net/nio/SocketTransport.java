package org.asyncio4j.net.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.BufferedProtocol;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Transport;

/**
 * A TCP or Unix-domain stream connection on the selector driver (asyncio's
 * {@code _SelectorSocketTransport}). The life cycle, flow control and closing are
 * {@link SelectorTransport}'s; this class reads, writes and half-closes.
 *
 * <p>Implementation overview. Invariants, besides the base class's:
 * <ul>
 *   <li>the loop watches the channel for writing exactly when {@code pending} is not empty;
 *   <li>{@code pendingBytes} is the sum of the remaining bytes in {@code pending};
 *   <li>after an EOF the protocol kept half-open, {@code paused} stays set for good:
 *       there is nothing more to read, and {@link #resumeReading()} does nothing.
 * </ul>
 * Hot path: a read goes into the loop's shared direct {@link ReadBuffer} and is handed to
 * {@code Protocol.dataReceived} as it is; a write with nothing pending goes straight to
 * the socket, and only what the socket refuses is copied. The readiness callbacks are
 * made once, so steady-state I/O allocates nothing.
 */
public final class SocketTransport extends SelectorTransport implements Transport {
    /** At most this many buffers per gathering write. */
    private static final int MAX_GATHER = 64;

    private final SocketChannel channel;
    private final ByteBuffer readBuffer;
    private final NioServer server;

    /** The protocol again, typed for the read path: exactly one of these two is set. */
    private Protocol streamProtocol;
    private BufferedProtocol bufferedProtocol;

    /** Unsent bytes, oldest first; each buffer is the transport's own copy. */
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private ByteBuffer[] gather;
    private long pendingBytes;
    /** The peer's EOF arrived and the protocol stayed half-open. */
    private boolean readEof;
    /** writeEof() was called: shut the output down once {@code pending} is empty. */
    private boolean eof;
    /** Set while {@link Sendfile} owns the socket: writes are refused; see {@link #sendfileListener}. */
    private Runnable sendfileListener;

    /**
     * Wraps a connected channel and schedules the protocol's {@code connectionMade}; reading
     * starts after it. Runs on the loop's thread.
     *
     * @param loop the loop
     * @param channel a connected, non-blocking channel
     * @param protocol a {@link Protocol} or {@link BufferedProtocol}
     * @param server the server that accepted it, or {@code null}
     * @param waiter completed after {@code connectionMade} ran (failed if it threw), or {@code null}
     */
    SocketTransport(EventLoop loop, SocketChannel channel, BaseProtocol protocol, NioServer server, Future<Void> waiter) {
        requireStreamProtocol(protocol); // before super() schedules connectionMade
        super(loop, channel, waiter);
        this.channel = channel;
        this.readBuffer = ReadBuffer.of(loop);
        this.server = server;
        setProtocol(protocol);
        if (server != null) {
            server.attach(this);
        }
    }

    // ================================================================ reading

    @Override
    void readReady() {
        if (lost) {
            return;
        }
        int n;
        ByteBuffer buf;
        try {
            if (streamProtocol != null) {
                buf = readBuffer;
                buf.clear();
                n = channel.read(buf);
            } else {
                buf = bufferedProtocol.getBuffer(-1);
                if (buf == null || !buf.hasRemaining()) {
                    throw new IllegalStateException("BufferedProtocol.getBuffer() returned "
                            + (buf == null ? "null" : "a full buffer") + "; it must return room for at least one byte");
                }
                n = channel.read(buf);
            }
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.getBuffer() call failed.");
            return;
        }
        if (n < 0) {
            eofReceived();
        } else if (n > 0) {
            try {
                if (streamProtocol != null) {
                    buf.flip();
                    streamProtocol.dataReceived(buf);
                } else {
                    bufferedProtocol.bufferUpdated(n);
                }
            } catch (Throwable t) {
                fatalError(t, streamProtocol != null ? "Fatal error: protocol.dataReceived() call failed."
                        : "Fatal error: protocol.bufferUpdated() call failed.");
            }
        }
    }

    private void eofReceived() {
        boolean keepOpen;
        try {
            keepOpen = streamProtocol != null ? streamProtocol.eofReceived() : bufferedProtocol.eofReceived();
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        if (keepOpen) {
            // half-open: this side may still write, but there is nothing more to read
            readEof = true;
            paused = true;
            updateReader();
        } else {
            close();
        }
    }

    @Override
    public void pauseReading() {
        loop.checkThread();
        if (!isReading()) {
            return;
        }
        paused = true;
        updateReader();
    }

    @Override
    public void resumeReading() {
        loop.checkThread();
        if (closing || !paused || readEof) {
            return;
        }
        paused = false;
        updateReader();
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    // ================================================================ writing

    @Override
    public void write(ByteBuffer data) {
        checkWritable("write()");
        if (!data.hasRemaining()) {
            return;
        }
        if (dropLostWrite("write()")) {
            data.position(data.limit());
            return;
        }
        if (pending.isEmpty()) {
            try {
                channel.write(data);
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            loop.addWriter(channel, onWritable, context);
        }
        enqueue(data);
        maybePauseProtocol();
    }

    @Override
    public void writelines(List<ByteBuffer> data) {
        checkWritable("writelines()");
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        if (total == 0) {
            return;
        }
        if (dropLostWrite("writelines()")) {
            data.forEach(b -> b.position(b.limit()));
            return;
        }
        boolean wasEmpty = pending.isEmpty();
        if (wasEmpty) {
            try {
                channel.write(data.toArray(ByteBuffer[]::new));
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
        }
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                enqueue(b);
            }
        }
        if (wasEmpty && !pending.isEmpty()) {
            loop.addWriter(channel, onWritable, context);
        }
        maybePauseProtocol();
    }

    private void checkWritable(String op) {
        loop.checkThread();
        if (eof) {
            throw new IllegalStateException("cannot " + op + " after writeEof() on " + this);
        }
        if (sendfileListener != null) {
            throw new IllegalStateException("unable to write; sendfile is in progress on " + this);
        }
    }

    private void enqueue(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.add(copy);
        pendingBytes += copy.remaining();
    }

    @Override
    void writeReady() {
        if (lost) {
            return;
        }
        long n;
        try {
            if (pending.size() == 1) {
                n = channel.write(pending.peekFirst());
            } else {
                int k = Math.min(pending.size(), MAX_GATHER);
                if (gather == null) {
                    gather = new ByteBuffer[MAX_GATHER];
                }
                int i = 0;
                for (ByteBuffer b : pending) {
                    if (i == k) {
                        break;
                    }
                    gather[i++] = b;
                }
                n = channel.write(gather, 0, k);
                Arrays.fill(gather, 0, k, null);
            }
        } catch (IOException e) {
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        pendingBytes -= n;
        while (!pending.isEmpty() && !pending.peekFirst().hasRemaining()) {
            pending.pollFirst();
        }
        maybeResumeProtocol(); // may write more
        if (pending.isEmpty() && !lost) {
            if (sendfileListener != null) {
                sendfileListener.run(); // the buffer is empty: sendfile may start
            }
            if (flushed() && eof) {
                shutdownOutput();
            }
        }
    }

    @Override
    public void writeEof() {
        loop.checkThread();
        if (closing || eof) {
            return;
        }
        eof = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "Fatal error shutting down the output of socket transport");
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        setLimits(high, low);
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, pendingBytes);
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {lowWater, highWater};
    }

    @Override
    long bufferedBytes() {
        return pendingBytes;
    }

    @Override
    void dropBuffered() {
        pending.clear();
        pendingBytes = 0;
    }

    @Override
    void onLost() {
        if (sendfileListener != null) {
            sendfileListener.run(); // sendfile stops waiting, and sees isClosing()
        }
    }

    @Override
    void afterClosed() {
        if (server != null) {
            server.detach(this);
        }
    }

    // ================================================================ sendfile (hooks for Sendfile)

    /**
     * For {@link Sendfile} (asyncio's {@code _make_empty_waiter} / {@code _reset_empty_waiter}):
     * while a listener is set, {@code write} and {@code writelines} refuse, and the listener
     * runs when the write buffer becomes empty and when the connection is lost.
     *
     * @param listener the listener, or {@code null} to end sendfile mode
     */
    void sendfileListener(Runnable listener) {
        sendfileListener = listener;
    }

    /** @return the socket, for {@link Sendfile}'s zero-copy transfer */
    SocketChannel channel() {
        return channel;
    }

    // ================================================================ accessors

    @Override
    public void setProtocol(BaseProtocol protocol) {
        requireStreamProtocol(protocol);
        streamProtocol = protocol instanceof Protocol p ? p : null;
        bufferedProtocol = protocol instanceof BufferedProtocol b ? b : null;
        this.protocol = protocol;
    }

    private static void requireStreamProtocol(BaseProtocol protocol) {
        if (!(protocol instanceof Protocol) && !(protocol instanceof BufferedProtocol)) {
            throw new IllegalArgumentException("a stream transport needs a Protocol or a BufferedProtocol, got "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<SocketTransport ").append(stateName());
        Object peer = extra.get("peername");
        if (peer != null) {
            sb.append(" peer=").append(peer);
        }
        if (!lost) {
            sb.append(" read=").append(isReading() ? "polling" : "idle");
            sb.append(" write=<").append(pending.isEmpty() ? "idle" : "polling").append(", bufsize=")
                    .append(pendingBytes).append('>');
        }
        return sb.append('>').toString();
    }
}
