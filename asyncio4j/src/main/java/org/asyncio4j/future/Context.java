package org.asyncio4j.future;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A mapping of {@link ContextVar}s to values, the state that follows a logical flow of
 * control across callbacks and tasks (Python's {@code contextvars.Context}).
 *
 * <p>Every thread has a current context. The event loop runs each callback inside the
 * context captured when the callback was scheduled (a copy of the scheduler's context,
 * unless one was given explicitly); a task copies the current context when it is created
 * and runs every step of its coroutine inside that copy, so a variable set inside a task
 * stays in that task.
 *
 * <pre>{@code
 * ContextVar<String> user = new ContextVar<>("user");
 * Context ctx = Context.copyContext();
 * ctx.run(() -> user.set("ada"));
 * ctx.get(user, null);   // "ada"
 * user.get(null);        // null: the change stayed inside ctx
 * }</pre>
 *
 * <p>Implementation overview: a context is a mutable box around an immutable map, so
 * copying is O(1) (the copy shares the map) and {@link ContextVar#set} replaces the map of
 * the current context only. The map is a flat array {@code [var0, value0, var1, value1,
 * ...]} searched by identity: programs hold a handful of variables, and a scan of a short
 * array beats a hash trie at that size. The current context of a thread lives in a
 * per-thread {@link Slot}, so entering and leaving a context are two field writes.
 * Invariant: a context is entered on at most one thread at a time ({@link #entered}).
 *
 * <p>Tasks and scheduled callbacks share their copies (copy-on-write). Each needs a copy
 * of its creator's context, but most never set a variable, and a box apiece was 24 bytes of
 * every parked task and of every timer. So the tasks and callbacks scheduled from a context
 * while its map is unchanged all get one <em>shared</em> copy ({@link #sharedCopy}), cached
 * in {@code taskCopy}. A shared copy is never written and never handed to user code: a task
 * or callback that sets a variable first takes a private copy of its own
 * ({@link #currentForWrite}, through {@link Task#ownContext}), and {@link Task#getContext()}
 * and {@link ContextBound#getContext()} do the same. Invariant: a shared copy is current on
 * a thread only as the context of the task running there or, with no task running, of the
 * callback running there ({@link Slot#callback}); so "the running task's or callback's
 * context" is what a stale reference to it means (the restore points call
 * {@link Task#resolveShared}).
 */
public final class Context {
    /** The per-thread holder of the current context. */
    static final class Slot {
        Context current = new Context(EMPTY);
        /** The callback running on this thread ({@link ContextBound#runInContext}), or null. */
        ContextBound callback;
    }

    private static final Object[] EMPTY = new Object[0];
    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

    /** The variables and values, immutable once published: {@code [var, value, ...]}. */
    Object[] map;
    /** True while some thread runs inside this context; never set on a shared copy. */
    private boolean entered;
    /** A copy shared by tasks and callbacks (see the overview): its map never changes. */
    final boolean shared;
    /**
     * The shared copy last handed to the tasks and callbacks scheduled from this context
     * (valid while its map is this one's).
     */
    private Context taskCopy;

    private Context(Object[] map) {
        this(map, false);
    }

    private Context(Object[] map, boolean shared) {
        this.map = map;
        this.shared = shared;
    }

    /** Creates an empty context (Python's {@code contextvars.Context()}). */
    public Context() {
        this(EMPTY);
    }

    /**
     * Returns a shallow copy of the current thread's context (Python's
     * {@code contextvars.copy_context()}). O(1).
     *
     * @return a new context holding the same variables and values
     */
    public static Context copyContext() {
        return new Context(SLOT.get().current.map);
    }

    /** The context the calling thread runs in now. Internal: never handed to users. */
    static Context current() {
        return SLOT.get().current;
    }

    /**
     * The copy of the current context a new task or callback runs in: a shared copy (see
     * the overview), the same object for all those scheduled while the map is unchanged.
     */
    static Context sharedCopy() {
        Context c = SLOT.get().current;
        if (c.shared) {
            return c;   // never written, so it is its own snapshot
        }
        Context copy = c.taskCopy;
        if (copy == null || copy.map != c.map) {
            copy = c.taskCopy = new Context(c.map, true);
        }
        return copy;
    }

    /**
     * The current context, for a change ({@link ContextVar#set}, {@link ContextVar#reset}):
     * a shared copy is first replaced, for the running task, by a private one.
     */
    static Context currentForWrite() {
        Slot slot = SLOT.get();
        Context c = slot.current;
        if (c.shared) {
            c = slot.current = Task.ownContext(c);
        }
        return c;
    }

    /**
     * A private copy of this shared one, for a task or callback that needs its own
     * ({@code enteredNow}: it is current already, in the shared one's place).
     */
    Context privateCopy(boolean enteredNow) {
        Context own = new Context(map);
        own.entered = enteredNow;
        return own;
    }

    /** The calling thread's slot, for code that enters and leaves contexts often. */
    static Slot slot() {
        return SLOT.get();
    }

    /**
     * Returns a copy of this context (Python's {@code Context.copy()}).
     *
     * @return a new context sharing this one's current variables and values
     */
    public Context copy() {
        return new Context(map);
    }

    /**
     * Runs {@code action} with this context as the current one, then restores the previous
     * context; changes made by {@code action} to context variables stay in this context
     * (Python's {@code Context.run}).
     *
     * @param action what to run
     * @throws IllegalStateException if this context is already entered (on any thread)
     */
    public void run(Runnable action) {
        Slot slot = SLOT.get();
        Context previous = enter(slot);
        try {
            action.run();
        } finally {
            exit(slot, Task.resolveShared(previous));
        }
    }

    /**
     * Like {@link #run(Runnable)} for an action with a result. A checked exception thrown
     * by {@code action} propagates unchanged (undeclared).
     *
     * @param action what to run
     * @param <T> the result type
     * @return what {@code action} returned
     * @throws IllegalStateException if this context is already entered
     */
    public <T> T call(Callable<T> action) {
        Slot slot = SLOT.get();
        Context previous = enter(slot);
        try {
            return action.call();
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        } finally {
            exit(slot, Task.resolveShared(previous));
        }
    }

    Context enter(Slot slot) {
        if (entered) {
            throw new IllegalStateException("cannot enter context " + this + ": it is already entered");
        }
        entered = !shared;   // several tasks' steps may nest in one shared copy (eager tasks)
        Context previous = slot.current;
        slot.current = this;
        return previous;
    }

    void exit(Slot slot, Context previous) {
        slot.current = previous;
        entered = false;
    }

    /**
     * The value of {@code var} in this context, or {@code defaultValue} when it has none
     * here (Python's {@code Context.get(var, default)}). The variable's own default is not
     * consulted.
     *
     * @param var the variable
     * @param defaultValue returned when {@code var} has no value in this context
     * @param <T> the value type
     * @return the value or {@code defaultValue}
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var, T defaultValue) {
        int i = indexOf(map, var);
        return i < 0 ? defaultValue : (T) map[i + 1];
    }

    /**
     * Whether {@code var} has a value in this context (Python's {@code var in ctx}).
     *
     * @param var the variable
     * @return true if it has been set in this context or the one it was copied from
     */
    public boolean contains(ContextVar<?> var) {
        return indexOf(map, var) >= 0;
    }

    /**
     * @return how many variables have a value in this context (Python's {@code len(ctx)})
     */
    public int size() {
        return map.length / 2;
    }

    /**
     * @return the variables that have a value in this context, in the order they were first
     *     set (Python's {@code ctx.keys()})
     */
    public Set<ContextVar<?>> vars() {
        Object[] m = map;
        Set<ContextVar<?>> vars = new LinkedHashSet<>();
        for (int i = 0; i < m.length; i += 2) {
            vars.add((ContextVar<?>) m[i]);
        }
        return Collections.unmodifiableSet(vars);
    }

    static int indexOf(Object[] m, ContextVar<?> var) {
        for (int i = 0; i < m.length; i += 2) {
            if (m[i] == var) {
                return i;
            }
        }
        return -1;
    }

    /** Returns a copy of {@code m} in which {@code var} maps to {@code value}. */
    static Object[] with(Object[] m, ContextVar<?> var, Object value) {
        int i = indexOf(m, var);
        Object[] copy;
        if (i >= 0) {
            copy = m.clone();
        } else {
            i = m.length;
            copy = java.util.Arrays.copyOf(m, m.length + 2);
            copy[i] = var;
        }
        copy[i + 1] = value;
        return copy;
    }

    /** Returns a copy of {@code m} without {@code var}. */
    static Object[] without(Object[] m, ContextVar<?> var) {
        int i = indexOf(m, var);
        if (i < 0) {
            return m;
        }
        Object[] copy = new Object[m.length - 2];
        System.arraycopy(m, 0, copy, 0, i);
        System.arraycopy(m, i + 2, copy, i, m.length - i - 2);
        return copy;
    }

    @Override
    public String toString() {
        return "<Context vars=" + size() + (entered ? " entered" : "") + ">";
    }
}
