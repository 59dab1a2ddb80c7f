package org.asyncio4j.combinators;

import java.util.function.Consumer;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.EventLoop;

/**
 * {@code waitFor}: await one future or coroutine with a timeout (asyncio's
 * {@code asyncio.wait_for}), with the semantics of Python 3.12, where it is built on the
 * {@link Timeout} scope.
 *
 * <ul>
 *   <li>On timeout the awaited future is cancelled, {@code waitFor} waits until it is
 *       really done (a task gets to run its cleanup), then raises {@link TimeoutError}. To
 *       keep the work running past the timeout, pass {@code shield(fut)} instead.
 *   <li>A result (or exception) that arrives in the same loop iteration as the timeout is
 *       not lost: if the future is done and not cancelled when the timeout is handled,
 *       {@code waitFor} returns its result (or rethrows its exception) instead of raising
 *       {@code TimeoutError}. CPython 3.12 raises {@code TimeoutError} in that race; the
 *       result would be lost for a coroutine argument, so asyncio4j prefers the outcome.
 *   <li>A task that catches the cancellation and returns a value anyway: that value is
 *       returned.
 *   <li>If the calling task is cancelled from outside, the future is cancelled and
 *       {@link CancelledError} propagates (never {@code TimeoutError}, never swallowed). A
 *       future that had already completed in that iteration keeps its result: it is not
 *       cancelled after the fact.
 *   <li>{@code timeout} {@link Double#POSITIVE_INFINITY} means none (asyncio's
 *       {@code None}); zero or negative means "already expired": the result is returned if
 *       the future is done, else it is cancelled and waited for, then {@code TimeoutError}.
 *       NaN is an error.
 * </ul>
 *
 * <p>Implementation overview: the positive-timeout path is
 * {@code Timeout.after(timeout).run(() -> fut.await())}, plus the check that prefers a
 * result that raced the timeout. A coroutine argument runs in the calling task inside
 * that scope (as {@code await coro} does in Python 3.12), so no task is created for it,
 * except on the zero-timeout path, which follows asyncio and wraps it in a task that is
 * cancelled before it runs (unless an eager task factory ran it to completion).
 */
public final class WaitFor {
    private WaitFor() {
    }

    /**
     * Suspending: waits for {@code fut} for at most {@code timeout} seconds and returns its
     * result (asyncio's {@code asyncio.wait_for(fut, timeout)}).
     *
     * <p>Cancellation: the future is cancelled as well, as with a plain await; once it is
     * done (a task has run its cleanup) {@link CancelledError} is raised here. A task that
     * swallows that cancellation and returns a value makes this call return the value, as
     * a plain await would.
     *
     * @param fut a future or task of the running loop
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none; zero or negative:
     *     already expired
     * @param <T> the result type
     * @return the future's result; its exception is rethrown unchanged
     * @throws TimeoutError if the timeout expired first (the future is then done: cancelled)
     * @throws IllegalArgumentException if {@code timeout} is NaN
     * @throws IllegalStateException if called outside a task
     */
    public static <T> T waitFor(Future<T> fut, double timeout) {
        if (fut == null) {
            throw new NullPointerException("fut must not be null");
        }
        Checks.seconds(timeout, "timeout");
        Checks.currentTask("waitFor()");
        if (timeout == Double.POSITIVE_INFINITY) {
            return fut.await();
        }
        if (timeout <= 0) {
            return expiredAlready(fut);
        }
        Timeout scope = Timeout.after(timeout);
        try {
            return scope.run(() -> fut.await());
        } catch (TimeoutError e) {
            if (scope.expired() && fut.done() && !fut.cancelled()) {
                // the outcome arrived in the same iteration as the timeout: keep it
                return fut.result();
            }
            throw e;
        }
    }

    /**
     * Suspending: runs {@code coro} in the calling task with a deadline {@code timeout}
     * seconds away and returns its result (asyncio's {@code asyncio.wait_for(coro, timeout)}
     * in Python 3.12, which awaits the coroutine inside a {@code timeout} scope). Same as
     * {@code Timeout.after(timeout).run(coro)}, except that a zero or negative timeout
     * wraps {@code coro} in a task and cancels it before it starts, as asyncio does.
     *
     * <p>Cancellation: the coroutine sees {@link CancelledError} at its current await, and
     * whatever it does about it propagates here.
     *
     * @param coro the coroutine
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none
     * @param <T> the result type
     * @param <E> the checked exception the coroutine may throw (see {@link CheckedCallable})
     * @return what {@code coro} returned
     * @throws E what the coroutine threw, unchanged
     * @throws TimeoutError if the deadline passed and the coroutine ended with the resulting
     *     {@code CancelledError}
     * @throws IllegalArgumentException if {@code timeout} is NaN
     * @throws IllegalStateException if called outside a task
     */
    public static <T, E extends Exception> T waitFor(CheckedCallable<T, E> coro, double timeout) throws E {
        if (coro == null) {
            throw new NullPointerException("coro must not be null");
        }
        Checks.seconds(timeout, "timeout");
        Checks.currentTask("waitFor()");
        if (timeout == Double.POSITIVE_INFINITY) {
            return coro.call();
        }
        if (timeout <= 0) {
            return expiredAlready(EventLoop.getRunningLoop().createTask(coro::call));
        }
        return Timeout.after(timeout).run(coro);
    }

    /** asyncio's zero-timeout path: result if done, else cancel, wait, and TimeoutError. */
    private static <T> T expiredAlready(Future<T> fut) {
        if (fut.done()) {
            return fut.result();
        }
        cancelAndWait(fut);
        try {
            return fut.result();
        } catch (CancelledError e) {
            TimeoutError timeout = new TimeoutError("the timeout expired: it was zero or negative and the future was not done");
            timeout.initCause(e);
            throw timeout;
        }
    }

    /**
     * Cancels {@code fut} and waits until it is done, without awaiting it directly, so a
     * cancellation of the caller here does not cancel it a second time (asyncio's
     * {@code _cancel_and_wait}).
     */
    static void cancelAndWait(Future<?> fut) {
        Future<Void> waiter = fut.getLoop().createFuture();
        Consumer<Future<?>> release = f -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        };
        fut.addDoneCallback(release);
        try {
            fut.cancel();
            waiter.await();
        } finally {
            fut.removeDoneCallback(release);
        }
    }
}
