package org.asyncio4j.loop;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.future.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EventLoop#runInExecutor}: results and exceptions cross threads unchanged, and
 * cancellation flows both ways between the loop future and the executor's task.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunInExecutorTest {

    @Test
    void theResultComesBackFromAVirtualThreadOfTheDefaultExecutor() {
        Thread loopThread = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        int result = AsyncIO.run(() -> AsyncIO.getRunningLoop().runInExecutor(null, () -> {
            ranOn.set(Thread.currentThread());
            return 42;
        }).await());
        assertEquals(42, result);
        assertTrue(ranOn.get() != loopThread);
        assertTrue(ranOn.get().isVirtual(), "the default executor runs calls on virtual threads");
        assertTrue(ranOn.get().getName().startsWith("asyncio4j-executor-"), ranOn.get().getName());
    }

    @Test
    void aRunnableGivesNull() {
        AtomicBoolean ran = new AtomicBoolean();
        Object result = AsyncIO.run(() -> AsyncIO.getRunningLoop().runInExecutor(null, () -> ran.set(true)).await());
        assertNull(result);
        assertTrue(ran.get());
    }

    @Test
    void theExceptionComesBackUnchangedEvenWhenChecked() {
        IOException checked = new IOException("disk on fire");
        Throwable e = caught(() -> AsyncIO.run(() -> AsyncIO.getRunningLoop().runInExecutor(null, (Callable<Object>) () -> {
            throw checked;
        }).await()));
        assertSame(checked, e);

        IllegalStateException unchecked = new IllegalStateException("nope");
        Throwable e2 = caught(() -> AsyncIO.run(() -> AsyncIO.getRunningLoop().runInExecutor(null, (Callable<Object>) () -> {
            throw unchecked;
        }).await()));
        assertSame(unchecked, e2);
    }

    @Test
    void aGivenExecutorIsUsed() {
        ExecutorService single = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-executor"));
        try {
            String name = AsyncIO.run(() -> AsyncIO.getRunningLoop().runInExecutor(single, () -> Thread.currentThread().getName()).await());
            assertEquals("my-executor", name);
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void setDefaultExecutorReplacesTheDefault() {
        ExecutorService single = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-default"));
        try {
            String name = AsyncIO.run(() -> {
                EventLoop loop = AsyncIO.getRunningLoop();
                loop.setDefaultExecutor(single);
                return loop.runInExecutor(null, () -> Thread.currentThread().getName()).await();
            });
            assertEquals("my-default", name);
            assertTrue(single.isShutdown(), "the runner's shutdown shuts the default executor down");
            try (EventLoop other = new EventLoop()) {
                assertThrowsWith(NullPointerException.class, () -> other.setDefaultExecutor(null), "executor");
            }
        } finally {
            single.shutdownNow();
        }
    }

    /**
     * The executor is busy, so the call has not started: cancelling the loop future cancels
     * the executor's task, and the call never runs.
     */
    @Test
    void cancellingTheLoopFutureCancelsACallThatHasNotStarted() throws InterruptedException {
        ExecutorService single = Executors.newSingleThreadExecutor();
        CountDownLatch busyStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        try {
            single.execute(() -> {
                busyStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busyStarted.await();
            AsyncIO.run(() -> {
                Future<Integer> f = AsyncIO.getRunningLoop().runInExecutor(single, () -> {
                    ran.set(true);
                    return 1;
                });
                assertTrue(f.cancel());
                // the cancellation reaches the executor's task from a done callback: one iteration
                AsyncIO.sleep(0);
                assertThrowsWith(CancelledError.class, f::await);
            });
        } finally {
            release.countDown();
            single.shutdown();
            assertTrue(single.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertFalse(ran.get(), "the cancelled call ran anyway");
    }

    /** The executor side is cancelled (its queued tasks are cancelled at shutdownNow): the loop future is cancelled. */
    @Test
    void cancellingTheExecutorsTaskCancelsTheLoopFuture() throws InterruptedException {
        ExecutorService single = Executors.newSingleThreadExecutor();
        CountDownLatch busyStarted = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        try {
            single.execute(() -> {
                busyStarted.countDown();
                try {
                    new CountDownLatch(1).await(); // until shutdownNow interrupts it
                } catch (InterruptedException expected) {
                    // done
                }
            });
            busyStarted.await();
            AsyncIO.run(() -> {
                Future<Integer> f = AsyncIO.getRunningLoop().runInExecutor(single, () -> {
                    ran.set(true);
                    return 1;
                });
                List<Runnable> neverStarted = single.shutdownNow();
                assertEquals(1, neverStarted.size());
                assertInstanceOf(java.util.concurrent.Future.class, neverStarted.get(0));
                ((java.util.concurrent.Future<?>) neverStarted.get(0)).cancel(false);
                assertThrowsWith(CancelledError.class, f::await);
                assertTrue(f.cancelled());
            });
        } finally {
            single.shutdownNow();
            assertTrue(single.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertFalse(ran.get());
    }

    @Test
    void aRunningCallIsNotInterruptedByCancellation() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Future<Void> f = loop.runInExecutor(null, () -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                finished.set(true);
            });
            loop.runInExecutor(null, () -> {
                try {
                    started.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }).await();
            f.cancel();
            AsyncIO.sleep(0);
            release.countDown();
            // AsyncIO.run's shutdown waits for the default executor's calls to finish
        });
        assertTrue(finished.get());
        assertFalse(interrupted.get(), "cancellation must never interrupt the thread (NIO channels would close)");
    }

    @Test
    void shutdownDefaultExecutorWaitsForCallsInProgressAndThenRefusesNewOnes() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            CountDownLatch release = new CountDownLatch(1);
            Future<String> inProgress = loop.runInExecutor(null, () -> {
                release.await();
                return "finished";
            });
            loop.callSoon(release::countDown);
            loop.shutdownDefaultExecutor();
            assertTrue(inProgress.done(), "shutdownDefaultExecutor returned before the call in progress was done");
            assertEquals("finished", inProgress.result());
            assertThrowsWith(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1), "shut down");
            // an explicit executor still works
            ExecutorService single = Executors.newSingleThreadExecutor();
            try {
                assertEquals(2, loop.runInExecutor(single, () -> 2).await());
            } finally {
                single.shutdown();
            }
        });
    }

    @Test
    void shutdownDefaultExecutorBeforeAnyCallAlsoRefusesNewOnes() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            loop.shutdownDefaultExecutor();
            assertThrowsWith(IllegalStateException.class, () -> loop.runInExecutor(null, () -> 1), "shut down");
        });
    }

    /** A suspending call outside a task fails at once and changes nothing: the executor stays usable. */
    @Test
    void shutdownDefaultExecutorOutsideATaskFailsAndLeavesTheExecutorUsable() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            assertEquals(1, loop.runInExecutor(null, () -> 1).await()); // the default executor exists now
            Future<Throwable> inCallback = loop.createFuture();
            loop.callSoon(() -> inCallback.setResult(caught(loop::shutdownDefaultExecutor)));
            assertError(IllegalStateException.class, inCallback.await(), "inside a task");
            assertEquals(2, loop.runInExecutor(null, () -> 2).await(), "the failed call shut the executor down anyway");
        });
        try (EventLoop idle = new EventLoop()) {
            assertThrowsWith(IllegalStateException.class, idle::shutdownDefaultExecutor, "inside a task");
            idle.callSoon(() -> idle.runInExecutor(null, () -> 3).addDoneCallback(f -> idle.stop()));
            idle.runForever();
        }
    }

    @Test
    void aNullCallIsRejectedByName() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            assertThrowsWith(NullPointerException.class, () -> loop.runInExecutor(null, (Callable<Object>) null), "fn");
            assertThrowsWith(NullPointerException.class, () -> loop.runInExecutor(null, (CheckedRunnable<?>) null), "fn");
        });
    }

    @Test
    void aCallThatFinishesAfterTheLoopClosedIsDroppedQuietly() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        EventLoop loop = new EventLoop();
        List<ExceptionContext> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        loop.setExceptionHandler((l, c) -> handled.add(c));
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            loop.runInExecutor(single, () -> {
                try {
                    release.await();
                    return 1;
                } finally {
                    finished.countDown();
                }
            });
            loop.close();
            release.countDown();
            assertTrue(finished.await(10, TimeUnit.SECONDS));
        } finally {
            single.shutdown();
            assertTrue(single.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), handled);
    }
}
