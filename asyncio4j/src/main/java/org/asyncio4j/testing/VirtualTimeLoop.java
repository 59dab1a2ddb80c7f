package org.asyncio4j.testing;

import java.time.Duration;
import org.asyncio4j.Runner;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.loop.EventLoop;

/**
 * An ordinary {@link EventLoop} on a {@link VirtualClock}, with the controls a test needs:
 * run a main coroutine in virtual time, {@link #advance} the clock, and
 * {@link #runUntilIdle()} (no asyncio counterpart; the shape of Trio's {@code MockClock},
 * Tokio's paused time and Kotlin's {@code TestCoroutineScheduler}).
 *
 * <pre>{@code
 * // a one-hour timeout, tested in microseconds
 * VirtualTimeLoop.runMain(() -> {
 *     assertThrows(TimeoutError.class, () -> AsyncIO.timeout(3600, () -> AsyncIO.sleep(7200)));
 *     assertEquals(3600.0, AsyncIO.getRunningLoop().time());
 * });
 *
 * // step by step
 * try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
 *     Future<String> f = vt.loop().createFuture();
 *     vt.loop().callLater(10, () -> f.setResult("ten"));
 *     vt.runUntilIdle();   // nothing due yet
 *     vt.advance(10);
 *     vt.runUntilIdle();   // the timer ran
 *     assertEquals("ten", f.result());
 * }
 * }</pre>
 *
 * <p>While {@link #run} (or {@link EventLoop#runUntilComplete}) runs the loop, the clock
 * jumps to the next timer whenever nothing is ready (see {@link VirtualClock}), so every
 * schedule runs in due-time order and deterministically. {@link #runUntilIdle()} runs the
 * loop without moving the clock and returns as soon as nothing is ready.
 *
 * <p>Implementation overview: a thin owner of one loop and its clock. Everything goes
 * through the loop's public API; {@link #runUntilIdle()} asks the clock to stop the loop at
 * the first moment the loop would wait (the loop only consults its clock then).
 * A {@link Runner} on the virtual clock owns the loop, so {@link #close()} shuts down
 * exactly as {@code AsyncIO.run} does.
 */
public final class VirtualTimeLoop implements AutoCloseable {
    private final VirtualClock clock;
    private final Runner runner;
    private final EventLoop loop;

    /** A loop on a new {@link VirtualClock} starting at time 0. */
    public VirtualTimeLoop() {
        this(new VirtualClock());
    }

    /**
     * A loop on {@code clock}; the clock must not drive another loop.
     *
     * @param clock the virtual clock
     */
    public VirtualTimeLoop(VirtualClock clock) {
        if (clock == null) {
            throw new NullPointerException("clock must not be null");
        }
        this.clock = clock;
        this.runner = new Runner(false, () -> new EventLoop(clock));
        this.loop = runner.getLoop();
    }

    /**
     * Runs {@code main} on a new virtual-time loop and closes it: {@code AsyncIO.run} in
     * virtual time.
     *
     * @param main the main coroutine
     * @param <T> the result type
     * @param <E> the checked exception {@code main} may throw (see {@link CheckedCallable})
     * @return what {@code main} returned
     * @throws E what {@code main} threw, unchanged
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T, E extends Exception> T runMain(CheckedCallable<T, E> main) throws E {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            return vt.run(main);
        }
    }

    /**
     * {@link #runMain(CheckedCallable)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     * @param <E> the checked exception {@code main} may throw
     * @throws E what {@code main} threw, unchanged
     */
    public static <E extends Exception> void runMain(CheckedRunnable<E> main) throws E {
        runMain(CheckedCallable.of(main));
    }

    /** @return the loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return the loop's clock */
    public VirtualClock clock() {
        return clock;
    }

    /** @return the loop's current (virtual) time, in seconds */
    public double time() {
        return clock.time();
    }

    /**
     * Runs {@code main} as a task until it is done, the clock jumping from timer to timer
     * whenever the loop is idle, and returns its result. Tasks it leaves running stay on the
     * loop until {@link #close()}.
     *
     * @param main the coroutine
     * @param <T> the result type
     * @param <E> the checked exception {@code main} may throw
     * @return what {@code main} returned
     * @throws E what {@code main} threw, unchanged
     * @throws IllegalStateException if the loop is closed or running, or another loop runs on
     *     this thread
     */
    public <T, E extends Exception> T run(CheckedCallable<T, E> main) throws E {
        if (main == null) {
            throw new NullPointerException("main must not be null");
        }
        return runner.run(main);
    }

    /**
     * {@link #run(CheckedCallable)} for a coroutine that returns nothing.
     *
     * @param main the coroutine
     * @param <E> the checked exception {@code main} may throw
     * @throws E what {@code main} threw, unchanged
     */
    public <E extends Exception> void run(CheckedRunnable<E> main) throws E {
        run(CheckedCallable.of(main));
    }

    /**
     * Moves the clock forward by {@code seconds}; the timers that became due run at the
     * next iteration (for example in the next {@link #runUntilIdle()}).
     *
     * @param seconds how far; zero or more, finite
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     */
    public void advance(double seconds) {
        clock.advance(seconds);
    }

    /**
     * {@link #advance(double)} with a {@link Duration}.
     *
     * @param duration how far; not negative
     */
    public void advance(Duration duration) {
        clock.advance(duration);
    }

    /**
     * Runs the loop, without moving the clock, until nothing is ready: every callback that
     * is ready, every timer already due, and everything they schedule for now, but no timer
     * in the future. Work still running on other threads does not count: its result is
     * picked up by a later run. A task that yields forever ({@code sleep(0)} in a loop)
     * keeps this call from returning.
     *
     * @throws IllegalStateException if the loop is closed or already running
     */
    public void runUntilIdle() {
        clock.stopWhenIdle(loop);
        try {
            loop.runForever();
        } finally {
            clock.stopWhenIdle(null);
        }
    }

    /**
     * Cancels the tasks still pending and lets them finish (in virtual time), reports any
     * that failed with something other than a cancellation to the loop's exception handler,
     * shuts the default executor down and closes the loop: what {@link Runner#close()} does.
     * Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        runner.close();
    }

    @Override
    public String toString() {
        return "<VirtualTimeLoop time=" + clock.time() + " " + loop + ">";
    }
}
