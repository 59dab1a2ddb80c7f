package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.loop.Clock;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.junit.jupiter.api.AfterEach;

/**
 * The fixture of the kernel tests that drive an {@link EventLoop} by hand: a fresh loop per
 * test whose exception handler records into {@link #handled}, and an {@code @AfterEach}
 * that closes the loop and fails the test if any error reached the handler (a test that
 * expects an error removes it from {@link #handled}).
 *
 * <pre>{@code
 * class HandleTest extends LoopFixture {
 *     @Test
 *     void aCallbackRuns() {
 *         List<String> ran = new ArrayList<>();
 *         loop.callSoon(() -> ran.add("x"));
 *         runOnce();
 *         assertEquals(List.of("x"), ran);
 *     }
 * }
 * }</pre>
 */
public abstract class LoopFixture {
    /** The loop under test, new for each test. */
    protected final EventLoop loop;
    /** What reached the loop's exception handler; a test that expects an error removes it. */
    protected final List<ExceptionContext> handled = new ArrayList<>();

    /** A loop on the system clock. */
    protected LoopFixture() {
        this(Clock.system());
    }

    /**
     * A loop on the given clock.
     *
     * @param clock the loop's clock, e.g. a {@link ManualClock}
     */
    protected LoopFixture(Clock clock) {
        loop = new EventLoop(clock);
        loop.setExceptionHandler((l, c) -> handled.add(c));
    }

    /**
     * Closes the loop and checks that no error was lost. A loop still running (only a test
     * that timed out leaves one, on its abandoned thread) cannot be closed, so it is left
     * open, the errors are still checked, and the test fails.
     */
    @AfterEach
    protected final void closeLoopAndCheckNoErrorWasLost() {
        boolean running = loop.isRunning();
        if (!running) {
            loop.close();
        }
        assertEquals(List.of(), handled, "errors reached the exception handler");
        assertFalse(running, "the test left the loop running");
    }

    /** Exactly one iteration: stop() before runForever() (asyncio's documented idiom). */
    protected final void runOnce() {
        loop.stop();
        loop.runForever();
    }
}
