package org.asyncio4j.testing;

import java.util.Random;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.WakeUpHook;

/**
 * Schedule fuzzing: a {@link WakeUpHook} that, driven by a seed, delays the resumption of
 * tasks by a few loop iterations, so that a test run under many seeds meets interleavings
 * a plain run never shows (in the spirit of Trio's and Tokio's {@code loom}-style schedule
 * exploration; asyncio has no counterpart). The same seed gives exactly the same schedule
 * for a deterministic program (virtual time, no real I/O), so a failure is replayed from
 * its seed alone.
 *
 * <pre>{@code
 * try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
 *     ScheduleFuzzer.install(vt.loop(), 12345);
 *     vt.run(() -> codeUnderTest());
 * }
 * }</pre>
 *
 * <h2>What may change, and what never does</h2>
 * Only one thing is perturbed: when a task whose awaited future completed resumes. Each
 * such wake-up is, with probability one half, delayed by 1 to {@value #MAX_EXTRA_ITERATIONS}
 * extra loop iterations. A delay is always a legal schedule: it is what the program would
 * see if that future had completed a little later, or the loop had been busier. So the
 * relative order of tasks woken in the same iteration by <em>different</em> futures, which
 * no program may rely on, varies. What asyncio guarantees is kept:
 * <ul>
 *   <li>callbacks scheduled with {@code callSoon} run in FIFO order, and plain done
 *       callbacks are never delayed;
 *   <li>tasks woken by the <em>same</em> future resume in the order they started waiting
 *       (their delays never decrease along that order);
 *   <li>timers run in due-time order; {@code sleep(0)} and awaiting a done future behave
 *       as without fuzzing; a cancellation is delivered at the same await.
 * </ul>
 *
 * <p>Implementation overview: a seeded {@link Random} draws once or twice per wake-up, in
 * program order, so the schedule is a function of the seed. A delayed step is re-posted
 * with {@code callSoon} once per extra iteration, in the task's context. {@code lastAwaited}
 * and {@code lastDelay} remember the previous wake-up: the wake-ups of one future's waiters
 * are made one after the other while it completes, so a repeat of the same future is the
 * same batch, and its delay is raised to at least the previous one.
 */
public final class ScheduleFuzzer implements WakeUpHook {
    /** The longest delay of a wake-up, in extra loop iterations. */
    public static final int MAX_EXTRA_ITERATIONS = 3;

    private final long seed;
    private final Random random;
    /** The future of the previous wake-up, and the delay it got (monotone within a batch). */
    private Future<?> lastAwaited;
    private int lastDelay;
    private long wakeUps;
    private long delayed;

    /**
     * A fuzzer driven by {@code seed}; {@link #install} it on a loop.
     *
     * @param seed any value; the same seed gives the same schedule
     */
    public ScheduleFuzzer(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * Makes a fuzzer for {@code seed} and sets it as {@code loop}'s wake-up hook.
     *
     * @param loop the loop, not running or on its own thread
     * @param seed the seed
     * @return the fuzzer
     */
    public static ScheduleFuzzer install(EventLoop loop, long seed) {
        ScheduleFuzzer f = new ScheduleFuzzer(seed);
        loop.setWakeUpHook(f);
        return f;
    }

    /** @return the seed this fuzzer replays */
    public long seed() {
        return seed;
    }

    /** @return how many wake-ups went through this fuzzer */
    public long wakeUps() {
        return wakeUps;
    }

    /** @return how many of them were delayed */
    public long delayedWakeUps() {
        return delayed;
    }

    /**
     * Schedules {@code step} now or after a random number of extra iterations.
     *
     * @param task the task to resume
     * @param awaited the future it awaited
     * @param step the task's next step
     */
    @Override
    public void wakeUp(Task<?> task, Future<?> awaited, Runnable step) {
        wakeUps++;
        int delay = random.nextBoolean() ? 1 + random.nextInt(MAX_EXTRA_ITERATIONS) : 0;
        if (awaited != null && awaited == lastAwaited) {
            delay = Math.max(delay, lastDelay);
        }
        lastAwaited = awaited;
        lastDelay = delay;
        if (delay > 0) {
            delayed++;
        }
        post(task.getLoop(), step, task.getContext(), delay);
    }

    private static void post(EventLoop loop, Runnable step, Context context, int extraIterations) {
        if (extraIterations == 0) {
            loop.callSoon(step, context);
        } else {
            loop.callSoon(() -> post(loop, step, context, extraIterations - 1), context);
        }
    }

    @Override
    public String toString() {
        return "<ScheduleFuzzer seed=" + seed + " wakeUps=" + wakeUps + " delayed=" + delayed + ">";
    }
}
