package org.asyncio4j.combinators;

import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.future.Context;
import org.asyncio4j.loop.EventLoop;

/**
 * {@code toThread}: runs blocking code on another thread while the task waits (asyncio's
 * {@code asyncio.to_thread}).
 *
 * <pre>{@code
 * byte[] data = AsyncIO.toThread(() -> Files.readAllBytes(path));
 * }</pre>
 *
 * <p>The function runs on the loop's default executor, a new virtual thread per call
 * ({@link EventLoop#runInExecutor}), inside a copy of the caller's {@link Context}: it sees
 * the caller's context variables, and what it sets stays in the copy. Its exception
 * reaches the caller unchanged.
 *
 * <p>Implementation overview: {@code loop.runInExecutor(null, () -> ctx.call(fn))}, awaited,
 * where {@code ctx} is {@link Context#copyContext()} taken on the loop thread.
 */
public final class ToThread {
    private ToThread() {
    }

    /**
     * Suspending: runs {@code fn} on a virtual thread, in a copy of the current context,
     * and returns its result (asyncio's {@code asyncio.to_thread(func)}). {@code throws E}
     * is {@code fn}'s own checked exception, inferred from the lambda, so a {@code catch}
     * of it compiles (see {@link CheckedCallable}).
     *
     * <p>Cancellation: {@link CancelledError} is raised here at once, but a call that has
     * started runs on to its end (threads are never interrupted: an interrupt would close
     * the NIO channels the call may use); its result is dropped. A call that has not
     * started yet never starts.
     *
     * @param fn the blocking call
     * @param <T> the result type
     * @param <E> the checked exception {@code fn} may throw
     * @return what {@code fn} returned
     * @throws E what {@code fn} threw, unchanged
     * @throws IllegalStateException if called outside a task, or the loop's default executor
     *     was shut down
     */
    public static <T, E extends Exception> T toThread(CheckedCallable<T, E> fn) throws E {
        if (fn == null) {
            throw new NullPointerException("fn must not be null");
        }
        Checks.currentTask("toThread()");
        Context ctx = Context.copyContext();
        return EventLoop.getRunningLoop().runInExecutor(null, () -> ctx.call(fn::call)).await();
    }

    /**
     * Suspending: {@link #toThread(CheckedCallable)} for a call without a result.
     *
     * <p>Cancellation: as for {@link #toThread(CheckedCallable)}: a started call runs to its end.
     *
     * @param fn the blocking call
     * @param <E> the checked exception {@code fn} may throw
     * @throws E what {@code fn} threw, unchanged
     */
    public static <E extends Exception> void toThread(CheckedRunnable<E> fn) throws E {
        if (fn == null) {
            throw new NullPointerException("fn must not be null");
        }
        toThread(CheckedCallable.of(fn));
    }
}
