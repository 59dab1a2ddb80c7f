package org.asyncio4j.loop;

import org.asyncio4j.future.Context;

/**
 * A callback scheduled on an event loop, returned by {@link EventLoop#callSoon} (asyncio's
 * {@code asyncio.Handle}). It runs once, inside the {@link Context} captured when it was
 * scheduled, unless it is cancelled first. Scheduled without a context, it holds the
 * {@link Context#sharedCopy() shared copy} of the scheduler's context until it needs a
 * context of its own: when {@link #getContext()} hands it out or the callback sets a
 * variable.
 *
 * <p>An exception thrown by the callback does not stop the loop: it goes to the loop's
 * exception handler with this handle in the {@link ExceptionContext}.
 */
public class Handle {
    final EventLoop loop;
    final Runnable callback;
    /** A shared copy until the handle needs its own (see the class comment). */
    private Context context;
    /** Set by {@link #cancel()}; the loop skips cancelled handles. */
    boolean cancelled;

    Handle(EventLoop loop, Runnable callback, Context context) {
        this.loop = loop;
        this.callback = callback;
        this.context = context;
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

    /** @return the context the callback runs in, the same object at every call */
    public final Context getContext() {
        Context c = context.unshared();
        context = c;
        return c;
    }

    /** Runs the callback in its context; reports what it throws to the loop. */
    final void run() {
        try {
            Context c = context;
            Context after = c.runCallback(callback);
            if (after != c) {
                context = after;
            }
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
