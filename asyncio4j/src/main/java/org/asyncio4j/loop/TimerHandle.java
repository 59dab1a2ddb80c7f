package org.asyncio4j.loop;

import org.asyncio4j.future.Context;

/**
 * A callback scheduled for a point in loop time, returned by {@link EventLoop#callLater}
 * and {@link EventLoop#callAt} (asyncio's {@code asyncio.TimerHandle}).
 *
 * <p>Timers run in {@link #when()} order, and timers with the same {@code when} in the
 * order they were scheduled ({@code seq} breaks the tie). A cancelled timer stays in the
 * loop's heap until it reaches the top or until cancelled timers outnumber live ones, when
 * the heap is rebuilt without them.
 */
public final class TimerHandle extends Handle {
    final double when;
    final long seq;
    /** True while the timer sits in the loop's heap. */
    boolean scheduled;

    TimerHandle(EventLoop loop, Runnable callback, Context context, double when, long seq) {
        super(loop, callback, context);
        this.when = when;
        this.seq = seq;
    }

    /** @return the loop time, in seconds, at which the callback is due */
    public double when() {
        return when;
    }

    /** Cancels the timer; if it has not run yet, it never will. Idempotent. */
    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (scheduled) {
                loop.timerCancelled();
            }
        }
    }

    @Override
    public String toString() {
        Origin origin = Origin.of(this);
        return "<TimerHandle " + (cancelled ? "cancelled " : "") + "when=" + when + " " + callback
                + (origin == null ? "" : " " + origin) + ">";
    }
}
