package org.asyncio4j.loop;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * The {@link IoDriver} over NIO's {@link Selector}: readers and writers of any
 * non-blocking {@link SelectableChannel} (asyncio's {@code selector_events}).
 *
 * <p>Implementation overview: each registered channel's key carries an
 * {@link IoRegistration} with the reader and writer handles, reused at every readiness
 * event, so polling allocates nothing ({@code Selector.select(Consumer)} with one consumer
 * made at construction). The key's interest set mirrors which handles are set
 * ({@link IoRegistration}'s invariant). A channel closed while registered leaves the key
 * set at the next select, so {@link #hasRegistrations()} never goes stale.
 */
final class SelectorDriver implements IoDriver {
    /** Drops readiness events: used by {@link #release}, whose poll only flushes a cancelled key. */
    private static final Consumer<SelectionKey> IGNORE = key -> { };

    private final Selector selector;
    private final Consumer<SelectionKey> onSelected = this::processKey;
    /** The sink of the poll in progress; only set during {@link #poll}. */
    private Consumer<Handle> sink;
    /** A released channel's key waits for a flush (any poll flushes it). */
    private boolean releasePending;

    SelectorDriver() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public boolean hasRegistrations() {
        return !selector.keys().isEmpty();
    }

    @Override
    public void poll(double timeout, Consumer<Handle> ready) throws IOException {
        sink = ready;
        releasePending = false; // a select flushes cancelled keys first
        try {
            if (timeout <= 0) {
                if (hasRegistrations()) {
                    selector.selectNow(onSelected);
                }
            } else if (timeout == Double.POSITIVE_INFINITY) {
                selector.select(onSelected);
            } else {
                selector.select(onSelected, Math.max(1L, (long) Math.ceil(timeout * 1000)));
            }
        } finally {
            sink = null;
        }
    }

    private void processKey(SelectionKey key) {
        IoRegistration reg = (IoRegistration) key.attachment();
        int ops = key.readyOps();
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && reg.reader != null) {
            sink.accept(reg.reader);
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && reg.writer != null) {
            sink.accept(reg.writer);
        }
    }

    /**
     * Closes {@code channel}: cancels its key and closes it. NIO keeps the descriptor of a
     * registered channel open until a poll flushes the cancelled key: a listening socket
     * would go on completing connections, and a closed connection would look alive. With
     * {@code now} the key is flushed here, by a poll whose readiness events are dropped (the
     * selector is level-triggered, so they are reported again at the loop's next poll);
     * otherwise by {@link #flushReleased()}, once for every channel released meanwhile (a
     * flush polls every ready channel, so one per channel made closing n connections cost
     * n²).
     *
     * @return the reader and writer handles the channel had, for the loop to cancel
     */
    Handle[] release(SelectableChannel channel, boolean now) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        Handle[] old = new Handle[2];
        if (key != null && key.isValid()) {
            IoRegistration reg = (IoRegistration) key.attachment();
            old[0] = reg.swap(true, null);
            old[1] = reg.swap(false, null);
        }
        channel.close();
        if (key != null) {
            if (now) {
                selector.selectNow(IGNORE);
            } else {
                releasePending = true;
            }
        }
        return old;
    }

    /** @return whether channels released without {@code now} wait for {@link #flushReleased()} */
    boolean releasePending() {
        return releasePending;
    }

    /** Closes the descriptors of the channels released without {@code now}. */
    void flushReleased() throws IOException {
        releasePending = false;
        selector.selectNow(IGNORE);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    /**
     * Installs {@code h} as the reader ({@code reading}) or writer of {@code channel}, with
     * the interest bits {@code ops}; returns the handle it replaced, or {@code null}.
     *
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if the channel is closed
     */
    Handle watch(SelectableChannel channel, Handle h, int ops, boolean reading) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("channel " + channel
                    + " is in blocking mode; call configureBlocking(false) before handing it to the loop");
        }
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            try {
                key = channel.register(selector, 0, new IoRegistration());
            } catch (ClosedChannelException e) {
                throw new IllegalStateException("channel " + channel + " is closed", e);
            }
        }
        Handle old = ((IoRegistration) key.attachment()).swap(reading, h);
        int before = key.interestOps();
        if ((before | ops) != before) {
            key.interestOps(before | ops);
        }
        return old;
    }

    /**
     * Removes the reader ({@code reading}) or writer of {@code channel} and clears the
     * interest bits {@code ops}; returns the removed handle, or {@code null} if none.
     */
    Handle unwatch(SelectableChannel channel, int ops, boolean reading) {
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return null;
        }
        Handle old = ((IoRegistration) key.attachment()).swap(reading, null);
        if (old == null) {
            return null;
        }
        int before = key.interestOps();
        if ((before & ~ops) != before) {
            key.interestOps(before & ~ops);
        }
        return old;
    }
}
