package org.asyncio4j.loop;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The loop's source of I/O readiness: the seam between {@link EventLoop} and the
 * operating system's multiplexer. Today's driver is {@link SelectorDriver} (NIO's
 * {@link java.nio.channels.Selector}); a native epoll or io_uring driver would implement
 * the same four operations with sockets of its own, and only the transports written for
 * it would need to know.
 *
 * <p>Contract: every method but {@link #wakeup()} is called on the loop's thread.
 * {@link #poll} hands the reader and writer {@link Handle}s of the channels that became
 * ready to {@code ready} and returns; it never runs them itself, so the loop keeps its
 * one-queue ordering.
 */
interface IoDriver {
    /** @return whether anything is registered: without registrations a poll can report nothing */
    boolean hasRegistrations();

    /**
     * Waits up to {@code timeout} seconds for readiness ({@code 0}: only look;
     * {@link Double#POSITIVE_INFINITY}: until something is ready or {@link #wakeup()}),
     * and passes the handles of ready channels to {@code ready}.
     *
     * @param timeout seconds, {@code >= 0}
     * @param ready receives the handles to run
     * @throws IOException if the multiplexer failed
     */
    void poll(double timeout, Consumer<Handle> ready) throws IOException;

    /** Makes a blocked or the next {@link #poll} return at once. Safe from any thread. */
    void wakeup();

    /** Releases the multiplexer; registrations are dropped. Idempotent. */
    void close() throws IOException;
}
