package org.asyncio4j.stream;

import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.asyncio4j.future.ParkingLot;
import org.asyncio4j.future.Sneaky;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.BaseTransport;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.Transport;

/**
 * The protocol that connects a transport to a {@link StreamReader} and a
 * {@link StreamWriter} (asyncio's {@code asyncio.StreamReaderProtocol}, with the write flow
 * control of its {@code FlowControlMixin}). Applications rarely make one: the entry points
 * of {@link Streams} do. It is public for code that builds streams over its own transports,
 * e.g. {@code Network.createServer(() -> new StreamReaderProtocol(new StreamReader(), handler), host, port)}.
 *
 * <p>What it does with each transport callback:
 * <ul>
 *   <li>{@code connectionMade}: gives the transport to the reader; on a server, makes the
 *       writer and runs the {@link ClientConnected} handler, as a new task or inline;
 *   <li>{@code dataReceived}: copies the bytes into the reader (the transport's buffer is
 *       valid only during the call);
 *   <li>{@code eofReceived}: feeds EOF to the reader and returns {@code true}, so the
 *       connection stays half-open and this side may go on writing (asyncio's rule), except
 *       over TLS, where a half-close is not possible and it returns {@code false};
 *   <li>{@code connectionLost}: feeds EOF to the reader, or the error when there is one;
 *       wakes {@link StreamWriter#drain()} and {@link StreamWriter#waitClosed()};
 *   <li>{@code pauseWriting}/{@code resumeWriting}: {@code drain()} waits while paused.
 * </ul>
 *
 * <h2>States</h2>
 * <pre>
 *   (new) ──connectionMade──▶ CONNECTED ──connectionLost(exc)──▶ LOST: drain() raises, waitClosed() returns
 *   writing:  FLOWING ──pauseWriting──▶ PAUSED (drain() waits) ──resumeWriting / connectionLost──▶ FLOWING
 * </pre>
 *
 * <h2>The client-connected task</h2>
 * On a server in task mode, each connection's handler runs as a new task. If it fails, the
 * error goes to the loop's exception handler ({@code "Unhandled exception in
 * client_connected_cb"}, with the transport) and the transport is closed; if it is
 * cancelled, the transport is closed; if it returns, nothing happens (asyncio 3.12+). The
 * protocol holds the task until the connection is lost.
 *
 * <p>Implementation overview: two {@link ParkingLot}s, one for the tasks in
 * {@code drain()} (woken by {@code resumeWriting} and {@code connectionLost}) and one for
 * those in {@code waitClosed()} (woken by {@code connectionLost}); asyncio's close waiter is
 * a shared future, which a cancelled waiter would cancel for everyone; a lot has no such
 * trap. Invariants: {@code writingPaused} mirrors the transport's last pause/resume call;
 * {@code lost} is set once, in {@code connectionLost}, and never cleared.
 */
public final class StreamReaderProtocol implements Protocol {
    private final StreamReader reader;
    /** The server's handler, or {@code null} on a client. */
    private final ClientConnected clientConnected;
    /** Run the handler as a task per connection (else inline in connectionMade). */
    private final boolean handlerAsTask;

    private Transport transport;
    private StreamWriter writer;
    private Task<Void> task;
    /** The transport is TLS: EOF cannot leave it half-open. */
    private boolean overSsl;

    /** The transport called pauseWriting and not yet resumeWriting. */
    private boolean writingPaused;
    /** connectionLost ran. */
    private boolean lost;
    /** The error connectionLost got, or null. */
    private Throwable lostException;
    private final ParkingLot drainWaiters = new ParkingLot();
    private final ParkingLot closeWaiters = new ParkingLot();

    /**
     * A client's protocol (asyncio's {@code StreamReaderProtocol(reader)}): feeds
     * {@code reader}; the caller makes the {@link StreamWriter} once connected.
     *
     * @param reader the reader to feed
     */
    public StreamReaderProtocol(StreamReader reader) {
        this(reader, null, false);
    }

    /**
     * A server connection's protocol that runs {@code clientConnected} as a new task once the
     * connection is made (asyncio's {@code StreamReaderProtocol(reader, client_connected_cb)}
     * with a coroutine function).
     *
     * @param reader the reader to feed
     * @param clientConnected the handler
     */
    public StreamReaderProtocol(StreamReader reader, ClientConnected clientConnected) {
        this(reader, requireHandler(clientConnected), true);
    }

    private StreamReaderProtocol(StreamReader reader, ClientConnected clientConnected, boolean handlerAsTask) {
        if (reader == null) {
            throw new NullPointerException("StreamReaderProtocol needs a reader, got null");
        }
        this.reader = reader;
        this.clientConnected = clientConnected;
        this.handlerAsTask = handlerAsTask;
    }

