package org.asyncio4j.loop;

/**
 * The loop's source of time: the seam that lets a test run a one-hour timeout in
 * microseconds. {@link #system()} reads {@link System#nanoTime()}; a virtual clock (see
 * the {@code testing} package) moves forward only when the loop lets it.
 */
public interface Clock {
    /**
     * @return the current time in seconds; only differences are meaningful
     */
    double time();

    /**
     * Called when the loop has nothing ready and would wait up to {@code timeout} seconds
     * for I/O or the next timer ({@link Double#POSITIVE_INFINITY} when no timer is
     * scheduled). Returns how long the loop should really wait. A real clock returns
     * {@code timeout}; a virtual clock jumps forward by {@code timeout} and returns 0 so
     * the loop only polls for I/O.
     *
     * @param timeout the wait the loop would do, in seconds, greater than 0
     * @return the wait the loop should do, in seconds
     */
    default double idle(double timeout) {
        return timeout;
    }

    /** @return the monotonic system clock, in seconds */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
