package org.asyncio4j.loop;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.asyncio4j.LoopFixture;
import org.asyncio4j.future.ContextVar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EventLoop#callSoonThreadsafe}: the one entry from other threads. Stress tests
 * where threads really meet: many producers, and a ping-pong that makes every post find
 * the loop asleep (or about to sleep) in the selector, so a lost wake-up hangs the test
 * into its timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallSoonThreadsafeTest extends LoopFixture {
    /** Starts a platform thread that records what it throws. */
    private static Thread start(String name, Runnable body, ConcurrentLinkedQueue<Throwable> errors) {
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        return t;
    }

    @Test
    void postsFromManyThreadsAreAllRunOnTheLoopThreadInPerThreadOrder() throws InterruptedException {
        int threads = 8;
        int perThread = 10_000;
        int[] next = new int[threads];
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger offLoopThread = new AtomicInteger();
        int[] total = new int[1];
        Thread loopThread = Thread.currentThread();
        CountDownLatch running = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers.add(start("producer-" + t, () -> {
                try {
                    running.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    loop.callSoonThreadsafe(() -> {
                        if (Thread.currentThread() != loopThread) {
                            offLoopThread.incrementAndGet();
                        }
                        if (next[id] != seq) {
                            outOfOrder.incrementAndGet();
                        }
                        next[id] = seq + 1;
                        if (++total[0] == threads * perThread) {
                            loop.stop();
                        }
                    });
                    if (seq % 256 == 0) {
                        Thread.yield(); // let the loop catch up and go back to sleep now and then
                    }
                }
            }, errors));
        }
        loop.callSoon(running::countDown);
        loop.runForever();
        for (Thread p : producers) {
            p.join();
        }
        assertEquals(List.of(), new ArrayList<>(errors));
        assertEquals(threads * perThread, total[0]);
        assertEquals(0, outOfOrder.get(), "posts of one thread ran out of order");
        assertEquals(0, offLoopThread.get(), "a posted callback ran off the loop thread");
    }

    /**
     * Each post waits until the previous one has run, so the loop has nothing to do in
     * between and goes to sleep in the selector: every post must wake it. With a far timer
     * the loop sleeps with a timeout instead of indefinitely; both paths are checked.
     */
    @ParameterizedTest(name = "with a far timer pending: {0}")
    @ValueSource(booleans = {false, true})
    void everyPostWakesASleepingLoop(boolean farTimer) throws InterruptedException {
        int roundTrips = 5_000;
        if (farTimer) {
            loop.callLater(3600, () -> { });
        }
        Semaphore ran = new Semaphore(0);
        int[] count = new int[1];
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread pinger = start("pinger", () -> {
            try {
                running.await();
                for (int i = 0; i < roundTrips; i++) {
                    loop.callSoonThreadsafe(() -> {
                        count[0]++;
                        ran.release();
                    });
                    ran.acquire();
                }
                loop.callSoonThreadsafe(loop::stop);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, errors);
        loop.callSoon(running::countDown);
        loop.runForever();
        pinger.join();
        assertEquals(List.of(), new ArrayList<>(errors));
        assertEquals(roundTrips, count[0]);
    }

    @Test
    void aPostWakesALoopBlockedWithNothingScheduled() throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        // The loop starts with nothing to do and blocks; the post comes from a thread that
        // starts only once the loop runs.
        loop.callSoon(() -> start("poster", () -> loop.callSoonThreadsafe(loop::stop), errors));
        loop.runForever();
        assertEquals(List.of(), new ArrayList<>(errors));
    }

    /** A loop that never sleeps (a task yields in a tight loop) still runs timers and posts. */
    @Test
    void aBusyLoopStillRunsDueTimersAndPostsFromOtherThreads() {
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        int[] seen = new int[2];
        org.asyncio4j.AsyncIO.run(() -> {
            EventLoop l = org.asyncio4j.AsyncIO.getRunningLoop();
            l.callLater(0.005, () -> seen[0]++);
            Thread.ofPlatform().start(() -> l.callSoonThreadsafe(() -> seen[1]++));
            while (seen[0] == 0 || seen[1] == 0) {
                org.asyncio4j.AsyncIO.sleep(0);
            }
            started.set(true);
        });
        assertTrue(started.get());
        assertEquals(1, seen[0]);
        assertEquals(1, seen[1]);
    }

    @Test
    void aPostedCallbackRunsInACopyOfThePostersContext() throws InterruptedException {
        ContextVar<String> var = new ContextVar<>("threadsafe-test", "unset");
        String[] seen = new String[1];
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        loop.callSoon(() -> start("poster", () -> {
            var.set("poster's value");
            loop.callSoonThreadsafe(() -> {
                seen[0] = var.get();
                loop.stop();
            });
        }, errors));
        loop.runForever();
        assertEquals(List.of(), new ArrayList<>(errors));
        assertEquals("poster's value", seen[0]);
    }

    @Test
    void callSoonThreadsafeWorksFromTheLoopThreadToo() {
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> loop.callSoonThreadsafe(() -> {
            ran.add("posted from the loop thread");
            loop.stop();
        }));
        loop.runForever();
        assertEquals(List.of("posted from the loop thread"), ran);
    }

    @Test
    void aPostedHandleCancelledBeforeItRunsDoesNotRun() {
        List<String> ran = new ArrayList<>();
        Handle h = loop.callSoonThreadsafe(() -> ran.add("cancelled"));
        h.cancel();
        loop.stop();
        loop.runForever();
        assertEquals(List.of(), ran);
    }

    @Test
    void callSoonThreadsafeOnAClosedLoopFails() {
        loop.close();
        assertError(IllegalStateException.class, caught(() -> loop.callSoonThreadsafe(() -> { })), "closed");
    }

    /**
     * Loop-only methods called from another thread while the loop runs fail at once with a
     * message that names both threads and the way to do it right; the loop goes on.
     */
    @Test
    void loopMethodsCalledFromAnotherThreadWhileTheLoopRunsFailWithAClearMessage() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            Map<String, Supplier<Object>> calls = Map.of(
                    "callSoon", () -> loop.callSoon(() -> { }),
                    "callLater", () -> loop.callLater(1, () -> { }),
                    "callAt", () -> loop.callAt(1, () -> { }),
                    "createTask", () -> loop.createTask(() -> 1),
                    "stop", () -> {
                        loop.stop();
                        return null;
                    },
                    "addReader", () -> loop.addReader(source, () -> { }),
                    "removeReader", () -> loop.removeReader(source),
                    "runInExecutor", () -> loop.runInExecutor(null, () -> 1));
            Map<String, Throwable> errors = new java.util.concurrent.ConcurrentHashMap<>();
            ConcurrentLinkedQueue<Throwable> threadErrors = new ConcurrentLinkedQueue<>();
            List<String> ranAfterwards = new ArrayList<>();
            loop.callSoon(() -> start("intruder", () -> {
                calls.forEach((name, call) -> {
                    Throwable e = caught(call::get);
                    errors.put(name, e == null ? new AssertionError(name + " did not fail") : e);
                });
                loop.callSoonThreadsafe(() -> {
                    ranAfterwards.add("loop still usable");
                    loop.stop();
                });
            }, threadErrors));
            String loopThread = Thread.currentThread().getName();
            loop.runForever();
            assertEquals(List.of(), new ArrayList<>(threadErrors));
            assertEquals(calls.keySet(), errors.keySet());
            errors.forEach((name, e) -> assertError(IllegalStateException.class, e,
                    "called from thread intruder", "runs on thread " + loopThread, "callSoonThreadsafe"));
            assertEquals(List.of("loop still usable"), ranAfterwards);
            assertEquals(0, loop.allTasks().size(), "a refused createTask left a task behind");
        }
    }

    @Test
    void anotherThreadMayScheduleWhileTheLoopIsNotRunning() throws InterruptedException {
        List<String> ran = new ArrayList<>();
        Throwable[] error = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> error[0] = caught(() -> loop.callSoon(() -> ran.add("scheduled while stopped"))));
        t.join();
        assertNull(error[0]);
        loop.stop();
        loop.runForever();
        assertEquals(List.of("scheduled while stopped"), ran);
        assertTrue(loop.allTasks().isEmpty());
    }
}
