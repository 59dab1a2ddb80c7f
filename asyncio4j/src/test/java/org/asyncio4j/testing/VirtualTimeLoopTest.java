package org.asyncio4j.testing;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link VirtualTimeLoop}: running, stepping and closing a loop in virtual time. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualTimeLoopTest {

    @Test
    void theDocumentedOneHourTimeoutExampleRunsInVirtualTime() {
        double end = VirtualTimeLoop.runMain(() -> {
            assertThrows(TimeoutError.class, () -> AsyncIO.timeout(3600, () -> AsyncIO.sleep(7200)));
            return AsyncIO.getRunningLoop().time();
        });
        assertEquals(3600.0, end);
    }

    @Test
    void runMainReturnsTheResultAndRethrowsTheExceptionUnchanged() {
        assertEquals("r", VirtualTimeLoop.runMain(() -> AsyncIO.sleep(5, "r")));
        IOException io = new IOException("boom");
        assertSame(io, assertThrows(IOException.class, () -> VirtualTimeLoop.runMain(() -> {
            AsyncIO.sleep(1);
            throw io;
        })));
    }

    @Test
    void runUntilIdleRunsWhatIsReadyAndDueButNoFutureTimer() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            EventLoop loop = vt.loop();
            List<String> log = new ArrayList<>();
            loop.callSoon(() -> {
                log.add("soon");
                loop.callSoon(() -> log.add("scheduled by a callback"));
            });
            loop.callLater(0, () -> log.add("due now"));
            loop.callLater(5, () -> log.add("later"));
            vt.runUntilIdle();
            assertEquals(List.of("soon", "due now", "scheduled by a callback"), log);
            assertEquals(0.0, vt.time());
            vt.runUntilIdle();
            assertEquals(3, log.size(), "idle again at once");
        }
    }

    @Test
    void advanceThenRunUntilIdleRunsTheTimersThatBecameDue() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            Future<String> f = vt.loop().createFuture();
            vt.loop().callLater(10, () -> f.setResult("ten"));
            vt.runUntilIdle();
            vt.advance(5);
            vt.runUntilIdle();
            assertFalse(f.done());
            vt.advance(java.time.Duration.ofSeconds(5));
            vt.runUntilIdle();
            assertEquals("ten", f.result());
            assertEquals(10.0, vt.time());
            assertEquals(0, vt.clock().jumps(), "runUntilIdle never moves the clock");
        }
    }

    @Test
    void aTaskCanBeSteppedThroughTimeFromOutside() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            int[] ticks = new int[1];
            Task<Void> t = vt.loop().createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    AsyncIO.sleep(1);
                    ticks[0]++;
                }
            });
            vt.runUntilIdle();
            assertEquals(0, ticks[0]);
            vt.advance(1);
            vt.runUntilIdle();
            assertEquals(1, ticks[0]);
            vt.advance(2.5);
            vt.runUntilIdle();
            assertEquals(2, ticks[0], "each sleep starts when the previous one ended in loop time");
            vt.advance(1);
            vt.runUntilIdle();
            assertEquals(3, ticks[0]);
            assertTrue(t.done());
        }
    }

    @Test
    void advancingInsideATaskMakesTimersDueWithoutAJump() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            double at = vt.run(() -> {
                Future<String> f = AsyncIO.getRunningLoop().createFuture();
                AsyncIO.getRunningLoop().callLater(5, () -> f.setResult("x"));
                vt.advance(5);
                f.await();
                return vt.time();
            });
            assertEquals(5.0, at);
            assertEquals(0, vt.clock().jumps());
        }
    }

    @Test
    void closeCancelsLeftoverTasksLetsThemCleanUpAndReportsTheirFailures() {
        VirtualTimeLoop vt = new VirtualTimeLoop();
        boolean[] cleanedUp = new boolean[1];
        List<ExceptionContext> reported = new ArrayList<>();
        IOException io = new IOException("failed while cancelled");
        vt.loop().setExceptionHandler((l, c) -> reported.add(c));
        vt.run(() -> {
            AsyncIO.createTask(() -> {
                try {
                    AsyncIO.sleep(1e9);
                } finally {
                    AsyncIO.sleep(1); // cleanup that awaits
                    cleanedUp[0] = true;
                }
            });
            AsyncIO.createTask(() -> {
                try {
                    AsyncIO.sleep(1e9);
                } catch (org.asyncio4j.future.CancelledError e) {
                    throw io;
                }
            });
            AsyncIO.sleep(0);
        });
        vt.close();
        assertTrue(cleanedUp[0]);
        assertTrue(vt.loop().isClosed());
        assertEquals(1, reported.size());
        assertSame(io, reported.get(0).exception());
        vt.close(); // idempotent
    }

    @Test
    void runningItFromInsideARunningLoopIsAnError() {
        VirtualTimeLoop.runMain(() -> {
            VirtualTimeLoop inner = new VirtualTimeLoop();
            assertThrowsWith(IllegalStateException.class, () -> inner.run(() -> 1), "running event loop");
            inner.loop().close();
        });
    }

    @Test
    void itExposesItsLoopAndClock() {
        VirtualClock clock = new VirtualClock(7);
        try (VirtualTimeLoop vt = new VirtualTimeLoop(clock)) {
            assertSame(clock, vt.clock());
            assertSame(clock, vt.loop().clock());
            assertEquals(7.0, vt.time());
            assertTrue(vt.toString().startsWith("<VirtualTimeLoop time=7.0"));
        }
        assertThrowsWith(NullPointerException.class, () -> new VirtualTimeLoop(null), "clock");
    }
}
