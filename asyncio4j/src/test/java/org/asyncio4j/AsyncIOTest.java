package org.asyncio4j;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.combinators.WaitResult;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.future.VoidCoroutine;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The module-level API: run, sleep, tasks, threads and interop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncIOTest {

    // ---------------------------------------------------------------- run

    @Test
    void runReturnsTheMainCoroutinesValue() {
        assertEquals("hello", AsyncIO.run(() -> "hello"));
        AtomicBoolean ran = new AtomicBoolean();
        AsyncIO.run(() -> ran.set(true));
        assertTrue(ran.get());
    }

    @Test
    void runRethrowsTheVeryExceptionEvenWhenChecked() {
        IOException checked = new IOException("checked");
        Coroutine<String> failsChecked = () -> {
            AsyncIO.sleep(0);
            throw checked;
        };
        assertSame(checked, caught(() -> AsyncIO.run(failsChecked)));
        Error error = new AssertionError("an Error too");
        Coroutine<String> failsWithError = () -> {
            throw error;
        };
        assertSame(error, caught(() -> AsyncIO.run(failsWithError)));
    }

    @Test
    void runUsesANewLoopEachTimeAndClosesIt() {
        AtomicReference<EventLoop> first = new AtomicReference<>();
        AtomicReference<EventLoop> second = new AtomicReference<>();
        AsyncIO.run(() -> first.set(AsyncIO.getRunningLoop()));
        AsyncIO.run(() -> second.set(AsyncIO.getRunningLoop()));
        assertNotSame(first.get(), second.get());
        assertTrue(first.get().isClosed());
        assertTrue(second.get().isClosed());
        assertNull(EventLoop.peekRunningLoop());
    }

    @Test
    void runWithDebugRunsTheLoopInDebugMode() {
        assertTrue(AsyncIO.run(() -> AsyncIO.getRunningLoop().getDebug(), true));
    }

    @Test
    void runCancelsTheTasksLeftOverAndLetsThemCleanUp() {
        AtomicReference<Task<?>> leftover = new AtomicReference<>();
        AtomicBoolean cleanedUp = new AtomicBoolean();
        String r = AsyncIO.run(() -> {
            leftover.set(AsyncIO.createTask(() -> {
                try {
                    AsyncIO.getRunningLoop().createFuture().await();
                } finally {
                    AsyncIO.sleep(0); // cleanup may await
                    cleanedUp.set(true);
                }
            }));
            AsyncIO.sleep(0);
            return "main done";
        });
        assertEquals("main done", r);
        assertTrue(cleanedUp.get());
        assertTrue(leftover.get().cancelled());
    }

    @Test
    void runReportsLeftoverTasksThatFailInsteadOfBeingCancelled() {
        IllegalStateException failure = new IllegalStateException("failed while cancelled");
        List<ExceptionContext> handled = new ArrayList<>();
        AtomicReference<Task<?>> leftover = new AtomicReference<>();
        AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> handled.add(c));
            leftover.set(AsyncIO.createTask(() -> {
                try {
                    AsyncIO.getRunningLoop().createFuture().await();
                } catch (CancelledError e) {
                    throw failure;
                }
            }));
            // a leftover that is cancelled quietly is not reported
            AsyncIO.createTask(() -> AsyncIO.getRunningLoop().createFuture().await());
            AsyncIO.sleep(0);
        });
        assertEquals(1, handled.size(), "handled: " + handled);
        ExceptionContext c = handled.get(0);
        assertSame(failure, c.exception());
        assertSame(leftover.get(), c.future());
        assertTrue(c.message().contains("unhandled exception during shutdown"), c.message());
    }

    @Test
    void runInsideARunningLoopFailsWithAClearMessage() {
        Throwable[] inCallback = new Throwable[1];
        String r = AsyncIO.run(() -> {
            assertError(IllegalStateException.class, caught(() -> AsyncIO.run(() -> 1)),
                    "cannot be called from a running event loop", "createTask");
            Future<Void> ran = AsyncIO.getRunningLoop().createFuture();
            AsyncIO.getRunningLoop().callSoon(() -> {
                inCallback[0] = caught(() -> AsyncIO.run(() -> 1));
                ran.setResult(null);
            });
            ran.await();
            return "outer still fine";
        });
        assertEquals("outer still fine", r);
        assertError(IllegalStateException.class, inCallback[0], "running event loop");
    }

    @Test
    void theLoopFunctionsFailClearlyOutsideALoop() {
        assertThrowsWith(IllegalStateException.class, AsyncIO::getRunningLoop, "no running event loop");
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.createTask(() -> 1), "no running event loop");
        assertNull(AsyncIO.currentTask());
        EventLoop l = AsyncIO.newEventLoop();
        assertFalse(l.isRunning());
        l.close();
    }

    @Test
    void ensureFutureReturnsAFutureItselfAndWrapsACoroutineInATask() {
        AsyncIO.run(() -> {
            Future<String> f = AsyncIO.getRunningLoop().createFuture();
            assertSame(f, AsyncIO.ensureFuture(f));
            Future<String> t = AsyncIO.ensureFuture(() -> "wrapped");
            assertTrue(t instanceof Task<?>);
            assertEquals("wrapped", t.await());
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.ensureFuture((Future<Object>) null), "future");
        });
    }

    @Test
    void theCoroutineEngineIsOneOfTheTwo() {
        assertTrue(List.of("continuation", "virtual-thread").contains(AsyncIO.coroutineEngine()), AsyncIO.coroutineEngine());
    }

    // ---------------------------------------------------------------- sleep

    @Test
    void sleepZeroYieldsForExactlyOneIteration() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            loop.callSoon(() -> {
                s.expect(2);
                loop.callSoon(() -> s.expect(4));
            });
            s.expect(1);
            long before = loop.iterations();
            AsyncIO.sleep(0);
            assertEquals(before + 1, loop.iterations());
            s.expect(3);
            AsyncIO.sleep(0);
            s.expect(5);
        });
        s.finish(6);
    }

    @Test
    void aNegativeSleepYieldsOnceLikeSleepZero() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            loop.callSoon(() -> s.expect(2));
            s.expect(1);
            long before = loop.iterations();
            AsyncIO.sleep(-1);
            assertEquals(before + 1, loop.iterations());
            s.expect(3);
        });
        s.finish(4);
    }

    @Test
    void sleepRejectsNaNAndWorksOnlyInsideATask() {
        AsyncIO.run(() -> assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.sleep(Double.NaN), "NaN"));
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.sleep(0), "inside a task", "AsyncIO.run");
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.sleep(10), "inside a task");
    }

    @Test
    void sleepWaitsAtLeastTheDelayAndReturnsTheResult() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            double t0 = loop.time();
            assertEquals("r", AsyncIO.sleep(0.02, "r"));
            double t1 = loop.time();
            assertTrue(t1 - t0 >= 0.02 - 1e-6, "slept " + (t1 - t0) + " s");
            AsyncIO.sleep(Duration.ofMillis(10));
            assertTrue(loop.time() - t1 >= 0.01 - 1e-6);
        });
    }

    @Test
    void aCancelledSleepRaisesCancelledErrorAndLeavesNoTimerBehind() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Task<Void> sleeper = AsyncIO.createTask(() -> AsyncIO.sleep(3600));
            AsyncIO.sleep(0);
            assertTrue(loop.toString().contains("timers=1"), loop.toString());
            sleeper.cancel();
            assertThrowsWith(CancelledError.class, sleeper::await);
            AsyncIO.sleep(0);
            assertTrue(loop.toString().contains("timers=0"), loop.toString());
        });
    }

    // ---------------------------------------------------------------- threads and interop

    /** Runs a loop on its own thread until {@code stop()}; returns once it runs. */
    private static EventLoop loopOnAnotherThread(List<Thread> threads) throws InterruptedException {
        EventLoop loop = new EventLoop();
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        Thread t = Thread.ofPlatform().name("other-loop").start(loop::runForever);
        threads.add(t);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        return loop;
    }

    private static void stopAndClose(EventLoop loop, List<Thread> threads) throws InterruptedException {
        loop.callSoonThreadsafe(loop::stop);
        for (Thread t : threads) {
            t.join();
        }
        loop.close();
    }

    @Test
    void runCoroutineThreadsafeRunsOnTheLoopAndCompletesTheCompletableFuture() throws Exception {
        List<Thread> threads = new ArrayList<>();
        EventLoop loop = loopOnAnotherThread(threads);
        try {
            CompletableFuture<String> cf = AsyncIO.runCoroutineThreadsafe(() -> {
                AsyncIO.sleep(0);
                return "ran in a task of the other loop: " + (AsyncIO.getRunningLoop() == loop && AsyncIO.currentTask() != null);
            }, loop);
            assertEquals("ran in a task of the other loop: true", cf.get(10, TimeUnit.SECONDS));
        } finally {
            stopAndClose(loop, threads);
        }
    }

    @Test
    void runCoroutineThreadsafePassesTheVeryException() throws Exception {
        List<Thread> threads = new ArrayList<>();
        EventLoop loop = loopOnAnotherThread(threads);
        try {
            IOException boom = new IOException("boom");
            Coroutine<String> fails = () -> {
                throw boom;
            };
            CompletableFuture<String> cf = AsyncIO.runCoroutineThreadsafe(fails, loop);
            ExecutionException e = assertError(ExecutionException.class, caught(() -> cf.get(10, TimeUnit.SECONDS)));
            assertSame(boom, e.getCause());
        } finally {
            stopAndClose(loop, threads);
        }
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheTask() throws Exception {
        List<Thread> threads = new ArrayList<>();
        EventLoop loop = loopOnAnotherThread(threads);
        try {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch cancelled = new CountDownLatch(1);
            CompletableFuture<Object> cf = AsyncIO.runCoroutineThreadsafe(() -> {
                started.countDown();
                try {
                    return AsyncIO.getRunningLoop().createFuture().await();
                } catch (CancelledError e) {
                    cancelled.countDown();
                    throw e;
                }
            }, loop);
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(cf.cancel(true));
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the task was not cancelled");
            assertError(CancellationException.class, caught(cf::join));
        } finally {
            stopAndClose(loop, threads);
        }
    }

    @Test
    void aCompletableFutureCancelledBeforeTheTaskStartsNeverRunsIt() throws Exception {
        List<Thread> threads = new ArrayList<>();
        EventLoop loop = loopOnAnotherThread(threads);
        AtomicBoolean ran = new AtomicBoolean();
        try {
            CountDownLatch release = new CountDownLatch(1);
            // keep the loop busy so the submission waits in the queue
            loop.callSoonThreadsafe(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<Object> cf = AsyncIO.runCoroutineThreadsafe(() -> ran.getAndSet(true), loop);
            cf.cancel(true);
            release.countDown();
            CompletableFuture<String> after = AsyncIO.runCoroutineThreadsafe(() -> "later", loop);
            assertEquals("later", after.get(10, TimeUnit.SECONDS));
        } finally {
            stopAndClose(loop, threads);
        }
        assertFalse(ran.get());
    }

    @Test
    void runCoroutineThreadsafeOnAClosedLoopFails() {
        EventLoop loop = new EventLoop();
        loop.close();
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.runCoroutineThreadsafe(() -> 1, loop), "closed");
        assertThrowsWith(NullPointerException.class, () -> AsyncIO.runCoroutineThreadsafe((Coroutine<Integer>) null, loop), "coro");
        assertThrowsWith(NullPointerException.class, () -> AsyncIO.runCoroutineThreadsafe((VoidCoroutine) null, loop), "coro");
    }

    @Test
    void wrapFutureCompletesWithTheResultFromAnotherThread() {
        String r = AsyncIO.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> f = AsyncIO.wrapFuture(cf);
            Thread.ofPlatform().start(() -> cf.complete("from another thread"));
            return f.await();
        });
        assertEquals("from another thread", r);
    }

    @Test
    void wrapFuturePassesTheVeryException() {
        IOException boom = new IOException("boom");
        Throwable e = caught(() -> AsyncIO.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> f = AsyncIO.wrapFuture(cf);
            Thread.ofPlatform().start(() -> cf.completeExceptionally(boom));
            return f.await();
        }));
        assertSame(boom, e);
    }

    @Test
    void wrapFutureOfAnAlreadyCompletedFutureWorks() {
        assertEquals("done", AsyncIO.run(() -> AsyncIO.wrapFuture(CompletableFuture.completedFuture("done")).await()));
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheWrappingFuture() {
        AsyncIO.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> f = AsyncIO.wrapFuture(cf);
            Thread.ofPlatform().start(() -> cf.cancel(true));
            assertThrowsWith(CancelledError.class, f::await);
            assertTrue(f.cancelled());
        });
    }

    @Test
    void cancellingTheWrappingFutureCancelsTheCompletableFuture() {
        AsyncIO.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> f = AsyncIO.wrapFuture(cf);
            assertTrue(f.cancel());
            AsyncIO.sleep(0); // done callbacks run at the next iteration
            assertTrue(cf.isCancelled());
        });
    }

    @Test
    void wrapFutureOutsideALoopFails() {
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.wrapFuture(new CompletableFuture<>()), "no running event loop");
    }

    // ---------------------------------------------------------------- shapes: void bodies and Durations

    @Test
    void theVoidCoroutineOverloadsMakeTasksOfNull() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        AsyncIO.run(() -> {
            Task<Void> named = AsyncIO.createTask(() -> {
                seen.set(AsyncIO.currentTask().getName());
            }, "named");
            assertNull(named.await());
            Future<Void> shielded = AsyncIO.shield(() -> {
                AsyncIO.sleep(0);
            });
            assertNull(shielded.await());
        });
        assertEquals("named", seen.get());
        List<Thread> threads = new ArrayList<>();
        EventLoop loop = loopOnAnotherThread(threads);
        try {
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<Void> cf = AsyncIO.runCoroutineThreadsafe(() -> {
                AsyncIO.sleep(0);
                ran.set(AsyncIO.getRunningLoop() == loop);
            }, loop);
            assertNull(cf.get(10, TimeUnit.SECONDS));
            assertTrue(ran.get());
        } finally {
            stopAndClose(loop, threads);
        }
    }

    @Test
    void runInExecutorTakesABodyWithoutResultThatThrowsACheckedException() {
        IOException failure = new IOException("from the executor");
        AsyncIO.run(() -> {
            Future<Void> f = AsyncIO.getRunningLoop().runInExecutor(null, () -> {
                throw failure;
            });
            assertSame(failure, caught(f::await));
        });
    }

    @Test
    void everyTimeoutInSecondsAlsoTakesADuration() {
        VirtualTimeLoop.runMain(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            assertEquals("r", AsyncIO.sleep(Duration.ofMillis(1500), "r"));
            assertEquals(1.5, loop.time());
            assertEquals("in time", AsyncIO.timeout(Duration.ofSeconds(2), () -> AsyncIO.sleep(1, "in time")));
            assertError(TimeoutError.class, caught(() -> AsyncIO.timeout(Duration.ofSeconds(1), () -> {
                AsyncIO.sleep(2);
            })));
            assertEquals("in time", AsyncIO.waitFor(() -> AsyncIO.sleep(1, "in time"), Duration.ofSeconds(2)));
            assertError(TimeoutError.class, caught(() -> AsyncIO.waitFor(() -> {
                AsyncIO.sleep(2);
            }, Duration.ofSeconds(1))));
            Task<String> slow = AsyncIO.createTask(() -> AsyncIO.sleep(10, "slow"));
            Task<String> fast = AsyncIO.createTask(() -> AsyncIO.sleep(1, "fast"));
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(slow, fast), Duration.ofSeconds(2));
            assertEquals(Set.of(fast), r.done());
            assertEquals(Set.of(slow), r.pending());
            r = AsyncIO.wait(List.of(slow), Duration.ofSeconds(1), AsyncIO.FIRST_COMPLETED);
            assertEquals(Set.of(slow), r.pending());
            double start = loop.time();
            assertError(TimeoutError.class, caught(() -> {
                for (Task<String> t : AsyncIO.asCompleted(List.of(slow), Duration.ofSeconds(1))) {
                    fail("yielded " + t);
                }
            }));
            assertEquals(start + 1, loop.time(), 1e-9);
            slow.cancel();
        });
    }

    @Test
    void aNullDurationIsRejectedNamingTheParameter() {
        VirtualTimeLoop.runMain(() -> {
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.sleep((Duration) null), "delay");
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.waitFor(() -> 1, (Duration) null), "timeout");
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.timeout((Duration) null), "delay");
        });
    }
}
