package org.asyncio4j.combinators;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.TimerHandle;

/**
 * Futures in the order they complete, for a plain {@code for} loop inside a task
 * (asyncio's {@code asyncio.as_completed}, in the form Python 3.13 gives
 * {@code async for}: it yields the original futures, each already done).
 *
 * <pre>{@code
 * // asyncio:  async for t in asyncio.as_completed(tasks, timeout=10): print(t.result())
 * for (Task<String> t : AsyncIO.asCompleted(tasks, 10)) {
 *     System.out.println(t.result());   // done: result() does not suspend; it may throw
 * }
 * }</pre>
 *
 * <p>{@link #next()} suspends the calling task until the next future is done; a future
 * that was already done when this iterator was made is yielded at the first call.
 * {@link #hasNext()} never suspends: it is true while fewer futures have been yielded than
 * were given (duplicates count once). When the timeout passes first, each remaining
 * {@code next()} raises {@link TimeoutError}; the futures still pending are not cancelled.
 * The timeout is counted from the call to {@code asCompleted}, not from the first
 * {@code next()}.
 *
 * <p>It is both the {@link Iterable} and its {@link Iterator}, and can be iterated once,
 * like {@link java.nio.file.DirectoryStream}.
 *
 * <p>Implementation overview: one done callback, shared by every future, moves a finished
 * future from {@code todo} to the {@code done} queue and wakes the task parked in
 * {@code next()} (at most one: the iterator is used by one task). The timeout removes the
 * callback from the futures still in {@code todo} and queues one {@code TIMED_OUT} marker
 * for each of them. {@code left} counts what {@code next()} has still to hand out; it is
 * decremented only when an item is taken, so a cancelled {@code next()} consumes nothing.
 *
 * @param <F> the future type
 */
public final class AsCompleted<F extends Future<?>> implements Iterable<F>, Iterator<F> {
    /** Queued in place of each future still pending when the timeout passed. */
    private static final Object TIMED_OUT = new Object();

    private final EventLoop loop;
    /** Futures given and not yet finished (emptied at the timeout). */
    private final Set<F> todo;
    /** Finished futures (and TIMED_OUT markers) not yet handed out, in completion order. */
    private final ArrayDeque<Object> done = new ArrayDeque<>();
    private final Consumer<Future<?>> onCompletion = this::handleCompletion;
    private final double timeout;
    private TimerHandle timeoutHandle;
    /** The future the task waiting in next() is parked on, or null. */
    private Future<Void> waiter;
    /** Items next() has still to hand out. */
    private int left;
    private boolean iteratorTaken;

    /**
     * Starts watching {@code futures} (asyncio's {@code as_completed(fs, timeout=...)}).
     * Most code calls {@code AsyncIO.asCompleted}.
     *
     * @param futures futures or tasks of the running loop; may be empty
     * @param timeout seconds from now; {@link Double#POSITIVE_INFINITY} for none
     * @throws IllegalArgumentException if a future belongs to another loop, or
     *     {@code timeout} is NaN
     * @throws IllegalStateException if no loop is running on this thread
     */
    public AsCompleted(Collection<? extends F> futures, double timeout) {
        if (futures == null) {
            throw new NullPointerException("asCompleted(): futures must not be null");
        }
        this.timeout = Checks.seconds(timeout, "timeout");
        this.loop = EventLoop.getRunningLoop();
        Checks.sameLoop("asCompleted()", futures, loop);
        this.todo = new LinkedHashSet<>(futures);
        this.left = todo.size();
        for (F f : todo) {
            f.addDoneCallback(onCompletion);
        }
        if (!todo.isEmpty() && timeout != Double.POSITIVE_INFINITY) {
            timeoutHandle = loop.callLater(timeout, this::handleTimeout);
        }
    }

    /**
     * @return this iterator
     * @throws IllegalStateException if called a second time: the futures are handed out once
     */
    @Override
    public Iterator<F> iterator() {
        if (iteratorTaken) {
            throw new IllegalStateException("asCompleted() can be iterated only once");
        }
        iteratorTaken = true;
        return this;
    }

    /** @return whether {@link #next()} has a future (or a timeout) left to hand out; never suspends */
    @Override
    public boolean hasNext() {
        return left > 0;
    }

    /**
     * Suspending: waits for the next future to be done and returns it.
     *
     * <p>Cancellation: {@link CancelledError} is raised here and nothing is consumed: the
     * next call picks up where this one left off. The futures are not cancelled.
     *
     * @return the next future to complete; it is done
     * @throws TimeoutError if the timeout passed before the next future was done
     * @throws NoSuchElementException if every future has been handed out
     * @throws IllegalStateException if it has to suspend outside a task, or another task is
     *     already waiting in {@code next()}
     */
    @Override
    @SuppressWarnings("unchecked")
    public F next() {
        if (left <= 0) {
            throw new NoSuchElementException("asCompleted(): every future has been handed out");
        }
        while (done.isEmpty()) {
            if (waiter != null) {
                throw new IllegalStateException("asCompleted(): another task is already waiting in next()");
            }
            Future<Void> w = loop.createFuture();
            waiter = w;
            try {
                w.await();
            } finally {
                waiter = null;
            }
        }
        Object item = done.poll();
        left--;
        if (item == TIMED_OUT) {
            throw new TimeoutError("asCompleted(): the timeout of " + timeout + " seconds passed before the next future was done");
        }
        return (F) item;
    }

    @SuppressWarnings("unchecked")
    private void handleCompletion(Future<?> f) {
        if (todo.isEmpty()) {
            return; // the timeout came first
        }
        todo.remove((F) f);
        done.add(f);
        wake();
        if (todo.isEmpty() && timeoutHandle != null) {
            timeoutHandle.cancel();
        }
    }

    private void handleTimeout() {
        for (F f : todo) {
            f.removeDoneCallback(onCompletion);
            done.add(TIMED_OUT);
        }
        todo.clear();
        wake();
    }

    private void wake() {
        Future<Void> w = waiter;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }

    @Override
    public String toString() {
        return "<AsCompleted left=" + left + " ready=" + done.size() + " pending=" + todo.size() + ">";
    }
}