    /**
     * A server connection's protocol that calls {@code clientConnected} inside
     * {@code connectionMade} (asyncio's {@code StreamReaderProtocol(reader, client_connected_cb)}
     * with a plain function). The handler must not suspend; if it throws, the transport
     * reports the error and closes.
     *
     * @param reader the reader to feed
     * @param clientConnected the handler
     * @return the protocol
     */
    public static StreamReaderProtocol withCallback(StreamReader reader, ClientConnected clientConnected) {
        return new StreamReaderProtocol(reader, requireHandler(clientConnected), false);
    }

    private static ClientConnected requireHandler(ClientConnected cb) {
        if (cb == null) {
            throw new NullPointerException("clientConnected handler must not be null");
        }
        return cb;
    }

    // ================================================================ protocol callbacks

    @Override
    public void connectionMade(BaseTransport t) {
        Transport tr = (Transport) t;
        transport = tr;
        reader.setTransport(tr);
        overSsl = isTls(tr);
        if (clientConnected == null) {
            return;
        }
        StreamWriter w = new StreamWriter(tr, this, reader);
        writer = w;
        if (!handlerAsTask) {
            try {
                clientConnected.handle(reader, w);
            } catch (Exception e) {
                throw Sneaky.rethrow(e);
            }
            return;
        }
        EventLoop loop = EventLoop.getRunningLoop();
        Task<Void> tk = loop.createTask(() -> {
            clientConnected.handle(reader, w);
            return null;
        });
        task = tk;
        tk.addDoneCallback(f -> clientDone(loop, tk, tr));
    }

    /** asyncio 3.12+: a failed handler is reported and its connection closed; a cancelled one closed. */
    private void clientDone(EventLoop loop, Task<Void> tk, Transport tr) {
        if (tk.cancelled()) {
            tr.close();
            return;
        }
        Throwable exc = tk.exception();
        if (exc != null) {
            loop.callExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb", exc, tk, null,
                    null, Map.of("transport", tr, "protocol", this)));
            tr.close();
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // TLS cannot half-close: let the transport close (asyncio returns False over SSL)
        return !overSsl;
    }

    @Override
    public void connectionLost(Throwable exc) {
        if (exc == null) {
            reader.feedEof();
        } else {
            reader.setException(exc);
        }
        lost = true;
        lostException = exc;
        closeWaiters.unparkAll();
        drainWaiters.unparkAll();
        task = null; // the task goes on if still running; the loop holds it
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        drainWaiters.unparkAll();
    }

    // ================================================================ for the writer

    /** Fails as a suspending method does outside a task, even when drain() would not wait. */
    void checkCanDrain() {
        drainWaiters.checkCanPark("StreamWriter.drain()");
    }

    /** asyncio's {@code _drain_helper}: suspends while writing is paused. */
    void drainHelper() throws SocketException {
        if (lost) {
            throw new SocketException("Connection lost (asyncio's ConnectionResetError): " + transport
                    + (lostException == null ? " was closed" : " failed with " + lostException));
        }
        if (!writingPaused) {
            return;
        }
        drainWaiters.park();
        if (lost && lostException != null) {
            throw Sneaky.rethrow(lostException);
        }
    }

    /** asyncio's {@code _get_close_waiter}: suspends until connectionLost; raises its error. */
    void waitClosed() {
        closeWaiters.checkCanPark("StreamWriter.waitClosed()");
        while (!lost) {
            closeWaiters.park();
        }
        if (lostException != null) {
            throw Sneaky.rethrow(lostException);
        }
    }

    /** After a TLS upgrade: the new transport is the one to read from and to write to. */
    /** @return whether this protocol serves a server's connection (it has a client-connected handler) */
    boolean serverSide() {
        return clientConnected != null;
    }

    void replaceTransport(Transport newTransport) {
        transport = newTransport;
        overSsl = isTls(newTransport);
        reader.replaceTransport(newTransport);
    }

    private static boolean isTls(Transport t) {
        return t.getExtraInfo("sslcontext") != null || t.getExtraInfo("ssl_object") != null;
    }

    /** @return the reader this protocol feeds */
    public StreamReader reader() {
        return reader;
    }

    /** @return the server connection's writer, made in {@code connectionMade}; {@code null} on a client */
    public StreamWriter writer() {
        return writer;
    }

    /** @return the client-connected task, until the connection is lost; else {@code null} */
    public Task<Void> clientTask() {
        return task;
    }

    /** @return whether the connection was lost */
    boolean isLost() {
        return lost;
    }

    @Override
    public String toString() {
        return "<StreamReaderProtocol " + (lost ? "lost" : transport == null ? "new" : "connected")
                + (writingPaused ? " paused" : "") + " reader=" + reader + '>';
    }
}
