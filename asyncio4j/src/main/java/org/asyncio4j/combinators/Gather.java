package org.asyncio4j.combinators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;

/**
 * {@code gather}: one future for the results of many (asyncio's {@code asyncio.gather}).
 *
 * <p>Without {@code returnExceptions}, the first child to fail (or be cancelled) completes
 * the gathering future with that exception at once; the other children go on running.
 * With it, every child's exception (or a {@link CancelledError} for a cancelled child)
 * takes that child's place in the result list. Cancelling the gathering future cancels
 * every child that is not done; it then completes with {@link CancelledError} once they
 * are all done. A future given twice appears twice in the results.
 *
 * <p>Implementation overview: one done callback per argument (a future given twice gets
 * two) counts finished children, all in one shared copy of the caller's context (the
 * callback reads no context variable); the last one builds the result list in argument
 * order. No identity map of distinct children: with 200,000 tasks its hashing and resizes
 * cost a third of {@code spawn} (JFR, JDK 25). Children that finish
 * after the gathering future is done have their exceptions marked retrieved, so they are
 * not reported as lost.
 */
public final class Gather {
    private Gather() {
    }

    /**
     * Gathers the results of {@code futures}, in order.
     *
     * @param returnExceptions whether exceptions take their child's place in the results
     *     instead of failing the whole
     * @param futures futures (or tasks) of one loop
     * @return a future of the list of results
     * @throws IllegalArgumentException if the futures belong to different loops
     * @throws IllegalStateException if {@code futures} is empty and no loop is running
     */
    public static Future<List<Object>> gather(boolean returnExceptions, List<? extends Future<?>> futures) {
        return start(returnExceptions, futures);
    }

    /**
     * Gathers the results of {@code futures}, in order; the first failure fails the whole.
     *
     * @param futures futures (or tasks) of one loop
     * @param <T> the common result type
     * @return a future of the list of results
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<List<T>> gather(List<? extends Future<? extends T>> futures) {
        return (Future<List<T>>) (Future<?>) start(false, futures);
    }

    /**
     * Wraps each coroutine in a task of the running loop and gathers their results, in order.
     *
     * @param coros the coroutines
     * @param <T> the common result type
     * @return a future of the list of results
     * @throws IllegalStateException if no loop is running
     */
    @SafeVarargs
    public static <T> Future<List<T>> gatherCoroutines(Coroutine<? extends T>... coros) {
        EventLoop loop = EventLoop.getRunningLoop();
        List<Future<? extends T>> tasks = new ArrayList<>(coros.length);
        for (Coroutine<? extends T> c : coros) {
            tasks.add(loop.createTask(c));
        }
        return gather(tasks);
    }

    /**
     * Like {@link #gather(List)} for an array of futures.
     *
     * @param futures futures (or tasks) of one loop
     * @param <T> the common result type
     * @return a future of the list of results
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return gather(Arrays.asList(futures));
    }

    private static Future<List<Object>> start(boolean returnExceptions, List<? extends Future<?>> given) {
        // A snapshot, as asyncio's gather keeps its own list of children: the caller may
        // reuse or clear its list while the gather is pending.
        List<? extends Future<?>> futures = new ArrayList<>(given);
        if (futures.isEmpty()) {
            Future<List<Object>> empty = EventLoop.getRunningLoop().createFuture();
            empty.setResult(new ArrayList<>());
            return empty;
        }
        EventLoop loop = futures.get(0).getLoop();
        for (Future<?> f : futures) {
            if (f.getLoop() != loop) {
                throw new IllegalArgumentException("gather: " + f + " belongs to a different loop than " + futures.get(0));
            }
        }
        GatheringFuture outer = new GatheringFuture(loop, futures, futures.size(), returnExceptions);
        Context context = Context.copyContext();
        for (Future<?> f : futures) {
            addCallback(f, outer, context);
        }
        return outer;
    }

    @SuppressWarnings("unchecked")
    private static <X> void addCallback(Future<X> f, GatheringFuture outer, Context context) {
        // the outer future is recorded as the child's waiter, for call graphs
        f.addAwaitingCallback((Consumer<? super Future<X>>) (Consumer<?>) outer.onChildDone, outer, context);
    }

    /** The future {@code gather} returns: its cancel cancels the children. */
    private static final class GatheringFuture extends Future<List<Object>> {
        private final List<? extends Future<?>> children;
        private final int distinct;
        private final boolean returnExceptions;
        private int finished;
        private boolean cancelRequested;
        final Consumer<Future<?>> onChildDone = this::childDone;

        GatheringFuture(EventLoop loop, List<? extends Future<?>> children, int distinct, boolean returnExceptions) {
            super(loop);
            this.children = children;
            this.distinct = distinct;
            this.returnExceptions = returnExceptions;
        }

        @Override
        public boolean cancel(String msg) {
            getLoop().checkThread("gather(...).cancel()");
            if (done()) {
                return false;
            }
            boolean any = false;
            for (Future<?> child : children) {
                if (child.cancel(msg)) {
                    any = true;
                }
            }
            if (any) {
                // completes with CancelledError once every child is done
                cancelRequested = true;
            }
            return any;
        }

        private void childDone(Future<?> child) {
            finished++;
            if (done()) {
                if (!child.cancelled()) {
                    child.exception(); // mark it retrieved: gather has reported its outcome already
                }
                return;
            }
            if (!returnExceptions) {
                Throwable failure = outcomeError(child);
                if (failure != null) {
                    setException(failure);
                    return;
                }
            }
            if (finished < distinct) {
                return;
            }
            if (cancelRequested) {
                setException(outcomeError(child) instanceof CancelledError ce ? ce : new CancelledError());
                return;
            }
            List<Object> results = new ArrayList<>(children.size());
            for (Future<?> f : children) {
                Throwable e = outcomeError(f);
                results.add(e != null ? e : f.result());
            }
            setResult(Collections.unmodifiableList(results));
        }

        /** The child's exception, its CancelledError if cancelled, or null. */
        private static Throwable outcomeError(Future<?> f) {
            try {
                return f.exception();
            } catch (CancelledError e) {
                return e;
            }
        }

        @Override
        public String toString() {
            return "<GatheringFuture " + (done() ? (cancelled() ? "cancelled" : "finished") : "pending") + " children="
                    + children.size() + " finished=" + finished + ">";
        }
    }
}
