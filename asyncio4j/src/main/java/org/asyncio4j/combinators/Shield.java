package org.asyncio4j.combinators;

import java.util.function.Consumer;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;

/**
 * {@code shield}: protects a future from the cancellation of whoever awaits it (asyncio's
 * {@code asyncio.shield}).
 *
 * <pre>{@code
 * // asyncio:  res = await asyncio.shield(something())
 * String res = AsyncIO.shield(task).await();
 * }</pre>
 *
 * <p>{@code shield(inner)} returns an outer future that completes like {@code inner}. If
 * the task awaiting the outer future is cancelled, only the outer future is cancelled: the
 * awaiting task gets {@code CancelledError}, and {@code inner} runs on to completion.
 * Cancelling {@code inner} itself (from inside, or by someone holding it) cancels the outer
 * future too. Keep a reference to {@code inner} if its outcome matters after a
 * cancellation: the outer future no longer reports it, and, as in asyncio, an exception
 * {@code inner} raises later is reported to the loop's exception handler as never
 * retrieved unless someone retrieves it.
 *
 * <p>Implementation overview (as asyncio): a done callback on {@code inner} copies its
 * outcome to the outer future unless that is cancelled; a done callback on the outer
 * future removes the first callback if {@code inner} is still pending. A future that is
 * already done is returned as it is.
 */
public final class Shield {
    private Shield() {
    }

    /**
     * A future that completes like {@code inner} but whose cancellation does not reach it
     * (asyncio's {@code asyncio.shield(fut)}).
     *
     * @param inner the future or task to protect
     * @param <T> the result type
     * @return {@code inner} itself if it is done, else a new future of its loop
     */
    public static <T> Future<T> shield(Future<T> inner) {
        if (inner == null) {
            throw new NullPointerException("shield(): the future must not be null");
        }
        if (inner.done()) {
            return inner;
        }
        Future<T> outer = inner.getLoop().createFuture();
        Consumer<Future<T>> innerDone = i -> {
            if (outer.cancelled()) {
                if (!i.cancelled()) {
                    i.exception(); // nobody will see it: mark it retrieved
                }
                return;
            }
            if (i.cancelled()) {
                outer.cancel();
                return;
            }
            Throwable e = i.exception();
            if (e != null) {
                outer.setException(e);
            } else {
                outer.setResult(i.result());
            }
        };
        inner.addDoneCallback(innerDone);
        outer.addDoneCallback(o -> {
            if (!inner.done()) {
                inner.removeDoneCallback(innerDone);
            }
        });
        return outer;
    }

    /**
     * Wraps {@code coro} in a task of the running loop and shields it (asyncio's
     * {@code asyncio.shield(coro)}).
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the outer future
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> Future<T> shield(Coroutine<T> coro) {
        if (coro == null) {
            throw new NullPointerException("shield(): the coroutine must not be null");
        }
        return shield(EventLoop.getRunningLoop().createTask(coro));
    }
}
