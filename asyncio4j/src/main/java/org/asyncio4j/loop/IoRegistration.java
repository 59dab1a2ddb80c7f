package org.asyncio4j.loop;

/**
 * The reader and writer callbacks of one channel, attached to its selection key. The
 * loop reuses these handles every time the channel is ready, so readiness allocates
 * nothing. Invariant: the key's interest set has the read (or accept) bits exactly when
 * {@code reader} is set, and the write (or connect) bits exactly when {@code writer} is.
 */
final class IoRegistration {
    Handle reader;
    Handle writer;

    /** Replaces the reader (if {@code reading}) or the writer; returns the one replaced. */
    Handle swap(boolean reading, Handle h) {
        Handle old;
        if (reading) {
            old = reader;
            reader = h;
        } else {
            old = writer;
            writer = h;
        }
        return old;
    }
}
