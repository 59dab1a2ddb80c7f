package org.asyncio4j.combinators;

import java.util.Collection;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/** Argument and state checks shared by the combinators, so each error has one shape. */
final class Checks {
    private Checks() {
    }

    /**
     * The task running on this thread.
     *
     * @param what the operation, for the message ("wait()", "Timeout.run()")
     * @throws IllegalStateException if no task is running
     */
    static Task<?> currentTask(String what) {
        EventLoop loop = EventLoop.peekRunningLoop();
        Task<?> task = loop == null ? null : loop.currentTask();
        if (task == null) {
            throw new IllegalStateException(what + " must be called inside a task, and none is running on thread "
                    + Thread.currentThread().getName() + ": run the code with AsyncIO.run(...) or createTask(...)");
        }
        return task;
    }

    /**
     * Checks a timeout or delay in seconds: NaN is always an error; negative values mean
     * "already expired" and {@link Double#POSITIVE_INFINITY} means "no timeout", as asyncio's
     * {@code None}.
     *
     * @param seconds the value
     * @param name the parameter's name, for the message
     * @return {@code seconds}
     */
    static double seconds(double seconds, String name) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(name + " must be a number of seconds (Double.POSITIVE_INFINITY for none), got NaN");
        }
        return seconds;
    }

    /**
     * Checks that every future is non-null and belongs to {@code loop}.
     *
     * @param what the operation, for the message
     */
    static void sameLoop(String what, Collection<? extends Future<?>> futures, EventLoop loop) {
        for (Future<?> f : futures) {
            if (f == null) {
                throw new NullPointerException(what + ": the collection of futures contains null");
            }
            if (f.getLoop() != loop) {
                throw new IllegalArgumentException(what + ": " + f + " belongs to a different loop than the running one");
            }
        }
    }
}
