package org.asyncio4j.net;

import java.nio.channels.NetworkChannel;
import java.util.List;
import org.asyncio4j.loop.EventLoop;

/**
 * A listening server (asyncio's {@code asyncio.Server}), made by {@code createServer} or
 * {@code createUnixServer}. Bound to its loop: call it on the loop's thread.
 *
 * <pre>
 *   (made) ──startServing()──▶ SERVING ──close()──▶ CLOSED (no longer accepting)
 *      │                                              │ every connection gone
 *      └──────────────close()─────────────────────────┴──▶ waitClosed() returns
 * </pre>
 *
 * Closing stops accepting and closes the listening sockets (and removes a Unix socket's
 * file); connections already accepted go on until they close, or until
 * {@link #closeClients()} / {@link #abortClients()}. {@code try (Server s = ...)} closes
 * it (asyncio's {@code async with server}, without the wait: call {@link #waitClosed()}).
 */
public interface Server extends AutoCloseable {
    /** Stops accepting and closes the listening sockets (asyncio's {@code close()}). Idempotent. */
    @Override
    void close();

    /**
     * Suspends until the server is closed and every connection it accepted is gone
     * (asyncio's {@code wait_closed()}, 3.12+ semantics). Returns at once if that is so.
     *
     * <p>Cancellation: nothing is left behind; the server is unchanged.
     */
    void waitClosed();

    /**
     * Starts accepting if not yet, then suspends until cancelled (asyncio's
     * {@code serve_forever()}).
     *
     * <p>Cancellation: the server is closed and waited for, then {@code CancelledError}
     * propagates.
     *
     * @throws IllegalStateException if the server is closed, or another task serves forever
     */
    void serveForever();

    /** Starts accepting connections; idempotent (asyncio's {@code start_serving()}). */
    void startServing();

    /** @return whether the server accepts connections (asyncio's {@code is_serving()}) */
    boolean isServing();

    /** @return the listening sockets, empty once closed (asyncio's {@code sockets}) */
    List<NetworkChannel> sockets();

    /** @return the loop the server runs on (asyncio's {@code get_loop()}) */
    EventLoop getLoop();

    /** Closes every accepted connection, flushing each (asyncio 3.13's {@code close_clients()}). */
    void closeClients();

    /** Aborts every accepted connection (asyncio 3.13's {@code abort_clients()}). */
    void abortClients();
}
