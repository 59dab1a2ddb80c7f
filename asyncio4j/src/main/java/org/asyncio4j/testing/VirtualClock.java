package org.asyncio4j.testing;

import java.time.Duration;
import org.asyncio4j.loop.Clock;
import org.asyncio4j.loop.EventLoop;

/**
 * A {@link Clock} that moves only when told to, or when its loop has nothing else to do:
 * the clock for deterministic tests of timeouts, retries and schedules (Trio's
 * {@code MockClock} with {@code autojump_threshold=0}, Tokio's {@code time::pause}). It has
 * no asyncio counterpart; asyncio's own tests patch {@code loop.time} instead.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock();
 * EventLoop loop = new EventLoop(clock);
 * loop.runUntilComplete(loop.createTask(() -> AsyncIO.sleep(3600)));   // returns at once
 * clock.time();                                                          // 3600.0
 * }</pre>
 *
 * <p>Time moves in two ways:
 * <ul>
 *   <li><b>auto-jump</b>: when the loop runs, has no callback ready and would wait for
 *       its next timer, the clock jumps straight to that timer's due time and the loop
 *       only polls for I/O. A one-hour timeout runs in microseconds, and timers still run
 *       in due-time order, so the interleaving is exactly the one real time would give.
 *       When no timer is scheduled at all, the clock does not move and the loop waits for
 *       real (for work posted from other threads, e.g. {@code toThread}).
 *   <li><b>{@link #advance}</b>: moves the clock forward explicitly; the loop runs the
 *       timers that became due at its next iteration.
 * </ul>
 *
 * <p>Because time jumps whenever the loop is idle, work that really takes wall-clock
 * time (a thread started with {@code toThread}, a real socket) races with virtual
 * timers: while the loop waits for it with a timer pending, the clock jumps to that timer.
 * Tests of such work should not depend on virtual timeouts firing after it.
 *
 * <p>Implementation overview: {@code now} is the virtual time in seconds. The loop calls
 * {@link #idle(double)} only when nothing is ready; auto-jump adds the wait the loop asked
 * for to {@code now} and returns 0 (poll, don't block). While {@link VirtualTimeLoop#runUntilIdle()}
 * runs, {@code stopWhenIdle} names the loop, and being idle stops that loop instead of
 * jumping. Use one clock per loop; call {@link #advance} on the loop's thread or while the
 * loop is not running.
 */
public final class VirtualClock implements Clock {
    /** The virtual time, in seconds. */
    private volatile double now;
    /** While set, being idle stops this loop instead of moving time (runUntilIdle). */
    private EventLoop stopWhenIdle;
    /** How many times the clock jumped forward by itself, for tests and reprs. */
    private long jumps;

    /** A clock that starts at loop time 0. */
    public VirtualClock() {
        this(0.0);
    }

    /**
     * A clock that starts at loop time {@code start}.
     *
     * @param start the initial time, in seconds; finite
     * @throws IllegalArgumentException if {@code start} is NaN or infinite
     */
    public VirtualClock(double start) {
        if (!Double.isFinite(start)) {
            throw new IllegalArgumentException("start must be a finite number of seconds, got " + start);
        }
        this.now = start;
    }

    /** @return the virtual time, in seconds */
    @Override
    public double time() {
        return now;
    }

    /**
     * Called by the loop when nothing is ready: jumps to the next timer (auto-jump) and
     * returns 0, or, with no timer scheduled, leaves the time alone and lets the loop wait
     * for real. During {@link VirtualTimeLoop#runUntilIdle()} it stops the loop instead.
     *
     * @param timeout the wait the loop would do, in seconds, greater than 0
     * @return the real wait the loop should do, in seconds
     */
    @Override
    public double idle(double timeout) {
        EventLoop stop = stopWhenIdle;
        if (stop != null) {
            stop.stop();
            return 0;
        }
        if (timeout == Double.POSITIVE_INFINITY) {
            return timeout;
        }
        now += timeout;
        jumps++;
        return 0;
    }

    /**
     * Moves the clock forward by {@code seconds}. Timers that become due run at the loop's
     * next iteration; nothing runs inside this call.
     *
     * @param seconds how far, in seconds; zero or more
     * @throws IllegalArgumentException if {@code seconds} is negative, NaN or infinite
     */
    public void advance(double seconds) {
        if (!(seconds >= 0) || seconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("advance() needs a finite number of seconds >= 0, got " + seconds
                    + ": a clock never goes back");
        }
        now += seconds;
    }

    /**
     * {@link #advance(double)} with a {@link Duration}.
     *
     * @param duration how far; not negative
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("advance() needs a duration >= 0, got " + duration);
        }
        advance(duration.toNanos() * 1e-9);
    }

    /** @return how many times the clock jumped forward by itself to a timer */
    public long jumps() {
        return jumps;
    }

    /** Used by {@link VirtualTimeLoop#runUntilIdle()}: stop {@code loop} when idle, or {@code null}. */
    void stopWhenIdle(EventLoop loop) {
        this.stopWhenIdle = loop;
    }

    @Override
    public String toString() {
        return "<VirtualClock time=" + now + " jumps=" + jumps + ">";
    }
}
