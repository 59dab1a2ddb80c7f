package org.asyncio4j.combinators;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.TimerHandle;

/**
 * {@code wait}: waits until some or all of a collection of futures are done, or a timeout
 * passes, and tells which are done (asyncio's {@code asyncio.wait}).
 *
 * <pre>{@code
 * WaitResult<Task<String>> r = AsyncIO.wait(List.of(a, b, c), 10, AsyncIO.FIRST_COMPLETED);
 * }</pre>
 *
 * <p>Unlike {@link WaitFor#waitFor waitFor}, {@code wait} never cancels anything and never
 * raises {@code TimeoutError}: the futures still pending at the timeout are returned in
 * {@link WaitResult#pending()} and go on running. It never raises the futures' exceptions
 * either; look at each done future.
 *
 * <p>Call it qualified, {@code AsyncIO.wait(...)} or {@code Wait.wait(...)}: every Java
 * class inherits {@link Object#wait()}, and that member hides a static import of the same
 * name, so an unqualified {@code wait(futures)} does not compile inside a class.
 *
 * <p>Implementation overview (as asyncio's {@code _wait}): one done callback, shared by
 * every future, counts completions and completes a private waiter future when the
 * {@link ReturnWhen} condition holds; a timer completes it at the timeout. The task awaits
 * the waiter, then removes the callback from every future and cancels the timer, however
 * the await ended. Done callbacks run at the loop iteration after a future completes, so
 * {@code wait} always suspends at least once, even when every future is already done.
 */
public final class Wait {
    private Wait() {
    }

    /**
     * Suspending: waits for {@code futures} until {@code returnWhen} holds or
     * {@code timeout} seconds pass (asyncio's
     * {@code asyncio.wait(fs, timeout=..., return_when=...)}).
     *
     * <p>Cancellation: {@link CancelledError} is raised here; the futures are not
     * cancelled and keep running, and {@code wait} leaves no callback on them.
     *
     * @param futures the futures or tasks, of the running loop; duplicates count once
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none (asyncio's
     *     {@code None}); zero or negative returns at the next loop iteration with whatever
     *     is done by then
     * @param returnWhen when to return
     * @param <F> the future type
     * @return the done and the pending futures, in the order given
     * @throws IllegalArgumentException if {@code futures} is empty, contains a future of
     *     another loop, or {@code timeout} is NaN
     * @throws NullPointerException if {@code futures} or {@code returnWhen} is null, or
     *     {@code futures} contains null
     * @throws IllegalStateException if called outside a task
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures, double timeout,
            ReturnWhen returnWhen) {
        if (futures == null) {
            throw new NullPointerException("wait(): futures must not be null");
        }
        if (returnWhen == null) {
            throw new NullPointerException("wait(): returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or "
                    + "ALL_COMPLETED, got null");
        }
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("wait(): the collection of futures is empty; pass at least one");
        }
        Checks.seconds(timeout, "timeout");
        Checks.currentTask("wait()");
        EventLoop loop = EventLoop.getRunningLoop();
        Checks.sameLoop("wait()", futures, loop);
        Set<F> fs = new LinkedHashSet<>(futures);

        Future<Void> waiter = loop.createFuture();
        TimerHandle timer = timeout == Double.POSITIVE_INFINITY ? null : loop.callLater(timeout, () -> release(waiter));
        Consumer<Future<?>> onCompletion = new Consumer<>() {
            private int left = fs.size();

            @Override
            public void accept(Future<?> f) {
                left--;
                if (left <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                        || (returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null)) {
                    if (timer != null) {
                        timer.cancel();
                    }
                    release(waiter);
                }
            }
        };
        for (F f : fs) {
            f.addDoneCallback(onCompletion);
        }
        try {
            waiter.await();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (F f : fs) {
                f.removeDoneCallback(onCompletion);
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> pending = new LinkedHashSet<>();
        for (F f : fs) {
            (f.done() ? done : pending).add(f);
        }
        return new WaitResult<>(done, pending);
    }

    /**
     * Suspending: {@link #wait(Collection, double, ReturnWhen)} until every future is done
     * ({@code ALL_COMPLETED}), without timeout.
     *
     * <p>Cancellation: as for {@link #wait(Collection, double, ReturnWhen)}; nothing is
     * cancelled but the wait.
     *
     * @param futures the futures or tasks, of the running loop
     * @param <F> the future type
     * @return the done and the pending (here: no) futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures) {
        return wait(futures, Double.POSITIVE_INFINITY, ReturnWhen.ALL_COMPLETED);
    }

    private static void release(Future<Void> waiter) {
        if (!waiter.done()) {
            waiter.setResult(null);
        }
    }
}
