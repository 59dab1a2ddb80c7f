package org.asyncio4j.net.nio;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.BufferedProtocol;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Transport;

/**
 * A TCP or Unix-domain stream connection on the selector driver (asyncio's
 * {@code _SelectorSocketTransport}).
 *
 * <p>Implementation overview. States, as drawn in {@link org.asyncio4j.net.BaseTransport}:
 * OPEN while {@code !closing}; CLOSING once {@code closing} is set (no more reading; the
 * write buffer is flushed); CLOSED once {@code lost} is set, which happens exactly once and
 * schedules {@link #connectionLost} (the protocol's {@code connectionLost}, then the socket
 * is closed and the server told). Invariants:
 * <ul>
 *   <li>the loop watches the channel for reading exactly when {@link #isReading()} and the
 *       protocol has been told {@code connectionMade} ({@code readerOn} mirrors it);
 *   <li>the loop watches it for writing exactly when {@code pending} is not empty;
 *   <li>{@code pendingBytes} is the sum of the remaining bytes in {@code pending}.
 * </ul>
 * Hot path: a read goes into the loop's shared direct {@link ReadBuffer} and is handed to
 * {@code Protocol.dataReceived} as it is; a write with nothing pending goes straight to
 * the socket, and only what the socket refuses is copied. The readiness callbacks are
 * made once, so steady-state I/O allocates nothing.
 */
public final class SocketTransport implements Transport {
    private static final Logger LOG = System.getLogger("org.asyncio4j.net");
    /** From this many writes after the connection is lost, each is logged (asyncio's threshold). */
    private static final int WARN_AFTER_LOST_WRITES = 5;
    private static final int DEFAULT_HIGH_WATER = 64 * 1024;
    /** At most this many buffers per gathering write. */
    private static final int MAX_GATHER = 64;

    private final EventLoop loop;
    private final SocketChannel channel;
    private final Context context;
    private final ByteBuffer readBuffer;
    private final NioServer server;
    private final Map<String, Object> extra;
    private final Runnable onReadable = this::readReady;
    private final Runnable onWritable = this::writeReady;

    private BaseProtocol protocol;
    /** The protocol again, typed for the read path: exactly one of these two is set. */
    private Protocol streamProtocol;
    private BufferedProtocol bufferedProtocol;

    /** Unsent bytes, oldest first; each buffer is the transport's own copy. */
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private ByteBuffer[] gather;
    private long pendingBytes;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_HIGH_WATER / 4;
    private boolean protocolPaused;

    /** connectionMade has run; reading starts only after it. */
    private boolean made;
    private boolean readerOn;
    private boolean paused;
    /** close(), abort(), EOF or an error: no more reading. */
    private boolean closing;
    /** writeEof() was called: shut the output down once {@code pending} is empty. */
    private boolean eof;
    /** connectionLost is scheduled; nothing more happens. */
    private boolean lost;
    private int writesAfterLost;
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
        this.loop = loop;
        this.channel = channel;
        this.context = Context.copyContext();
        this.readBuffer = ReadBuffer.of(loop);
        this.server = server;
        this.extra = Extra.of(channel);
        setProtocol(protocol);
        if (server != null) {
            server.attach(this);
        }
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

    // ================================================================ reading

