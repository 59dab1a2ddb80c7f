package org.asyncio4j.future;

import org.asyncio4j.loop.EventLoop;

/**
 * The implementation of {@code AsyncIO.sleep} (asyncio's {@code asyncio.sleep}): it lives
 * beside {@link Task} because {@code sleep(0)} is the task's bare yield, which needs no
 * future at all.
 */
public final class Sleep {
    private Sleep() {
    }

    /**
     * Suspends the current task for {@code delay} seconds, then returns {@code result}.
     * {@code sleep(0)} (or a negative delay) gives the loop exactly one iteration.
     *
     * <p>Cancellation: the timer is cancelled and {@link CancelledError} is raised here;
     * nothing else is left behind.
     *
     * @param delay seconds; not NaN
     * @param result what to return
     * @param <T> the result type
     * @return {@code result}
     * @throws IllegalStateException if called outside a task
     * @throws IllegalArgumentException if {@code delay} is NaN
     */
    public static <T> T sleep(double delay, T result) {
        if (Double.isNaN(delay)) {
            throw new IllegalArgumentException("sleep delay must be a number of seconds, got NaN");
        }
        Task<?> task = Task.current(null, "sleep()");
        if (delay <= 0) {
            task.yieldOnce();
            return result;
        }
        EventLoop loop = task.getLoop();
        task.sleepUntil(loop.time() + delay);
        return result;
    }
}
