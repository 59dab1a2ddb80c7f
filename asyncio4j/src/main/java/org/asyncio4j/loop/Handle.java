package org.asyncio4j.loop;

import org.asyncio4j.future.Context;
import org.asyncio4j.future.ContextBound;

/**
 * A callback scheduled on an event loop, returned by {@link EventLoop#callSoon} (asyncio's
 * {@code asyncio.Handle}). It runs once, inside the {@link Context} captured when it was
 * scheduled ({@link #getContext()}), unless it is cancelled first. Scheduled without a
 * context, a handle allocates none until it needs one of its own (see {@link ContextBound}).
 *
 * <p>An exception thrown by the callback does not stop the loop: it goes to the loop's
 * exception handler with this handle in the {@link ExceptionContext}.
 */
public class Handle extends ContextBound {
    final EventLoop loop;
    final Runnable callback;
    /** Set by {@link #cancel()}; the loop skips cancelled handles. */
    boolean cancelled;

    Handle(EventLoop loop, Runnable callback, Context context) {
        super(context);
        this.loop = loop;
        this.callback = callback;
        Origin.record(this, loop);
    }

    /** Cancels the callback; if it has not run yet, it never will. Idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /** @return whether {@link #cancel()} was called */
    public final boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback in its context; reports what it throws to the loop. */
    final void run() {
        try {
            runInContext(callback);
        } catch (Throwable t) {
            Origin origin = Origin.of(this);
            loop.callExceptionHandler(new ExceptionContext("Exception in callback " + callback, t, null, this, null,
                    origin == null ? null : origin.asExtra()));
        }
    }

    @Override
    public String toString() {
        Origin origin = Origin.of(this);
        return "<Handle " + (cancelled ? "cancelled " : "") + callback + (origin == null ? "" : " " + origin) + ">";
    }
}