    private void readReady() {
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
        if (closing || !paused) {
            return;
        }
        paused = false;
        updateReader();
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    /** Makes the loop's read watch match {@link #isReading()} (once connectionMade ran). */
    private void updateReader() {
        boolean want = made && isReading();
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

    // ================================================================ writing

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread();
        if (eof) {
            throw new IllegalStateException("cannot write() after writeEof() on " + this);
        }
        checkNoSendfile();
        if (!data.hasRemaining()) {
            return;
        }
        if (dropLostWrite(data)) {
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
        loop.checkThread();
        if (eof) {
            throw new IllegalStateException("cannot writelines() after writeEof() on " + this);
        }
        checkNoSendfile();
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        if (total == 0) {
            return;
        }
        if (lost || closing) {
            dropLostWrite(data.getFirst());
            data.forEach(b -> b.position(b.limit()));
            return;
        }
        if (pending.isEmpty()) {
            try {
                channel.write(data.toArray(ByteBuffer[]::new));
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
        }
        boolean wasEmpty = pending.isEmpty();
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

    /**
     * A write after close or loss is dropped, and from the fifth on logged (asyncio).
     *
     * @return whether {@code data} was dropped
     */
    private boolean dropLostWrite(ByteBuffer data) {
        if (!lost && !closing) {
            return false;
        }
        data.position(data.limit());
        if (++writesAfterLost >= WARN_AFTER_LOST_WRITES) {
            LOG.log(Level.WARNING, "write() on a closed or lost transport " + this + ": the data is dropped");
        }
        return true;
    }

    private void enqueue(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.add(copy);
        pendingBytes += copy.remaining();
    }

    private void writeReady() {
        if (lost) {
            return;
        }
        long n;
        try {
            if (pending.size() == 1) {
                n = channel.write(pending.peekFirst());
            } else {
                int k = Math.min(pending.size(), MAX_GATHER);
                if (gather == null || gather.length < k) {
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
                java.util.Arrays.fill(gather, 0, k, null);
            }
        } catch (IOException e) {
            loop.removeWriter(channel);
            pending.clear();
            pendingBytes = 0;
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        pendingBytes -= n;
        while (!pending.isEmpty() && !pending.peekFirst().hasRemaining()) {
            pending.pollFirst();
        }
        maybeResumeProtocol(); // may write more
        if (pending.isEmpty() && !lost) {
            loop.removeWriter(channel);
            if (sendfileListener != null) {
                sendfileListener.run(); // the buffer is empty: sendfile may start
            }
            if (closing) {
                connectionLostSoon(null);
            } else if (eof) {
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
        loop.checkThread();
        if (high < 0 && high != -1 || low < 0 && low != -1) {
            throw new IllegalArgumentException("high (" + high + ") and low (" + low + ") must be >= 0, or -1 for the default");
        }
        int h = high != -1 ? high : low == -1 ? DEFAULT_HIGH_WATER : 4 * low;
        int l = low != -1 ? low : h / 4;
        if (!(h >= l)) {
            throw new IllegalArgumentException("high (" + h + ") must be >= low (" + l + ") must be >= 0");
        }
        highWater = h;
        lowWater = l;
        maybePauseProtocol();
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, pendingBytes);
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {lowWater, highWater};
    }

    private void maybePauseProtocol() {
        if (pendingBytes <= highWater || protocolPaused) {
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
        if (!protocolPaused || pendingBytes > lowWater) {
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

    @Override
    public void close() {
        loop.checkThread();
        if (closing) {
            return;
        }
        closing = true;
        updateReader();
        if (pending.isEmpty()) {
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

    /**
     * Reports {@code t} unless it is an I/O error (those end the connection as a normal
     * part of networking, as in asyncio), then closes at once with it.
     */
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
        if (!pending.isEmpty()) {
            pending.clear();
            pendingBytes = 0;
            loop.removeWriter(channel);
        }
        closing = true;
        updateReader();
        connectionLostSoon(exc);
    }

    private void connectionLostSoon(Throwable exc) {
        lost = true;
        if (sendfileListener != null) {
            sendfileListener.run(); // sendfile stops waiting, and sees isClosing()
        }
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
            if (server != null) {
                server.detach(this);
            }
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

    private void checkNoSendfile() {
        if (sendfileListener != null) {
            throw new IllegalStateException("unable to write; sendfile is in progress on " + this);
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
        if (protocol instanceof Protocol p) {
            streamProtocol = p;
            bufferedProtocol = null;
        } else if (protocol instanceof BufferedProtocol b) {
            bufferedProtocol = b;
            streamProtocol = null;
        } else {
            throw new IllegalArgumentException("a stream transport needs a Protocol or a BufferedProtocol, got "
                    + (protocol == null ? "null" : protocol.getClass().getName()));
        }
        this.protocol = protocol;
    }

    @Override
    public String toString() {
        String state = lost ? "closed" : closing ? "closing" : "open";
        StringBuilder sb = new StringBuilder("<SocketTransport ").append(state);
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
