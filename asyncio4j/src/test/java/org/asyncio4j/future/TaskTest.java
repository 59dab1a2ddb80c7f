package org.asyncio4j.future;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.GcReports;
import org.asyncio4j.Steps;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Task}: results and exceptions across awaits, cancellation at the await point,
 * cancelling()/uncancel(), the current task, strong references, eager start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskTest {

    /** A future nobody completes: awaiting it parks until cancelled. */
    private static <T> Future<T> never() {
        return AsyncIO.getRunningLoop().createFuture();
    }

    // ---------------------------------------------------------------- names and results

    @Test
    void tasksHaveGeneratedOrGivenNames() {
        AsyncIO.run(() -> {
            Task<Integer> a = AsyncIO.createTask(() -> 1);
            Task<Integer> b = AsyncIO.createTask(() -> 2, "worker");
            assertTrue(a.getName().matches("Task-\\d+"), a.getName());
            assertEquals("worker", b.getName());
            b.setName("renamed");
            assertEquals("renamed", b.getName());
            assertThrowsWith(NullPointerException.class, () -> b.setName(null), "name");
            assertTrue(b.toString().contains("name='renamed'"), b.toString());
            a.await();
            b.await();
        });
    }

    @Test
    void aTaskOfAVoidCoroutineRunsItDirectlyAndEndsWithNull() throws Exception {
        List<String> ran = new ArrayList<>();
        AsyncIO.run(() -> {
            VoidCoroutine body = () -> {
                AsyncIO.sleep(0);
                ran.add("body");
            };
            Task<Void> t = AsyncIO.createTask(body, "void");
            assertEquals("void", t.getName());
            assertNull(t.getCoro().call(), "getCoro() adapts the body");
            assertNull(t.await());
            assertEquals(List.of("body", "body"), ran, "getCoro() runs the very body, and so did the task");
            Throwable e = caught(() -> new Task<Void>(AsyncIO.getRunningLoop(), (VoidCoroutine) null, null, null, false));
            assertTrue(e instanceof NullPointerException, String.valueOf(e));
        });
    }

    @Test
    void theTaskResultIsTheCoroutinesReturnValue() {
        AsyncIO.run(() -> {
            Coroutine<String> coro = () -> "value";
            Task<String> t = AsyncIO.createTask(coro);
            assertSame(coro, t.getCoro());
            assertFalse(t.done(), "a task starts at the next iteration, not inside createTask");
            assertEquals("value", t.await());
            assertTrue(t.done());
            assertEquals("value", t.result());
            Task<Void> v = AsyncIO.createTask(() -> AsyncIO.sleep(0));
            assertNull(v.await());
        });
    }

    @Test
    void exceptionsCrossAwaitsUnchangedThroughSeveralTasks() {
        IOException checked = new IOException("checked");
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        AsyncIO.run(() -> {
            Coroutine<String> failsChecked = () -> {
                AsyncIO.sleep(0);
                throw checked;
            };
            Task<String> inner = AsyncIO.createTask(failsChecked);
            Task<String> middle = AsyncIO.createTask(() -> inner.await());
            Throwable e = caught(middle::await);
            assertSame(checked, e, "the awaiter sees the very object, not a wrapper");
            assertSame(checked, middle.exception());
            assertSame(checked, inner.exception());

            Coroutine<String> failsUnchecked = () -> {
                throw unchecked;
            };
            assertSame(unchecked, caught(AsyncIO.createTask(failsUnchecked)::await));
        });
    }

    @Test
    void aCheckedExceptionCanBeCaughtByTypeAroundAnAwait() {
        IOException checked = new IOException("checked");
        String r = AsyncIO.run(() -> {
            Coroutine<String> fails = () -> {
                throw checked;
            };
            Task<String> t = AsyncIO.createTask(fails);
            try {
                return t.await();
            } catch (Exception e) {
                if (e instanceof IOException io && io == checked) {
                    return "caught " + io.getMessage();
                }
                throw e;
            }
        });
        assertEquals("caught checked", r);
    }

    @Test
    void setResultAndSetExceptionAreNotForTasks() {
        AsyncIO.run(() -> {
            Task<Integer> t = AsyncIO.createTask(() -> 1);
            assertThrowsWith(UnsupportedOperationException.class, () -> t.setResult(2), "coroutine");
            assertThrowsWith(UnsupportedOperationException.class, () -> t.setException(new RuntimeException()), "coroutine");
            assertEquals(1, t.await());
        });
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void cancellationIsRaisedAtTheAwaitPointAndCanBeCaughtForCleanUp() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Future<String> waitedOn = never();
            Task<String> t = AsyncIO.createTask(() -> {
                s.expect(2);
                try {
                    waitedOn.await();
                    s.unreached();
                    return "unreachable";
                } catch (CancelledError e) {
                    s.expect(4);
                    assertEquals("stop now", e.getMessage());
                    AsyncIO.sleep(0); // cleanup may await
                    s.expect(5);
                    throw e;
                }
            });
            s.expect(1);
            AsyncIO.sleep(0);
            s.expect(3);
            assertTrue(t.cancel("stop now"));
            assertTrue(waitedOn.cancelled(), "the future the task waited on is cancelled too");
            CancelledError e = assertThrowsWith(CancelledError.class, t::await, "stop now");
            assertNotNull(e);
            assertTrue(t.cancelled());
            s.expect(6);
        });
        s.finish(7);
    }

    @Test
    void aTaskThatCatchesItsCancellationAndReturnsFinishesNormally() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                try {
                    never().await();
                    return "unreachable";
                } catch (CancelledError e) {
                    return "absorbed";
                }
            });
            AsyncIO.sleep(0);
            t.cancel();
            assertEquals("absorbed", t.await());
            assertFalse(t.cancelled());
            assertEquals(1, t.cancelling(), "the request is still counted until uncancel()");
        });
    }

    @Test
    void catchExceptionAroundAnAwaitDoesNotSwallowCancellation() {
        AtomicBoolean swallowed = new AtomicBoolean();
        AsyncIO.run(() -> {
            Task<Void> t = AsyncIO.createTask(() -> {
                try {
                    never().await();
                } catch (Exception e) {
                    swallowed.set(true);
                }
            });
            AsyncIO.sleep(0);
            t.cancel();
            assertThrowsWith(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
        assertFalse(swallowed.get(), "catch (Exception e) caught a CancelledError");
        assertFalse(Exception.class.isAssignableFrom(CancelledError.class));
    }

    @Test
    void aTaskCancelledBeforeItsFirstStepNeverStartsItsCoroutine() {
        AtomicBoolean started = new AtomicBoolean();
        AsyncIO.run(() -> {
            Task<Void> t = AsyncIO.createTask(() -> started.set(true));
            assertTrue(t.cancel("early"));
            assertThrowsWith(CancelledError.class, t::await, "early");
            assertTrue(t.cancelled());
        });
        assertFalse(started.get(), "the coroutine of a task cancelled before its first step ran");
    }

    @Test
    void aTaskThatCancelsItselfIsCancelledAtItsNextSuspension() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Task<Void> t = AsyncIO.createTask(() -> {
                s.expect(1);
                AsyncIO.currentTask().cancel();
                s.expect(2); // cancel() does not throw by itself
                try {
                    AsyncIO.sleep(0);
                    s.unreached();
                } catch (CancelledError e) {
                    s.expect(3);
                    throw e;
                }
            });
            assertThrowsWith(CancelledError.class, t::await);
            assertTrue(t.cancelled());
        });
        s.finish(4);
    }

    @Test
    void aTaskCancelledRightBeforeItsCoroutineReturnsEndsCancelled() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                AsyncIO.currentTask().cancel("too late");
                return "returned anyway";
            });
            CancelledError e = assertThrowsWith(CancelledError.class, t::await);
            assertEquals("too late", e.getMessage(), "the message survives the return value");
            assertTrue(t.cancelled());
        });
    }

    @Test
    void anExceptionReturnedAsTheResultIsAResultNotAFailure() {
        AsyncIO.run(() -> {
            IOException returned = new IOException("a value, not an error");
            Task<IOException> t = AsyncIO.createTask(() -> returned);
            assertSame(returned, t.await());
            assertNull(t.exception());
            assertFalse(t.cancelled());
            assertTrue(t.toString().contains("result=java.io.IOException"), t.toString());
            CancelledError asValue = new CancelledError("returned");
            Task<CancelledError> c = AsyncIO.createTask(() -> asValue);
            assertSame(asValue, c.await());
            assertFalse(c.cancelled());
        });
    }

    @Test
    void cancellingADoneTaskReturnsFalseAndCountsNothing() {
        AsyncIO.run(() -> {
            Task<Integer> t = AsyncIO.createTask(() -> 1);
            t.await();
            assertFalse(t.cancel());
            assertEquals(0, t.cancelling());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void cancellingATaskCancelsTheTaskItAwaits() {
        AsyncIO.run(() -> {
            Task<String> inner = AsyncIO.createTask(() -> TaskTest.<String>never().await());
            Task<String> outer = AsyncIO.createTask(() -> inner.await());
            AsyncIO.sleep(0);
            AsyncIO.sleep(0);
            outer.cancel();
            assertThrowsWith(CancelledError.class, outer::await);
            assertTrue(inner.cancelled());
            assertTrue(outer.cancelled());
        });
    }

    @Test
    void cancellingCountsRequestsAndUncancelTakesThemBack() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                try {
                    never().await();
                } catch (CancelledError e) {
                    // absorb, as a timeout or task group would, then go on
                }
                return "went on";
            });
            AsyncIO.sleep(0);
            assertEquals(0, t.cancelling());
            t.cancel();
            t.cancel();
            assertEquals(2, t.cancelling());
            assertTrue(t.toString().contains("cancelling=2"), t.toString());
            assertEquals(1, t.uncancel());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.uncancel(), "never below zero");
            assertEquals("went on", t.await());
        });
    }

    /** A task keeps 65,535 requests in its own 16 bits and the rest aside: the count stays exact. */
    @Test
    void cancellingCountsPast65535AndUncancelTakesEveryRequestBack() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                try {
                    never().await();
                } catch (CancelledError e) {
                    // absorb: the task goes on while the requests stay counted
                }
                AsyncIO.sleep(0);
                return "went on";
            });
            AsyncIO.sleep(0);
            for (int i = 0; i < 70_000; i++) {
                assertTrue(t.cancel());
            }
            assertEquals(70_000, t.cancelling());
            assertTrue(t.toString().contains("cancelling=70000"), t.toString());
            for (int left = 69_999; left >= 1; left--) {
                assertEquals(left, t.uncancel());
            }
            assertEquals(1, t.cancelling());
            assertEquals(0, t.uncancel(), "down to zero, which drops the cancellation not yet delivered");
            assertEquals(0, t.cancelling());
            assertEquals("went on", t.await());
        });
    }

    /** Python 3.13: uncancel() down to zero drops a cancellation not yet delivered. */
    @Test
    void uncancelToZeroDropsAPendingCancellationThatWasNotDeliveredYet() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                AsyncIO.sleep(0);
                return "not cancelled";
            });
            t.cancel(); // before its first step: nothing to cancel yet, so it is pending
            assertEquals(0, t.uncancel());
            assertEquals("not cancelled", t.await());
            assertFalse(t.cancelled());
        });
    }

    @Test
    void uncancelAboveZeroKeepsAPendingCancellation() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                AsyncIO.sleep(0);
                return "not cancelled";
            });
            t.cancel();
            t.cancel();
            assertEquals(1, t.uncancel());
            assertThrowsWith(CancelledError.class, t::await);
        });
    }

    @Test
    void aTaskAwaitingItselfFailsClearlyAndGoesOn() {
        String r = AsyncIO.run(() -> {
            Task<?> me = AsyncIO.currentTask();
            assertError(IllegalStateException.class, caught(me::await), "cannot await itself");
            AsyncIO.sleep(0);
            return "went on";
        });
        assertEquals("went on", r);
    }

    /** Stackful: an ordinary helper method, however deep, may suspend the task. */
    @Test
    void aCoroutineCanSuspendDeepInsideOrdinaryMethodCalls() {
        Steps s = new Steps();
        int r = AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().callSoon(() -> s.expect(2));
            s.expect(1);
            int depth = descendAndSuspend(500);
            s.expect(3);
            return depth;
        });
        s.finish(4);
        assertEquals(500, r);
    }

    private static int descendAndSuspend(int n) {
        if (n == 0) {
            AsyncIO.sleep(0);
            return 0;
        }
        return descendAndSuspend(n - 1) + 1;
    }

    @Test
    void aCoroutineThatOverflowsItsStackFailsItsTaskAndTheLoopGoesOn() {
        String r = AsyncIO.run(() -> {
            Coroutine<Integer> bottomless = () -> {
                AsyncIO.sleep(0);
                return recurseForever(0);
            };
            Task<Integer> t = AsyncIO.createTask(bottomless);
            assertTrue(caught(t::await) instanceof StackOverflowError, "expected the task to fail with StackOverflowError");
            AsyncIO.sleep(0);
            return AsyncIO.createTask(() -> "the loop goes on").await();
        });
        assertEquals("the loop goes on", r);
    }

    private static int recurseForever(int n) {
        return recurseForever(n + 1) + 1;
    }

    /** DESIGN §2: on JDK 25 a coroutine may suspend while it holds a monitor, on both engines. */
    @Test
    void aCoroutineCanSuspendWhileHoldingAMonitor() {
        Object monitor = new Object();
        String r = AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                synchronized (monitor) {
                    AsyncIO.sleep(0);
                    AsyncIO.sleep(0.001);
                    return "resumed inside synchronized";
                }
            });
            return t.await();
        });
        assertEquals("resumed inside synchronized", r);
    }

    // ---------------------------------------------------------------- current and all tasks

    @Test
    void currentTaskIsTheRunningTaskAndNullOutsideTasks() {
        assertNull(AsyncIO.currentTask());
        AsyncIO.run(() -> {
            Task<?> main = AsyncIO.currentTask();
            assertNotNull(main);
            AtomicReference<Task<?>> seen = new AtomicReference<>();
            Task<Void> child = AsyncIO.createTask(() -> seen.set(AsyncIO.currentTask()));
            child.await();
            assertSame(child, seen.get());
            assertSame(main, AsyncIO.currentTask(), "the current task is restored after awaiting");
            Task<?>[] inCallback = new Task<?>[] {main};
            Future<Void> ran = AsyncIO.getRunningLoop().createFuture();
            AsyncIO.getRunningLoop().callSoon(() -> {
                inCallback[0] = AsyncIO.currentTask();
                ran.setResult(null);
            });
            ran.await();
            assertNull(inCallback[0], "a plain callback runs outside any task");
        });
    }

    @Test
    void allTasksListsThePendingTasksOfTheLoop() {
        AsyncIO.run(() -> {
            Task<?> main = AsyncIO.currentTask();
            Task<Object> parked = AsyncIO.createTask(() -> never().await());
            Task<Integer> quick = AsyncIO.createTask(() -> 1);
            Set<Task<?>> all = AsyncIO.allTasks();
            assertEquals(Set.of(main, parked, quick), all);
            quick.await();
            assertEquals(Set.of(main, parked), AsyncIO.allTasks());
            parked.cancel();
            caught(parked::await);
            assertEquals(Set.of(main), AsyncIO.allTasks());
        });
        assertThrowsWith(IllegalStateException.class, AsyncIO::allTasks, "no running event loop");
    }

    // ---------------------------------------------------------------- strong references

    /** Spawns a task parked on a future that only the task itself references, and forgets it. */
    private static WeakReference<Task<?>> spawnForgotten(AtomicBoolean finished) {
        Task<Void> t = AsyncIO.createTask(() -> {
            try {
                AsyncIO.getRunningLoop().<Void>createFuture().await();
            } finally {
                finished.set(true);
            }
        });
        return new WeakReference<>(t);
    }

    @Test
    void aParkedTaskNobodyReferencesIsHeldByItsLoopAndNotCollected() {
        AtomicBoolean finished = new AtomicBoolean();
        AsyncIO.run(() -> {
            WeakReference<Task<?>> ref = spawnForgotten(finished);
            AsyncIO.sleep(0); // it starts and parks
            for (int i = 0; i < 5; i++) {
                System.gc();
                AsyncIO.sleep(0);
            }
            Task<?> t = ref.get();
            assertNotNull(t, "the loop let a pending task be garbage collected");
            assertTrue(AsyncIO.allTasks().contains(t));
            t.cancel();
            caught(t::await);
            assertTrue(finished.get());
        });
    }

    @Test
    void aFireAndForgetTaskCompletesAfterGarbageCollection() {
        AtomicInteger done = new AtomicInteger();
        AsyncIO.run(() -> {
            Future<Void> allDone = AsyncIO.getRunningLoop().createFuture();
            for (int i = 0; i < 10; i++) {
                AsyncIO.createTask(() -> {
                    AsyncIO.sleep(0);
                    AsyncIO.sleep(0.001);
                    if (done.incrementAndGet() == 10) {
                        allDone.setResult(null);
                    }
                });
            }
            System.gc();
            AsyncIO.sleep(0);
            System.gc();
            allDone.await();
        });
        assertEquals(10, done.get());
    }

    @Test
    void anUnretrievedTaskExceptionIsReportedWhenTheTaskIsCollected() {
        RuntimeException lost = new RuntimeException("nobody awaited me");
        List<ExceptionContext> handled = new ArrayList<>();
        EventLoop loop = new EventLoop();
        try {
            loop.setExceptionHandler((l, c) -> {
                handled.add(c);
                l.stop();
            });
            spawnFailing(loop, lost);
            GcReports.runUntilReported(loop, handled);
        } finally {
            loop.close();
        }
        assertEquals(1, handled.size(), "reports: " + handled);
        assertSame(lost, handled.get(0).exception());
        assertTrue(handled.get(0).message().contains("Task exception was never retrieved"), handled.get(0).message());
    }

    private static void spawnFailing(EventLoop loop, RuntimeException error) {
        Coroutine<Void> fails = () -> {
            throw error;
        };
        loop.createTask(fails);
    }

    // ---------------------------------------------------------------- eager start

    @Test
    void anEagerTaskRunsSynchronouslyUntilItsFirstSuspension() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Task<?> outer = AsyncIO.currentTask();
            AtomicReference<Task<?>> currentInside = new AtomicReference<>();
            s.expect(1);
            Task<String> eager = new Task<>(loop, () -> {
                s.expect(2);
                currentInside.set(AsyncIO.currentTask());
                AsyncIO.sleep(0);
                s.expect(4);
                return "eager";
            }, null, null, true);
            s.expect(3);
            assertSame(eager, currentInside.get(), "inside, the eager task is the current task");
            assertSame(outer, AsyncIO.currentTask(), "after its first suspension the creator is current again");
            assertNotSame(outer, eager);
            assertEquals("eager", eager.await());
            s.expect(5);
        });
        s.finish(6);
    }

    @Test
    void anEagerTaskThatNeverSuspendsIsDoneWhenConstructed() {
        AsyncIO.run(() -> {
            Task<String> t = new Task<>(AsyncIO.getRunningLoop(), () -> "at once", "eager", null, true);
            assertTrue(t.done());
            assertEquals("at once", t.result());
            assertEquals("eager", t.getName());
            assertFalse(AsyncIO.allTasks().contains(t));
        });
    }

    /**
     * An eager task cannot run in a context that is entered already (here its creator's own):
     * the constructor fails, as asyncio's does, and leaves nothing registered, so the
     * shutdown of AsyncIO.run does not wait for a task that can never run.
     */
    @Test
    void anEagerTaskInAnEnteredContextFailsAtOnceAndLeavesNoTaskBehind() {
        String r = AsyncIO.run(() -> {
            Context mine = AsyncIO.currentTask().getContext();
            Set<Task<?>> before = AsyncIO.allTasks();
            Throwable e = caught(() -> new Task<>(AsyncIO.getRunningLoop(), () -> "never", null, mine, true));
            assertError(IllegalStateException.class, e, "already entered");
            assertEquals(before, AsyncIO.allTasks(), "the failed eager task is still registered with the loop");
            return "shut down cleanly";
        });
        assertEquals("shut down cleanly", r);
    }

    @Test
    void anEagerTaskOnALoopThatIsNotRunningStartsLazily() {
        AtomicBoolean started = new AtomicBoolean();
        try (EventLoop loop = new EventLoop()) {
            Task<String> t = new Task<>(loop, () -> {
                started.set(true);
                return "lazy";
            }, null, null, true);
            assertFalse(started.get());
            assertEquals("lazy", loop.runUntilComplete(t));
        }
    }
}
