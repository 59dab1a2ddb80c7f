package org.asyncio4j.future;

/**
 * The implementation of {@code AsyncIO.sleep} (asyncio's {@code asyncio.sleep}): it lives
 * beside {@link Task} because {@code sleep(0)} is the task's bare yield, which needs no
 * future at all.
 */
public final class Sleep {
    private Sleep() {
    }

    /**
     * Suspends the current task for {@code delay} seconds. {@code sleep(0)} (or a negative
     * delay) gives the loop exactly one iteration.
     *
     * <p>Cancellation: the timer is cancelled and {@link CancelledError} is raised here;
     * nothing else is left behind.
     *
     * @param delay seconds; not NaN
     * @throws IllegalStateException if called outside a task
     * @throws IllegalArgumentException if {@code delay} is NaN
     */
    public static void sleep(double delay) {
        if (Double.isNaN(delay)) {
            throw new IllegalArgumentException("sleep delay must be a number of seconds, got NaN");
        }
        Task<?> task = Task.current(null, "sleep()");
        if (delay <= 0) {
            task.yieldOnce();
        } else {
            task.sleepUntil(task.getLoop().time() + delay);
        }
    }

    /**
     * {@link #sleep(double)}, then returns {@code result}. Kept to six bytes of bytecode, as
     * {@code AsyncIO}'s forwarders are: C2 inlines a method that small at any call site,
     * even one that had never run when the caller was compiled, so a task's second
     * {@code sleep} parks in the same compiled frame as its first instead of one frame more.
     *
     * @param delay seconds; not NaN
     * @param result what to return
     * @param <T> the result type
     * @return {@code result}
     */
    public static <T> T sleep(double delay, T result) {
        sleep(delay);
        return result;
    }
}
