package org.asyncio4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * {@link AsyncIOTest} and {@link AsyncIOExtension}, through JUnit's engine test kit: each
 * test runs one class of {@link Fixtures} and checks what JUnit reported.
 */
@Timeout(60)
class AsyncIOExtensionTest {
    /** The first seed in 1..100 under which {@link Fixtures#withdrawTwice()} fails. */
    static final long FIRST_FAILING_SEED = 1;

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    private static void assertPasses(Class<?> fixture) {
        Events events = run(fixture);
        events.failed().stream().forEach(e -> {
            throw new AssertionError("fixture failed", e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElse(null));
        });
        events.assertStatistics(s -> s.started(1).succeeded(1));
    }

    /** Runs a fixture of one test that must fail, and returns its failure. */
    private static Throwable failureOf(Class<?> fixture) {
        Events events = run(fixture);
        events.assertStatistics(s -> s.started(1).failed(1));
        return events.failed().list().get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    private static void assertMessageHas(Throwable t, String... parts) {
        String m = String.valueOf(t.getMessage());
        for (String p : parts) {
            assertTrue(m.contains(p), "message lacks \"" + p + "\": " + m);
        }
    }

    @Test
    void runsUnderTheEngineTheBuildAsksFor() {
        String expected = System.getProperty("asyncio4j.test.expectEngine");
        assumeTrue(expected != null, "run through the build, which sets asyncio4j.test.expectEngine");
        assertEquals(expected, Task.engineName());
    }

    @Test
    void aTestRunsAsTheMainTaskInVirtualTimeWithTheLoopAndClockInjected() {
        assertPasses(Fixtures.Passes.class);
    }

    @Test
    void extendWithAloneAppliesTheDefaults() {
        assertPasses(Fixtures.ExtendedWithDefaults.class);
    }

    @Test
    void realTimeRunsOnTheSystemClock() {
        assertPasses(Fixtures.RealTime.class);
    }

    @Test
    void aRealTimeTestCannotTakeAVirtualClock() {
        assertMessageHas(failureOf(Fixtures.RealTimeWithAVirtualClock.class), "realTime @AsyncIOTest has no VirtualClock");
    }

    @Test
    void aTaskLeftPendingFailsTheTestNamingIt() {
        Throwable t = failureOf(Fixtures.LeavesATaskPending.class);
        assertInstanceOf(AssertionError.class, t);
        assertMessageHas(t, "left 1 task pending", "forgotten-task");
    }

    @Test
    void aTimerLeftScheduledFailsTheTestNamingIt() {
        assertMessageHas(failureOf(Fixtures.LeavesATimer.class), "left 1 callback or timers scheduled", "TimerHandle when=5.0");
    }

    @Test
    void anExceptionHandlerCallFailsTheTestWithTheExceptionAsCause() {
        Throwable t = failureOf(Fixtures.ACallbackFails.class);
        assertMessageHas(t, "exception handler was called 1 time", "boom in a callback");
        assertInstanceOf(IllegalStateException.class, t.getCause());
    }

    @Test
    void aTestThatWaitsForeverTimesOutInVirtualTimeAtOnce() {
        long t0 = System.nanoTime();
        Throwable t = failureOf(Fixtures.WaitsForever.class);
        assertMessageHas(t, "timed out", "5.0 s of virtual time");
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "took real time");
    }

    @Test
    void aTestThatBlocksTheLoopThreadIsReportedBlockedWithItsStack() {
        long t0 = System.nanoTime();
        Throwable t = failureOf(Fixtures.BlocksTheLoop.class);
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the watchdog did not cut the test short");
        assertMessageHas(t, "blocked: the loop thread", "0.5 s of real time");
        Throwable stack = t.getSuppressed().length > 0 ? t.getSuppressed()[0] : t.getCause();
        assertTrue(Arrays.stream(stack.getStackTrace()).anyMatch(f -> f.getMethodName().contains("sleep")),
                "the reported stack shows the blocking call: " + Arrays.toString(stack.getStackTrace()));
    }

    @Test
    void aTestThatWaitsForeverWithoutATimerIsReportedIdle() {
        assertMessageHas(failureOf(Fixtures.WaitsForeverWithoutATimer.class), "idle: the loop waits", "0.5 s of real time");
    }

    @Test
    void aTestThatRunsItsOwnLoopGetsAClearError() {
        Throwable t = failureOf(Fixtures.RunsItsOwnLoop.class);
        assertMessageHas(t, "ran an event loop of its own", "await the code directly");
        assertInstanceOf(IllegalStateException.class, t.getCause());
    }

    @Test
    void aPlainRunNeverShowsTheRace() {
        for (int i = 0; i < 5; i++) {
            assertPasses(Fixtures.RacePlain.class);
        }
    }

    @Test
    void fuzzingFindsTheRaceAndNamesTheSeedThatReplaysIt() {
        Throwable t = failureOf(Fixtures.RaceFuzzed.class);
        assertMessageHas(t, "failed under schedule seed " + FIRST_FAILING_SEED + " ",
                "@AsyncIOTest(seed = " + FIRST_FAILING_SEED + ")", "the balance went negative");
    }

    @Test
    void aFailingSeedThatDoesNotReplayIsReportedAsSuch() {
        Fixtures.FailsOnce.RUNS.set(0);
        Throwable t = failureOf(Fixtures.FailsOnce.class);
        assertMessageHas(t, "failed under schedule seed 1 ", "seed 1 does not replay", "real time, real I/O or other threads");
    }

    @Test
    void theSeedReplaysTheFailure() {
        for (int i = 0; i < 3; i++) {
            assertMessageHas(failureOf(Fixtures.RaceReplayed.class), "the balance went negative");
        }
    }

    @Test
    void theFailureIsReportedOnTheTestMethod() {
        Events events = run(Fixtures.LeavesATaskPending.class);
        MethodSource source = (MethodSource) events.failed().list().get(0).getTestDescriptor().getSource().orElseThrow();
        assertEquals("forgetsATask", source.getMethodName());
    }
}
