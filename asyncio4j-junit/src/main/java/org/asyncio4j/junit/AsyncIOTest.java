package org.asyncio4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test method that runs as the main task of a fresh asyncio4j event loop
 * (what {@code AsyncIO.run} does for a program; pytest-asyncio's
 * {@code @pytest.mark.asyncio}, with the leak checks of Trio's and asyncio's own test
 * suites). It is a {@link Test} and registers {@link AsyncIOExtension}.
 *
 * <pre>{@code
 * @AsyncIOTest
 * void retriesAfterAnHour(EventLoop loop, VirtualClock clock) {
 *     Task<String> t = loop.createTask(() -> client.fetchWithRetry(url));
 *     AsyncIO.sleep(3600);                  // virtual: returns at once
 *     assertEquals("ok", t.await());
 * }
 * }</pre>
 *
 * <p>By default the loop runs on a {@link org.asyncio4j.testing.VirtualClock}: sleeps and
 * timeouts take no real time and every run is the same. The test fails, naming what was
 * left, when it leaves tasks pending, callbacks or timers scheduled, or when the loop's
 * exception handler was called (a failing callback, an exception nobody retrieved). See
 * {@link AsyncIOExtension} for all the rules.
 *
 * <p>Schedule fuzzing: {@code seeds = 100} runs the test 100 times, each on a fresh loop
 * whose task wake-ups are perturbed by a {@link org.asyncio4j.testing.ScheduleFuzzer}
 * seeded 1 to 100; the first failing seed is reported with the line that replays it,
 * {@code @AsyncIOTest(seed = 17)}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(AsyncIOExtension.class)
public @interface AsyncIOTest {
    /** The value of {@link #seed()} that means "no schedule fuzzing". */
    long NO_SEED = Long.MIN_VALUE;

    /**
     * @return whether the loop runs on the system clock instead of a virtual one (for tests
     *     that wait for real work: threads, sockets, subprocesses)
     */
    boolean realTime() default false;

    /**
     * @return the time the test may take, in seconds of the loop's clock (virtual unless
     *     {@link #realTime()}); none by default, as a test in virtual time may well sleep for
     *     hours (the watchdog's {@link #realTimeLimit()} still bounds every test in wall-clock
     *     time). On expiry the main task is cancelled and the test fails as timed out.
     */
    double timeout() default Double.POSITIVE_INFINITY;

    /**
     * @return the wall-clock seconds after which the test is reported as blocked, with the
     *     loop thread's stack, and abandoned (a watchdog: a task that blocks the loop thread
     *     for real must not hang the build)
     */
    double realTimeLimit() default 60;

    /**
     * @return how many schedule-fuzzing runs to make, seeded 1 to {@code seeds}; 0 for one
     *     plain run
     */
    int seeds() default 0;

    /** @return the seed of one schedule-fuzzing run, to replay a failure; {@link #NO_SEED} for none */
    long seed() default NO_SEED;
}
