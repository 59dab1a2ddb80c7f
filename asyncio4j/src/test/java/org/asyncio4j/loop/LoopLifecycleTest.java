package org.asyncio4j.loop;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.LogCapture;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 7: what a loop says about what it leaves behind: pending tasks at close(), a loop
 * collected without close(), the task behind a slow step in debug mode, and a suspending
 * call outside a task.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopLifecycleTest {

    @Test
    void closeReportsEachTaskStillPending() {
        EventLoop loop = new EventLoop();
        List<ExceptionContext> handled = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> handled.add(c));
        Task<Void> pending = loop.createTask(() -> AsyncIO.sleep(3600));
        loop.runUntilComplete(loop.createTask(() -> AsyncIO.sleep(0)));
        loop.close();
        assertEquals(1, handled.size(), handled.toString());
        assertEquals("Task was destroyed but it is pending!", handled.get(0).message());
        assertSame(pending, handled.get(0).future());
    }

    @Test
    void closeHooksRunInOrderAndOneThatThrowsIsReported() {
        EventLoop loop = new EventLoop();
        List<ExceptionContext> handled = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> handled.add(c));
        List<String> ran = new ArrayList<>();
        Runnable removed = () -> ran.add("removed");
        loop.addCloseHook(() -> ran.add("first"));
        loop.addCloseHook(removed);
        loop.addCloseHook(() -> {
            throw new IllegalArgumentException("hook failed");
        });
        loop.addCloseHook(() -> ran.add("last"));
        assertTrue(loop.removeCloseHook(removed));
        loop.close();
        assertEquals(List.of("first", "last"), ran);
        assertEquals(1, handled.size(), handled.toString());
        assertEquals("hook failed", handled.get(0).exception().getMessage());
        loop.close();
        assertEquals(List.of("first", "last"), ran, "a second close runs nothing again");
        assertThrowsWith(IllegalStateException.class, () -> loop.addCloseHook(() -> { }), "closed");
    }

    @Test
    void aCloseHookIsAddedOnlyFromTheLoopsThread() {
        EventLoop loop = new EventLoop();
        List<Throwable> refused = new ArrayList<>();
        loop.runUntilComplete(loop.createTask(() -> {
            refused.add(AsyncIO.toThread(() -> {
                try {
                    loop.addCloseHook(() -> { });
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }));
        }));
        loop.close();
        assertNotNull(refused.get(0), "refused");
        assertTrue(refused.get(0).getMessage().contains("callSoonThreadsafe"), refused.get(0).getMessage());
    }

    /** What the coroutines of the pending tasks hold; collected only if the tasks are. */
    static final class Captured {
    }

    /**
     * Runs a loop until 1,000 tasks wait for an event that never comes, closes it, and
     * drops it.
     *
     * @return weak references to what each task's coroutine captured
     */
    private static List<WeakReference<Captured>> closeALoopWithPendingTasks() {
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, c) -> { });
        Future<Void> never = loop.createFuture();
        List<WeakReference<Captured>> refs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Captured captured = new Captured();
            refs.add(new WeakReference<>(captured));
            loop.createTask(() -> {
                try {
                    never.await();
                } finally {
                    captured.hashCode();
                }
            });
        }
        loop.runUntilComplete(loop.createTask(() -> AsyncIO.sleep(0)));
        loop.close();
        return refs;
    }

    @Test
    void tasksPendingAtCloseAreCollectedWithTheirLoop() throws InterruptedException {
        List<WeakReference<Captured>> refs = closeALoopWithPendingTasks();
        long alive = refs.size();
        for (int i = 0; i < 100 && alive > 0; i++) {
            System.gc();
            Thread.sleep(20);
            alive = refs.stream().filter(r -> r.get() != null).count();
        }
        assertEquals(0, alive, "objects captured by tasks pending at close() still reachable after the loop was dropped ("
                + Task.engineName() + " engine)");
    }

    private static void makeAndDropALoop() {
        new EventLoop().callSoon(() -> { });
    }

    @Test
    void aLoopCollectedWithoutCloseWarnsUnclosedEventLoop() throws InterruptedException {
        Logger logger = Logger.getLogger("org.asyncio4j");
        CountDownLatch warned = new CountDownLatch(1);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("unclosed event loop")) {
                    warned.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            makeAndDropALoop();
            for (int i = 0; i < 200 && warned.getCount() > 0; i++) {
                System.gc();
                warned.await(50, TimeUnit.MILLISECONDS);
            }
            assertEquals(0, warned.getCount(), "no 'unclosed event loop' warning after the loop was collected");
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aClosedLoopIsNotReportedWhenCollected() {
        try (LogCapture log = new LogCapture()) {
            new EventLoop().close();
            System.gc();
            assertTrue(log.records().stream().noneMatch(r -> r.getMessage().contains("unclosed")));
        }
    }

    @Test
    void debugModeNamesTheTaskAndItsCoroutineForASlowStep() {
        try (LogCapture log = new LogCapture()) {
            AsyncIO.run(() -> {
                AsyncIO.getRunningLoop().setSlowCallbackDuration(0);
                AsyncIO.createTask(() -> AsyncIO.sleep(0, "done"), "slowpoke").await();
            }, true);
            LogRecord r = log.find(java.util.logging.Level.WARNING, "step of <Task pending name='slowpoke'");
            assertNotNull(r, "no slow-step record names the task: " + log.records().stream().map(LogRecord::getMessage).toList());
            assertTrue(r.getMessage().contains("a lambda in " + LoopLifecycleTest.class.getName()), r.getMessage());
        }
    }

    @Test
    void sleepOutsideATaskNamesSleep() {
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.sleep(1), "sleep() can only suspend inside a task");
    }
}
