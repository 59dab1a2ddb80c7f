package org.asyncio4j.net.nio;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.util.Map;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.BaseTransport;

/**
 * What the selector transports share (asyncio's {@code _SelectorTransport}): the life cycle
 * from {@code connectionMade} to {@code connectionLost}, the read watch, flow control on the
 * write buffer, fatal errors and closing. {@link SocketTransport} (streams) and
 * {@link DatagramSocketTransport} (datagrams) add how they read and write.
 *
 * <p>Implementation overview. States, as drawn in {@link BaseTransport}: OPEN while
 * {@code !closing}; CLOSING once {@code closing} is set (no more reading; the write buffer
 * is flushed); CLOSED once {@code lost} is set, which happens exactly once and schedules
 * {@link #connectionLost} (the protocol's {@code connectionLost}, then the channel is closed
 * at once through {@link EventLoop#closeChannel}). Invariants:
 * <ul>
 *   <li>the protocol's {@code connectionMade} runs first ({@code made}), at the iteration
 *       after construction; {@code connectionLost} runs last, only if {@code made};
 *   <li>the loop watches the channel for reading exactly when {@code made && !paused &&
 *       !closing} ({@code readerOn} mirrors it);
 *   <li>the protocol was told {@code pauseWriting} ({@code protocolPaused}) exactly when the
 *       buffer went over {@code highWater} and has not drained to {@code lowWater} since.
 * </ul>
 * A transport dropped without being closed, once its loop is closed and nothing refers to
 * it, closes its channel with a warning ({@link Unclosed}).
 */
abstract sealed class SelectorTransport implements BaseTransport permits SocketTransport, DatagramSocketTransport {
    static final Logger LOG = System.getLogger("org.asyncio4j.net");
    /** From this many writes after close or loss, each is logged (asyncio's threshold). */
    private static final int WARN_AFTER_LOST_WRITES = 5;
    static final int DEFAULT_HIGH_WATER = 64 * 1024;

    final EventLoop loop;
    final Context context;
    final Map<String, Object> extra;
    final Runnable onReadable = this::readReady;
    final Runnable onWritable = this::writeReady;
    private final SelectableChannel channel;
    private final Cleaner.Cleanable unclosed;

    BaseProtocol protocol;
    int highWater = DEFAULT_HIGH_WATER;
    int lowWater = DEFAULT_HIGH_WATER / 4;
    private boolean protocolPaused;

    /** connectionMade has run; reading starts only after it. */
    boolean made;
    private boolean readerOn;
    /** Reading paused: by the user, or for good after an EOF the protocol kept half-open. */
    boolean paused;
    /** close(), abort(), EOF or an error: no more reading. */
    boolean closing;
    /** connectionLost is scheduled; nothing more happens. */
    boolean lost;
    private int writesAfterLost;

    /**
     * Sets the transport up and schedules {@code connectionMade}; the subclass sets the
     * protocol in its constructor. Runs on the loop's thread.
     *
     * @param waiter completed after {@code connectionMade} ran (failed if it threw), or {@code null}
     */
    <C extends SelectableChannel & NetworkChannel> SelectorTransport(EventLoop loop, C channel, Future<Void> waiter) {
        this.loop = loop;
        this.channel = channel;
        this.context = Context.copyContext();
        this.extra = Extra.of(channel);
        this.unclosed = Unclosed.watch(this, channel, "transport " + getClass().getSimpleName() + " " + extra);
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

    // ================================================================ what subclasses add

    /** The channel is readable: take what arrived and hand it to the protocol. */
    abstract void readReady();

    /** The channel is writable: send what is buffered. */
    abstract void writeReady();

    /** @return the bytes buffered and not yet sent, as flow control counts them */
    abstract long bufferedBytes();

    /** Drops everything buffered (an abort or a fatal error); the writer is removed by the caller. */
    abstract void dropBuffered();

    /** Runs when the connection is lost, before the protocol hears of it; for subclasses. */
    void onLost() {
    }

    /** Runs after the channel is closed; for subclasses. */
    void afterClosed() {
    }

    // ================================================================ reading

    /** Makes the loop's read watch match {@code made && !paused && !closing}. */
    final void updateReader() {
        boolean want = made && !paused && !closing;
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

    // ================================================================ writing and flow control

    /**
     * A write after close or loss is dropped, and from the fifth on logged (asyncio).
     *
     * @param what what was dropped, for the log
     * @return whether the write must be dropped
     */
    final boolean dropLostWrite(String what) {
        if (!lost && !closing) {
            return false;
        }
        if (++writesAfterLost >= WARN_AFTER_LOST_WRITES) {
            LOG.log(Level.WARNING, what + " on a closed or lost transport " + this + ": the data is dropped");
        }
        return true;
    }

    /**
     * Checks and sets the flow-control marks (asyncio's {@code set_write_buffer_limits}).
     *
     * @param high the high-water mark, or {@code -1} for the default
     * @param low the low-water mark, or {@code -1} for the default
     */
    final void setLimits(int high, int low) {
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

    final void maybePauseProtocol() {
        if (bufferedBytes() <= highWater || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (Throwable t) {
            report("protocol.pauseWriting() failed", t);
        }
    }

    final void maybeResumeProtocol() {
        if (!protocolPaused || bufferedBytes() > lowWater) {
            return;
        }
        protocolPaused = false;
        try {
            protocol.resumeWriting();
        } catch (Throwable t) {
            report("protocol.resumeWriting() failed", t);
        }
    }

    /**
     * The buffer was flushed: stops watching for writability, and finishes a close that
     * waited for it. Returns whether the transport is still open for more.
     */
    final boolean flushed() {
        loop.removeWriter(channel);
        if (closing) {
            connectionLostSoon(null);
            return false;
        }
        return true;
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
        if (bufferedBytes() == 0) {
            connectionLostSoon(null);
        }
    }

    /** Closes at once, dropping what is buffered (asyncio's {@code abort()}). */
    public void abort() {
        loop.checkThread();
        forceClose(null);
    }

    @Override
    public final boolean isClosing() {
        return closing;
    }

    /**
     * Reports {@code t} unless it is an I/O error (those end the connection as a normal
     * part of networking, as in asyncio), then closes at once with it.
     */
    final void fatalError(Throwable t, String message) {
        if (!(t instanceof IOException)) {
            report(message, t);
        } else if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + ": " + message, t);
        }
        forceClose(t);
    }

    final void report(String message, Throwable t) {
        loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null,
                Map.of("transport", this, "protocol", protocol)));
    }

    final void forceClose(Throwable exc) {
        if (lost) {
            return;
        }
        if (bufferedBytes() > 0) {
            dropBuffered();
            loop.removeWriter(channel);
        }
        closing = true;
        updateReader();
        connectionLostSoon(exc);
    }

    final void connectionLostSoon(Throwable exc) {
        lost = true;
        onLost();
        loop.callSoon(() -> connectionLost(exc), context);
    }

    private void connectionLost(Throwable exc) {
        try {
            if (made) {
                protocol.connectionLost(exc);
            }
        } finally {
            try {
                loop.closeChannel(channel);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "error closing " + channel, e);
            }
            unclosed.clean();
            afterClosed();
        }
    }

    // ================================================================ accessors

    @Override
    public final Object getExtraInfo(String name, Object defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }

    @Override
    public final BaseProtocol getProtocol() {
        return protocol;
    }

    /** @return {@code open}, {@code closing} or {@code closed}, for {@code toString} */
    final String stateName() {
        return lost ? "closed" : closing ? "closing" : "open";
    }
}
