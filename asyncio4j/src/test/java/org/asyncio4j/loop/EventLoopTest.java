package org.asyncio4j.loop;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.asyncio4j.LogCapture;
import org.asyncio4j.LoopFixture;
import org.asyncio4j.ManualClock;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop itself: ordering of callbacks and timers, running and stopping, errors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopTest extends LoopFixture {
    // ---------------------------------------------------------------- ordering

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.callSoon(() -> ran.add(n));
        }
        runOnce();
        assertEquals(IntStream.range(0, 1000).boxed().toList(), ran);
    }

    @Test
    void callbacksScheduledDuringAnIterationRunInTheNextOne() {
        List<String> ran = new ArrayList<>();
        long start = loop.iterations();
        loop.callSoon(() -> {
            ran.add("a@" + (loop.iterations() - start));
            loop.callSoon(() -> ran.add("c@" + (loop.iterations() - start)));
        });
        loop.callSoon(() -> ran.add("b@" + (loop.iterations() - start)));
        runOnce();
        assertEquals(List.of("a@1", "b@1"), ran);
        runOnce();
        assertEquals(List.of("a@1", "b@1", "c@2"), ran);
    }

    @Test
    void aCallbackThatReschedulesItselfDoesNotStarveTheOthers() {
        List<String> ran = new ArrayList<>();
        AtomicInteger hops = new AtomicInteger();
        Runnable[] hop = new Runnable[1];
        hop[0] = () -> {
            ran.add("hop" + hops.incrementAndGet());
            if (hops.get() < 3) {
                loop.callSoon(hop[0]);
            }
        };
        loop.callSoon(hop[0]);
        loop.callSoon(() -> {
            ran.add("x");
            loop.callSoon(() -> ran.add("y"));
        });
        loop.callLater(0, () -> ran.add("timer"));
        runOnce();
        runOnce();
        runOnce();
        assertEquals(List.of("hop1", "x", "timer", "hop2", "y", "hop3"), ran);
    }

    @Test
    void timersRunInWhenOrderNotSchedulingOrder() {
        try (EventLoop l = new EventLoop(new ManualClock())) {
            List<Double> ran = new ArrayList<>();
            List<Boolean> onTime = new ArrayList<>();
            for (double when : new double[] {3, 1, 2, 5, 4}) {
                l.callAt(when, () -> {
                    ran.add(when);
                    onTime.add(l.time() >= when);
                });
            }
            l.callAt(6, l::stop);
            l.runForever();
            assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0), ran);
            assertFalse(onTime.contains(false), "a timer ran before its time");
        }
    }

    @Test
    void timersWithEqualWhenRunInSchedulingOrderEvenAcrossIterations() {
        try (EventLoop l = new EventLoop(new ManualClock())) {
            List<Integer> ran = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                l.callAt(10, () -> ran.add(n));
            }
            // scheduled one iteration later, for the same time: still after the first 50
            l.callSoon(() -> {
                for (int i = 50; i < 100; i++) {
                    int n = i;
                    l.callAt(10, () -> ran.add(n));
                }
            });
            l.callAt(11, l::stop);
            l.runForever();
            assertEquals(IntStream.range(0, 100).boxed().toList(), ran);
        }
    }

    @Test
    void dueTimersRunAfterTheCallbacksAlreadyReadyInTheSameIterationInWhenOrder() {
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> ran.add("a"));
        loop.callLater(0, () -> ran.add("timer"));
        loop.callLater(-5, () -> ran.add("negative delay"));
        loop.callSoon(() -> ran.add("c"));
        runOnce();
        assertEquals(List.of("a", "c", "negative delay", "timer"), ran);
    }

    @Test
    void aRealTimerNeverFiresBeforeItsTime() {
        double[] firedAt = new double[1];
        TimerHandle t = loop.callLater(0.05, () -> {
            firedAt[0] = loop.time();
            loop.stop();
        });
        double start = loop.time();
        loop.runForever();
        // the loop treats a timer as due within its clock resolution (1 ns)
        assertTrue(firedAt[0] >= t.when() - 1e-9, "fired at " + firedAt[0] + ", due at " + t.when());
        assertTrue(firedAt[0] - start < 10, "a 50 ms timer took " + (firedAt[0] - start) + " s");
    }

    // ---------------------------------------------------------------- running and stopping

    @Test
    void stopLetsTheCallbacksAlreadyReadyRunAndLeavesLaterOnesForTheNextRun() {
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> {
            ran.add("a");
            loop.stop();
            loop.callSoon(() -> ran.add("d"));
        });
        loop.callSoon(() -> ran.add("b"));
        loop.runForever();
        assertEquals(List.of("a", "b"), ran);
        assertFalse(loop.isRunning());
        runOnce();
        assertEquals(List.of("a", "b", "d"), ran);
    }

    @Test
    void stopBeforeRunForeverRunsExactlyOneIteration() {
        long before = loop.iterations();
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> loop.callSoon(() -> ran.add("next iteration")));
        loop.stop();
        loop.runForever();
        assertEquals(before + 1, loop.iterations());
        assertEquals(List.of(), ran);
    }

    @Test
    void timeInSelectGrowsWhileTheLoopWaitsAndStaysWithinItsTimeRunning() throws Exception {
        EventLoop l = new EventLoop();
        try {
            assertEquals(0, l.selectNanos());
            assertEquals(0, l.runNanos());
            Future<String> answer = l.createFuture();
            Thread reader = Thread.ofPlatform().start(() -> {
                // the loop has nothing to do but wait in its selector for the answer: its
                // time there must grow while it waits, not only when the wait ends
                long first = l.selectNanos();
                while (l.selectNanos() < first + 1_000_000) {
                    Thread.onSpinWait();
                }
                l.callSoonThreadsafe(() -> answer.setResult("answered"));
            });
            assertEquals("answered", l.runUntilComplete(answer));
            reader.join();
            long select = l.selectNanos();
            long running = l.runNanos();
            assertTrue(select >= 1_000_000, "select " + select);
            assertTrue(running >= select, "running " + running + " select " + select);
            assertEquals(running, l.runNanos(), "a loop that is not running adds no time");
            assertEquals(select, l.selectNanos());
        } finally {
            l.close();
        }
    }

    @Test
    void isRunningIsTrueOnlyWhileTheLoopRuns() {
        boolean[] inside = new boolean[1];
        loop.callSoon(() -> inside[0] = loop.isRunning());
        assertFalse(loop.isRunning());
        runOnce();
        assertTrue(inside[0]);
        assertFalse(loop.isRunning());
    }

    @Test
    void runForeverAndRunUntilCompleteWhileRunningFailAndTheLoopGoesOn() {
        Future<Integer> f = loop.createFuture();
        Throwable[] errors = new Throwable[3];
        loop.callSoon(() -> {
            errors[0] = caught(loop::runForever);
            errors[1] = caught(() -> loop.runUntilComplete(f));
            errors[2] = caught(() -> loop.runUntilComplete(() -> 1));
            f.setResult(7);
        });
        assertEquals(7, loop.runUntilComplete(f));
        for (Throwable e : errors) {
            assertError(IllegalStateException.class, e, "already running", "await");
        }
        assertEquals(0, loop.allTasks().size(), "a failed runUntilComplete(coro) must not leave a task behind");
    }

    /** An interrupt must not turn an idle loop into a busy one; the caller still sees it. */
    @Test
    void anInterruptOfTheLoopThreadDoesNotMakeAnIdleLoopSpinAndIsKeptForTheCaller() {
        loop.callSoon(() -> Thread.currentThread().interrupt());
        loop.callLater(0.05, loop::stop);
        long before = loop.iterations();
        loop.runForever();
        boolean interrupted = Thread.interrupted(); // and clear it for what follows
        assertTrue(interrupted, "the interrupt status was lost");
        long iterations = loop.iterations() - before;
        assertTrue(iterations < 100, "an idle loop ran " + iterations + " iterations in 50 ms after an interrupt");
    }

    @Test
    void runningALoopInsideAnotherRunningLoopFailsAndLeavesNothingBehind() {
        try (EventLoop other = new EventLoop()) {
            Throwable[] errors = new Throwable[3];
            Future<Object> f = other.createFuture();
            loop.callSoon(() -> {
                errors[0] = caught(other::runForever);
                errors[1] = caught(() -> other.runUntilComplete(f));
                errors[2] = caught(() -> other.runUntilComplete(() -> 1));
            });
            runOnce();
            for (Throwable e : errors) {
                assertError(IllegalStateException.class, e, "another loop is running");
            }
            assertFalse(other.isRunning());
            assertEquals(0, other.allTasks().size(), "the refused runUntilComplete(coro) left a task in the other loop");
            assertTrue(other.toString().contains("ready=0"), "a stop callback was left behind: " + other);
        }
    }

    @Test
    void aClosedLoopRefusesToRunOrScheduleWithAClearMessage() {
        Future<Object> f = loop.createFuture();
        loop.close();
        assertTrue(loop.isClosed());
        assertThrowsWith(IllegalStateException.class, loop::runForever, "closed");
        assertThrowsWith(IllegalStateException.class, () -> loop.runUntilComplete(f), "closed");
        assertThrowsWith(IllegalStateException.class, () -> loop.runUntilComplete(() -> 1), "closed");
        assertThrowsWith(IllegalStateException.class, () -> loop.callSoon(() -> { }), "closed");
        assertThrowsWith(IllegalStateException.class, () -> loop.callLater(1, () -> { }), "closed");
        assertThrowsWith(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }), "closed");
        assertThrowsWith(IllegalStateException.class, () -> loop.createTask(() -> 1), "closed");
        loop.close(); // idempotent
    }

    @Test
    void closeDropsPendingCallbacksAndTimers() {
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> ran.add("soon"));
        loop.callLater(0, () -> ran.add("timer"));
        loop.close();
        assertEquals(List.of(), ran);
        assertTrue(loop.toString().contains("ready=0"), loop.toString());
        assertTrue(loop.toString().contains("timers=0"), loop.toString());
    }

    @Test
    void closeOnARunningLoopFailsAndTheLoopGoesOn() {
        Throwable[] error = new Throwable[1];
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> {
            error[0] = caught(loop::close);
            loop.callSoon(() -> ran.add("still running"));
        });
        loop.callSoon(() -> loop.callSoon(loop::stop));
        loop.runForever();
        assertError(IllegalStateException.class, error[0], "cannot close a running event loop", "stop()");
        assertFalse(loop.isClosed());
        assertEquals(List.of("still running"), ran);
    }

    @Test
    void runUntilCompleteReturnsTheResultAndRethrowsTheVeryException() {
        Future<String> ok = loop.createFuture();
        loop.callSoon(() -> ok.setResult("done"));
        assertEquals("done", loop.runUntilComplete(ok));

        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Future<String> bad = loop.createFuture();
        loop.callSoon(() -> bad.setException(boom));
        Throwable e = caught(() -> loop.runUntilComplete(bad));
        assertSame(boom, e);
    }

    @Test
    void runUntilCompleteFailsClearlyWhenTheLoopIsStoppedFirst() {
        Future<String> never = loop.createFuture();
        loop.callSoon(loop::stop);
        assertThrowsWith(IllegalStateException.class, () -> loop.runUntilComplete(never), "stopped before the future completed");
        assertFalse(never.done());
        // the stopper was removed: completing the future later does not stop a later run
        never.setResult("late");
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> loop.callSoon(() -> {
            ran.add("second iteration");
            loop.stop();
        }));
        loop.runForever();
        assertEquals(List.of("second iteration"), ran);
    }

    @Test
    void runUntilCompleteOfAFutureOfAnotherLoopFails() {
        try (EventLoop other = new EventLoop()) {
            Future<Object> f = other.createFuture();
            assertThrowsWith(IllegalArgumentException.class, () -> loop.runUntilComplete(f), "different loop");
        }
    }

    @Test
    void getRunningLoopIsTheLoopInsideACallbackAndFailsClearlyOutside() {
        EventLoop[] seen = new EventLoop[1];
        loop.callSoon(() -> seen[0] = EventLoop.getRunningLoop());
        runOnce();
        assertSame(loop, seen[0]);
        assertNull(EventLoop.peekRunningLoop());
        assertThrowsWith(IllegalStateException.class, EventLoop::getRunningLoop, "no running event loop", "AsyncIO.run");
    }

    // ---------------------------------------------------------------- time

    @Test
    void timeIsMonotonicAndFollowsRealTime() throws InterruptedException {
        double t0 = loop.time();
        Thread.sleep(20);
        double t1 = loop.time();
        assertTrue(t1 - t0 >= 0.019, "20 ms of real time moved the loop clock by " + (t1 - t0) + " s");
        assertTrue(loop.time() >= t1);
    }

    @Test
    void timeIsTheLoopsClock() {
        ManualClock clock = new ManualClock();
        try (EventLoop l = new EventLoop(clock)) {
            clock.advance(42);
            assertEquals(42, l.time());
            assertSame(clock, l.clock());
            assertEquals(42 + 5, l.callLater(5, () -> { }).when());
        }
    }

    @Test
    void callLaterAndCallAtRejectNaNAndScheduleNothing() {
        assertThrowsWith(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }), "NaN");
        assertThrowsWith(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }), "NaN");
        assertTrue(loop.toString().contains("timers=0"), loop.toString());
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> ran.add("usable"));
        runOnce();
        assertEquals(List.of("usable"), ran);
    }

    @Test
    void nullCallbacksAreRejectedByName() {
        assertThrowsWith(NullPointerException.class, () -> loop.callSoon(null), "callback");
        assertThrowsWith(NullPointerException.class, () -> loop.callLater(1, null), "callback");
        assertThrowsWith(NullPointerException.class, () -> loop.callSoonThreadsafe(null), "callback");
        assertThrowsWith(NullPointerException.class, () -> new EventLoop(null), "clock");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void aCallbackThatThrowsGoesToTheExceptionHandlerAndTheLoopGoesOn() {
        RuntimeException boom = new RuntimeException("boom");
        List<String> ran = new ArrayList<>();
        Handle h = loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> ran.add("same iteration"));
        loop.callSoon(() -> loop.callSoon(() -> ran.add("next iteration")));
        runOnce();
        runOnce();
        assertEquals(List.of("same iteration", "next iteration"), ran);
        assertEquals(1, handled.size());
        ExceptionContext c = handled.remove(0);
        assertSame(boom, c.exception());
        assertSame(h, c.handle());
        assertTrue(c.message().contains("Exception in callback"), c.message());
    }

    @Test
    void withoutAHandlerTheDefaultHandlerLogsTheErrorAtErrorLevel() {
        loop.setExceptionHandler(null);
        assertNull(loop.getExceptionHandler());
        RuntimeException boom = new RuntimeException("boom");
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(() -> {
                throw boom;
            });
            runOnce();
            LogRecord r = log.find(Level.SEVERE, "Exception in callback");
            assertNotNull(r, "nothing logged: " + log.records());
            assertSame(boom, r.getThrown());
        }
    }

    @Test
    void anExceptionHandlerThatThrowsIsLoggedWithTheOriginalErrorAndTheLoopGoesOn() {
        RuntimeException boom = new RuntimeException("boom");
        IllegalStateException broken = new IllegalStateException("handler broke");
        ExceptionHandler throwing = (l, c) -> {
            throw broken;
        };
        loop.setExceptionHandler(throwing);
        assertSame(throwing, loop.getExceptionHandler());
        List<String> ran = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(() -> ran.add("after"));
            runOnce();
            LogRecord handlerError = log.find(Level.SEVERE, "unhandled error in the exception handler");
            assertNotNull(handlerError, "nothing logged: " + log.records());
            assertSame(broken, handlerError.getThrown());
            LogRecord original = log.find(Level.SEVERE, "Exception in callback");
            assertNotNull(original, "the original error was lost: " + log.records());
            assertSame(boom, original.getThrown());
        }
        assertEquals(List.of("after"), ran);
    }

    @Test
    void callExceptionHandlerPassesTheContextThrough() {
        ExceptionContext c = ExceptionContext.of("something broke", new RuntimeException("x"));
        loop.callExceptionHandler(c);
        assertEquals(List.of(c), handled);
        handled.clear();
        assertThrowsWith(NullPointerException.class, () -> ExceptionContext.of(null, null), "message");
    }

    // ---------------------------------------------------------------- debug mode

    @Test
    void debugModeLogsSlowCallbacks() {
        loop.setDebug(true);
        assertTrue(loop.getDebug());
        loop.setSlowCallbackDuration(0.01);
        assertEquals(0.01, loop.slowCallbackDuration());
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(EventLoopTest::busyFor30ms);
            loop.callSoon(() -> { });
            runOnce();
            List<LogRecord> slow = log.records().stream().filter(r -> r.getMessage().contains(" took ")).toList();
            // the 30 ms callback at least (a GC pause could make the empty one slow too)
            assertFalse(slow.isEmpty(), "expected a slow-callback warning: " + log.records());
            assertEquals(Level.WARNING, slow.get(0).getLevel());
            assertTrue(slow.get(0).getMessage().contains("Executing"), slow.get(0).getMessage());
        }
    }

    @Test
    void slowCallbacksAreNotLoggedOutsideDebugMode() {
        loop.setDebug(false);
        loop.setSlowCallbackDuration(0.01);
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(EventLoopTest::busyFor30ms);
            runOnce();
            // only this loop's slow-callback warnings: other tests' leftovers may log meanwhile
            assertEquals(List.of(), log.records().stream().map(LogRecord::getMessage).filter(m -> m.contains(" took ")).toList());
        }
    }

    @Test
    void slowCallbackDurationRejectsNegativeAndNaN() {
        assertThrowsWith(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(-1), "slowCallbackDuration", "-1");
        assertThrowsWith(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Double.NaN), "NaN");
    }

    private static void busyFor30ms() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    // ---------------------------------------------------------------- tasks and futures

    @Test
    void createFutureMakesAPendingFutureOfThisLoop() {
        Future<String> f = loop.createFuture();
        assertSame(loop, f.getLoop());
        assertFalse(f.done());
    }

    @Test
    void theTaskFactoryMakesTheTasksOfCreateTask() {
        AtomicInteger made = new AtomicInteger();
        TaskFactory factory = (l, coro, name, ctx) -> {
            made.incrementAndGet();
            return new Task<>(l, coro, name, ctx, false);
        };
        loop.setTaskFactory(factory);
        assertSame(factory, loop.getTaskFactory());
        Task<Integer> t = loop.createTask(() -> 5, "named");
        assertEquals(1, made.get());
        assertEquals("named", t.getName());
        assertEquals(5, loop.runUntilComplete(t));
        loop.setTaskFactory(null);
        loop.runUntilComplete(loop.createTask(() -> 6));
        assertEquals(1, made.get());
    }

    @Test
    void aTaskFactoryReturningATaskOfAnotherLoopIsRefused() {
        try (EventLoop other = new EventLoop()) {
            loop.setTaskFactory((l, coro, name, ctx) -> new Task<>(other, coro, name, ctx, false));
            assertThrowsWith(IllegalStateException.class, () -> loop.createTask(() -> 1), "different loop");
        }
    }

    @Test
    void toStringShowsTheState() {
        loop.callSoon(() -> { });
        String s = loop.toString();
        assertTrue(s.contains("running=false") && s.contains("closed=false") && s.contains("ready=1"), s);
    }
}
