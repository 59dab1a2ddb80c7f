package org.asyncio4j;

import org.asyncio4j.loop.Clock;

/**
 * A virtual clock for kernel tests: time stands still while callbacks run, and when the
 * loop would wait for the next timer it jumps straight to it, so timer tests are exact and
 * take no real time. With nothing scheduled at all the loop really waits (it must be
 * woken by {@code callSoonThreadsafe} or I/O), as on the system clock.
 */
public final class ManualClock implements Clock {
    private double now;

    /** A clock at time 0. */
    public ManualClock() {
    }

    @Override
    public double time() {
        return now;
    }

    @Override
    public double idle(double timeout) {
        if (timeout == Double.POSITIVE_INFINITY) {
            return timeout;
        }
        now += timeout;
        return 0;
    }

    /**
     * Moves the clock forward.
     *
     * @param seconds how far
     */
    public void advance(double seconds) {
        now += seconds;
    }
}
