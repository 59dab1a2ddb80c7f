package org.asyncio4j.process;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import org.asyncio4j.future.Context;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Transport;

/**
 * What every pipe transport shares (the read and write ones on a thread or on the
 * selector): the loop, the protocol, the close states, the single {@code connectionLost},
 * and the thread of a pipe that blocks.
 *
 * <p>Why a pipe is a whole {@link Transport} although it only reads or only writes: the
 * stream layer's {@code StreamReaderProtocol} and {@code StreamWriter} take a
 * {@code Transport} (asyncio's take any transport), and asyncio's idioms
 * ({@code StreamReaderProtocol(reader)} over {@code connect_read_pipe}, a
 * {@code StreamWriter} over {@code connect_write_pipe}) must work here too. So each pipe
 * implements the other side as absent: a read pipe refuses writes, a write pipe never reads.
 *
 * <p>Two kinds. A child's pipes, when {@link ChildPipes} can make them, are NIO pipes served
 * on the loop's selector like sockets ({@link SelectorReadPipeTransport},
 * {@link SelectorWritePipeTransport}). Any other stream blocks (Java's process and file
 * streams do), so its pipe has a thread of its own that does the blocking calls and hands
 * the results to the loop with {@link EventLoop#callSoonThreadsafe}
 * ({@link ReadPipeTransport}, {@link WritePipeTransport}). These are daemon platform
 * threads, not virtual ones: a blocking read of a pipe pins its carrier, and the
 * virtual-thread scheduler adds at most 256 carriers to make up for pinned ones, so a
 * hundred children with three pipes each could take every carrier and starve the very
 * writers their children wait for.
 *
 * <p>States (loop thread only): OPEN; CLOSING once {@code closing} is set (EOF, close,
 * error); LOST once {@code lost} is set, which happens once and schedules the protocol's
 * {@code connectionLost}. {@code made} says {@code connectionMade} has run.
 */
abstract class PipeTransport implements Transport {
    static final Logger LOG = System.getLogger("org.asyncio4j.process");

    final EventLoop loop;
    final Context context;
    /** What the pipe's thread is named, and what toString shows. */
    final String name;
    private final Map<String, Object> extra;
    BaseProtocol protocol;

    boolean made;
    boolean closing;
    boolean lost;
    /** The thread that does a blocking pipe's calls; null for a pipe on the selector. */
    private Thread thread;

    PipeTransport(EventLoop loop, Object pipe, BaseProtocol protocol, String name) {
        loop.checkThread("connecting a pipe");
        this.loop = loop;
        this.context = Context.copyContext();
        this.extra = Map.of("pipe", pipe);
        this.protocol = protocol;
        this.name = name;
    }

    /** Calls the protocol's {@code connectionMade} now, then starts the I/O ({@link #begin()}). */
    final void start() {
        made = true;
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            fatalError(t, "Fatal error: protocol.connectionMade() call failed.");
        }
        begin();
    }

    /** Starts reading or writing, right after {@code connectionMade}: by default, starts the pipe's thread. */
    void begin() {
        thread.start();
    }

    /** Stops the pipe at once (a pipe's thread ends when its blocking call returns). */
    abstract void stopPipe();

    /**
     * The child whose pipe this is exited (its stdin: asyncio sees the pipe's reader go
     * away). Only a write pipe cares; a read pipe reads on to EOF.
     */
    void childExited() {
    }

    /** @return the pipe's thread (for tests that check it ended, and to wake it); null for a pipe on the selector */
    final Thread pipeThread() {
        return thread;
    }

    /** Gives the pipe a daemon thread of its own, named after it, that runs {@code work} from {@link #begin()} on. */
    final void runOnThread(Runnable work) {
        thread = Thread.ofPlatform().daemon().name(name).unstarted(work);
    }

    /** Hands {@code r} to the loop from the pipe's thread; false if the loop is closed. */
    final boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r, context);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** Reports {@code t} unless it is an I/O error (a normal end of a pipe, as in asyncio), then closes with it. */
    final void fatalError(Throwable t, String message) {
        if (!(t instanceof IOException)) {
            loop.callExceptionHandler(new ExceptionContext(message, t, null, null, null,
                    Map.of("transport", this, "protocol", protocol)));
        } else if (loop.getDebug()) {
            LOG.log(Level.DEBUG, this + ": " + message, t);
        }
        closeNow(t);
    }

    /** Closes the pipe at once: stops it and schedules {@code connectionLost(exc)}; what is buffered is dropped. */
    final void closeNow(Throwable exc) {
        closing = true;
        stopPipe();
        connectionLostSoon(exc);
    }

    /** Schedules the protocol's {@code connectionLost(exc)}, once. */
    final void connectionLostSoon(Throwable exc) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        loop.callSoon(() -> {
            if (!made) {
                return;
            }
            try {
                protocol.connectionLost(exc);
            } catch (Throwable t) {
                loop.callExceptionHandler(new ExceptionContext("Fatal error: protocol.connectionLost() call failed.",
                        t, null, null, null, Map.of("transport", this, "protocol", protocol)));
            }
        }, context);
    }

    @Override
    public final boolean isClosing() {
        return closing;
    }

    /**
     * {@inheritDoc} The key {@code "pipe"} gives the stream the transport was made on (for a
     * child's pipe on the selector, this process's end: a {@link java.nio.channels.Pipe} channel).
     */
    @Override
    public final Object getExtraInfo(String key, Object defaultValue) {
        return extra.getOrDefault(key, defaultValue);
    }

    @Override
    public final BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(BaseProtocol protocol) {
        if (protocol == null) {
            throw new NullPointerException("protocol must not be null");
        }
        this.protocol = protocol;
    }

    @Override
    public String toString() {
        return '<' + getClass().getSimpleName() + ' ' + name + (lost ? " closed" : closing ? " closing" : " open") + '>';
    }
}
