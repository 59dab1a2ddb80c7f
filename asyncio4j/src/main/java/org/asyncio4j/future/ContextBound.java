package org.asyncio4j.future;

/**
 * Low-level: a callback bound to the {@link Context} it runs in, the base of the event
 * loop's {@link org.asyncio4j.loop.Handle} (asyncio keeps a {@code Handle}'s context in its
 * {@code _context}) and of a future's done callbacks. Applications use the subclasses.
 *
 * <p>Bound without an explicit context, a callback holds the shared copy of its
 * scheduler's context (see {@link Context}), one object for all the callbacks and tasks
 * scheduled while the scheduler's variables are unchanged, so scheduling one allocates no
 * context. It trades that copy for a private one, in place and for good, the first time it
 * needs its own: when {@link #getContext()} hands the context out, or when the callback sets
 * a variable while it runs (through {@link Task#ownContext}, which finds the running callback
 * in the thread's {@link Context.Slot}). Invariant: {@code context} is the context every
 * change the callback made is in; a shared copy only while there is none.
 */
public abstract class ContextBound {
    /** The scheduler's shared copy until this callback needs its own (see above). */
    private Context context;

    /**
     * @param context the context to run in, or {@code null} for a copy of the current
     *     context (the shared one, until a private one is needed)
     */
    protected ContextBound(Context context) {
        this.context = context == null ? Context.sharedCopy() : context;
    }

    /**
     * The context the callback runs in (asyncio's {@code Handle.get_context()}). Changes
     * made to it before the callback runs are seen by the callback, and changes the callback
     * makes are seen in it.
     *
     * @return the context, the same object at every call
     */
    public final Context getContext() {
        Context c = context;
        if (c.shared) {
            Context.Slot slot = Context.slot();
            boolean running = slot.callback == this && Task.runningTask() == null;
            c = context = c.privateCopy(running);
            if (running && slot.current.shared) {
                slot.current = c;   // asked by the callback itself: it goes on in the copy handed out
            }
        }
        return c;
    }

    /**
     * Runs {@code action} with this callback's context as the current one, then restores the
     * previous context. Call it on the thread that owns the callback (the loop's).
     *
     * @param action the callback's body
     */
    protected final void runInContext(Runnable action) {
        Context.Slot slot = Context.slot();
        Context previous = context.enter(slot);
        ContextBound outer = slot.callback;
        slot.callback = this;
        try {
            action.run();
        } finally {
            Context mine = context;   // the one entered, or the private copy that replaced it meanwhile
            slot.callback = outer;
            mine.exit(slot, Task.resolveShared(previous));
        }
    }

    /** For {@link Task#ownContext}: this running callback's own context, in place of its shared copy. */
    final Context ownContext() {
        Context c = context;
        if (c.shared) {
            c = context = c.privateCopy(true);
        }
        return c;
    }

    /** For {@link Task#resolveShared}: the context the running callback runs in now. */
    final Context context() {
        return context;
    }
}
