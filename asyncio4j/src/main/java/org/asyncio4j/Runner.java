package org.asyncio4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.asyncio4j.combinators.Gather;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Sneaky;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.process.KeyboardInterrupt;
import org.asyncio4j.process.MainTaskInterrupt;

/**
 * Runs several coroutines, one after the other, on one event loop, and shuts the loop down
 * cleanly on {@link #close()} (asyncio's {@code asyncio.Runner}). {@link AsyncIO#run} is a
 * runner used once.
 *
 * <pre>{@code
 * try (Runner runner = new Runner()) {
 *     runner.run(() -> connect());
 *     runner.run(() -> serve());
 * }
 * }</pre>
 *
 * <pre>
 *   CREATED ──first run()/getLoop()──▶ INITIALIZED ──close()──▶ CLOSED
 * </pre>
 *
 * <p>Closing cancels every task still pending, runs the loop until they have finished,
 * reports any of them that failed with something else than a cancellation to the loop's
 * exception handler, shuts the default executor down and closes the loop.
 */
public final class Runner implements AutoCloseable {
    private enum State { CREATED, INITIALIZED, CLOSED }

    private final boolean debug;
    private final Supplier<EventLoop> loopFactory;
    private State state = State.CREATED;
    private EventLoop loop;

    /** A runner whose loop runs without debug mode. */
    public Runner() {
        this(false);
    }

    /**
     * @param debug whether the loop runs in debug mode
     */
    public Runner(boolean debug) {
        this(debug, EventLoop::newEventLoop);
    }

    /**
     * A runner whose loop comes from {@code loopFactory} (asyncio's
     * {@code Runner(loop_factory=...)}), e.g. a loop on a virtual clock.
     *
     * @param debug whether the loop runs in debug mode
     * @param loopFactory makes the runner's loop, once, on first use
     */
    public Runner(boolean debug, Supplier<EventLoop> loopFactory) {
        if (loopFactory == null) {
            throw new NullPointerException("loopFactory must not be null");
        }
        this.debug = debug;
        this.loopFactory = loopFactory;
    }

    /**
     * Runs {@code coro} as a task on the runner's loop until it is done, and returns its
     * result or rethrows its exception unchanged. {@code throws E} is the coroutine's own
     * checked exception, inferred from the lambda ({@link CheckedCallable}), so a
     * {@code catch} of it compiles.
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @param <E> the checked exception the coroutine may throw
     * @return its result
     * @throws E what the coroutine threw
     * @throws IllegalStateException if the runner is closed, or a loop is already running on
     *     this thread (inside a task, create a task and await it instead)
     * @throws KeyboardInterrupt if Ctrl-C cancelled the task (see the class comment)
     */
    public <T, E extends Exception> T run(CheckedCallable<T, E> coro) throws E {
        return run(coro, null);
    }

    /**
     * Runs a coroutine that returns nothing; see {@link #run(CheckedCallable)}.
     *
     * @param coro the coroutine
     * @param <E> the checked exception the coroutine may throw
     * @throws E what the coroutine threw
     */
    public <E extends Exception> void run(CheckedRunnable<E> coro) throws E {
        run(CheckedCallable.of(coro), null);
    }

    /**
     * Runs {@code coro} in {@code context}; see {@link #run(CheckedCallable)}.
     *
     * @param coro the coroutine
     * @param context the context for the task, or {@code null} for a copy of the current one
     * @param <T> the result type
     * @param <E> the checked exception the coroutine may throw
     * @return its result
     * @throws E what the coroutine threw
     */
    public <T, E extends Exception> T run(CheckedCallable<T, E> coro, Context context) throws E {
        if (coro == null) {
            throw new NullPointerException("coro must not be null");
        }
        if (EventLoop.peekRunningLoop() != null) {
            throw new IllegalStateException("Runner.run() (and AsyncIO.run()) cannot be called from a running event loop; "
                    + "inside a task, use createTask(...) and await it");
        }
        EventLoop l = getLoop();
        Context ctx = context != null ? context : Context.copyContext();
        Task<T> task = l.createTask(coro::call, null, ctx);
        MainTaskInterrupt ctrlC = MainTaskInterrupt.install(l, task);
        try {
            return onLoopThread(() -> l.runUntilComplete(task));
        } catch (CancelledError e) {
            if (ctrlC != null && ctrlC.interrupted() && task.uncancel() == 0) {
                throw new KeyboardInterrupt();
            }
            throw e;
        } finally {
            if (ctrlC != null) {
                ctrlC.close();
            }
        }
    }

    /**
     * Runs {@code action}, which runs the loop, on the calling thread; except under the
     * virtual-thread engine, where a platform thread would pay a full OS park and unpark on
     * every task switch (tens of microseconds): there the loop runs on a virtual thread of
     * its own and the caller waits for it, which makes a switch a cheap virtual-thread
     * hand-off.
     */
    private static <T> T onLoopThread(Supplier<T> action) {
        if (!"virtual-thread".equals(Task.engineName()) || Thread.currentThread().isVirtual()) {
            return action.get();
        }
        Object[] outcome = new Object[2];
        Thread loopThread = Thread.ofVirtual().name("asyncio4j-loop").start(() -> {
            try {
                outcome[0] = action.get();
            } catch (Throwable t) {
                outcome[1] = t;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                loopThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (outcome[1] != null) {
            throw Sneaky.rethrow((Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    /**
     * The runner's loop, created on first use.
     *
     * @return the loop
     * @throws IllegalStateException if the runner is closed
     */
    public EventLoop getLoop() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("the runner is closed");
        }
        if (state == State.CREATED) {
            EventLoop made = loopFactory.get();
            if (made == null || made.isClosed() || made.isRunning()) {
                throw new IllegalStateException("the loop factory returned " + made + "; it must make a new, idle loop");
            }
            loop = made;
            loop.setDebug(debug || loop.getDebug());
            state = State.INITIALIZED;
        }
        return loop;
    }

    /** Cancels what is left, shuts the default executor down and closes the loop. Idempotent. */
    @Override
    public void close() {
        if (state != State.INITIALIZED) {
            state = State.CLOSED;
            return;
        }
        EventLoop l = loop;
        try {
            onLoopThread(() -> {
                cancelAllTasks(l);
                l.runUntilComplete(l.createTask(() -> l.shutdownDefaultExecutor()));
                return null;
            });
        } finally {
            loop.close();
            loop = null;
            state = State.CLOSED;
        }
    }

    private static void cancelAllTasks(EventLoop loop) {
        Set<Task<?>> pending = loop.allTasks();
        if (pending.isEmpty()) {
            return;
        }
        for (Task<?> t : pending) {
            t.cancel();
        }
        List<Task<?>> tasks = new ArrayList<>(pending);
        loop.runUntilComplete(Gather.gather(true, tasks));
        for (Task<?> t : tasks) {
            if (t.cancelled()) {
                continue;
            }
            Throwable e;
            try {
                e = t.exception();
            } catch (CancelledError ce) {
                continue;
            }
            if (e != null) {
                loop.callExceptionHandler(new ExceptionContext("unhandled exception during shutdown of the runner",
                        e, t, null, null));
            }
        }
    }

    @Override
    public String toString() {
        return "<Runner " + state.name().toLowerCase() + " debug=" + debug + ">";
    }
}
