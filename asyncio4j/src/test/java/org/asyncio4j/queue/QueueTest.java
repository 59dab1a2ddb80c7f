package org.asyncio4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    private static <T> Task<Void> getter(Queue<T> q, List<T> got) {
        return AsyncIO.createTask(() -> {
            got.add(q.get());
        });
    }

    // ---------------------------------------------------------------- basics

    @Test
    void itemsComeOutInTheOrderTheyWentIn() {
        Queue<Integer> q = new Queue<>();
        for (int i = 0; i < 100; i++) {
            q.putNowait(i);
        }
        assertEquals(100, q.qsize());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, q.getNowait());
        }
        assertTrue(q.empty());
    }

    @Test
    void maxsizeZeroOrNegativeMeansUnbounded() {
        for (int maxsize : new int[] {0, -1, -100}) {
            Queue<Integer> q = new Queue<>(maxsize);
            assertEquals(maxsize, q.maxsize());
            for (int i = 0; i < 5000; i++) {
                q.putNowait(i);
            }
            assertFalse(q.full());
            assertEquals(5000, q.qsize());
        }
    }

    @Test
    void aBoundedQueueIsFullAtMaxsizeAndPutNowaitRaisesQueueFull() {
        Queue<String> q = new Queue<>(2);
        q.putNowait("a");
        assertFalse(q.full());
        q.putNowait("b");
        assertTrue(q.full());
        QueueFull e = assertThrows(QueueFull.class, () -> q.putNowait("c"));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        assertEquals(2, q.qsize());
        assertEquals(2, q.statistics().unfinishedTasks(), "a refused put is not counted");
    }

    @Test
    void getNowaitOnAnEmptyQueueRaisesQueueEmpty() {
        Queue<String> q = new Queue<>();
        QueueEmpty e = assertThrows(QueueEmpty.class, q::getNowait);
        assertTrue(e instanceof NoSuchElementException);
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void nullItemsAreAllowed() {
        Queue<String> q = new Queue<>(3);
        q.putNowait(null);
        q.putNowait("x");
        assertNull(q.getNowait());
        assertEquals("x", q.getNowait());
    }

    @Test
    void theRingBufferWrapsAndGrowsWithoutLosingOrder() {
        Queue<Integer> q = new Queue<>();
        int next = 0;
        int expected = 0;
        Random random = new Random(5);
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0 || q.empty()) {
                q.putNowait(next++);
            } else {
                assertEquals(expected++, q.getNowait());
            }
        }
        while (!q.empty()) {
            assertEquals(expected++, q.getNowait());
        }
        assertEquals(next, expected);
    }

    // ---------------------------------------------------------------- waiting

    @Test
    void putAndGetDoNotSuspendWhenThereIsRoomOrAnItem() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(2);
            s.expect(1);
            AsyncIO.createTask(() -> s.expect(3));
            q.put(1);
            q.put(2);
            assertEquals(1, q.get());
            assertEquals(2, q.get());
            s.expect(2);
            yieldTimes(1);
            s.finish(4);
        });
    }

    @Test
    void getWaitsForAPutAndGettersAreServedInOrder() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> got = new ArrayList<>();
            List<Task<Void>> getters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int id = i;
                getters.add(AsyncIO.createTask(() -> {
                    int item = q.get();
                    got.add(id * 100 + item);
                }));
            }
            yieldTimes(1);
            assertEquals(4, q.statistics().tasksWaitingGet());
            for (int i = 0; i < 4; i++) {
                q.putNowait(i);
            }
            AsyncIO.gather(getters).await();
            assertEquals(List.of(0, 101, 202, 303), got);
        });
    }

    @Test
    void putWaitsForRoomAndPuttersAreServedInOrder() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(-1);
            List<Task<Void>> putters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int item = i;
                putters.add(AsyncIO.createTask(() -> q.put(item)));
            }
            yieldTimes(1);
            assertEquals(4, q.statistics().tasksWaitingPut());
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(q.get());
            }
            AsyncIO.gather(putters).await();
            assertEquals(List.of(-1, 0, 1, 2, 3), got);
        });
    }

    @Test
    void aTaskThatFindsAnItemTakesItAheadOfAWokenGetterWhichWaitsAgain() {
        AsyncIO.run(() -> {
            Queue<String> q = new Queue<>();
            List<String> got = new ArrayList<>();
            Task<Void> a = getter(q, got);
            yieldTimes(1);
            q.putNowait("x");            // wakes a
            assertEquals("x", q.get());  // but this task takes it first (asyncio does the same)
            yieldTimes(2);
            assertFalse(a.done());
            assertEquals(1, q.statistics().tasksWaitingGet(), "a waits again");
            q.putNowait("y");
            a.await();
            assertEquals(List.of("y"), got);
        });
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void aGetterCancelledWhileWaitingTakesNoItem() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> got = new ArrayList<>();
            Task<Void> a = getter(q, got);
            Task<Void> b = getter(q, got);
            yieldTimes(1);
            a.cancel();
            yieldTimes(1);
            assertEquals(1, q.statistics().tasksWaitingGet());
            q.putNowait(7);
            b.await();
            assertTrue(a.cancelled());
            assertEquals(List.of(7), got);
            assertTrue(q.empty());
        });
    }

    @Test
    void aGetterCancelledAfterBeingWokenPassesTheItemToTheNextGetter() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> got = new ArrayList<>();
            Task<Void> a = getter(q, got);
            Task<Void> b = getter(q, got);
            yieldTimes(1);
            q.putNowait(7);     // wakes a
            a.cancel();         // before a runs
            b.await();          // the item is not stranded behind the dead getter
            assertTrue(a.cancelled());
            assertEquals(List.of(7), got);
            assertEquals(new Queue.Statistics(0, 0, 1, 0, 0, 0, false), q.statistics());
        });
    }

    @Test
    void aGetterCancelledAfterBeingWokenLeavesTheItemInTheQueueWhenNobodyElseWaits() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Void> a = getter(q, new ArrayList<>());
            yieldTimes(1);
            q.putNowait(7);
            a.cancel();
            yieldTimes(1);
            assertTrue(a.cancelled());
            assertEquals(1, q.qsize());
            assertEquals(7, q.getNowait());
        });
    }

    @Test
    void aPutterCancelledWhileWaitingAddsNoItem() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Task<Void> a = AsyncIO.createTask(() -> q.put(1));
            Task<Void> b = AsyncIO.createTask(() -> q.put(2));
            yieldTimes(1);
            a.cancel();
            yieldTimes(1);
            assertEquals(0, q.getNowait());
            b.await();
            assertTrue(a.cancelled());
            assertEquals(2, q.getNowait());
            assertTrue(q.empty());
            assertEquals(2, q.statistics().unfinishedTasks());
        });
    }

    @Test
    void aPutterCancelledAfterBeingWokenPassesTheFreeSlotToTheNextPutter() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Task<Void> a = AsyncIO.createTask(() -> q.put(1));
            Task<Void> b = AsyncIO.createTask(() -> q.put(2));
            yieldTimes(1);
            assertEquals(0, q.getNowait());   // wakes a
            a.cancel();                       // before a runs
            b.await();
            assertTrue(a.cancelled());
            assertEquals(List.of(2), List.of(q.getNowait()));
            assertTrue(q.empty());
        });
    }

    @Test
    void aCancelledGetFromAConsumingLoopLosesNoItem() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> got = new ArrayList<>();
            Task<Void> consumer = AsyncIO.createTask(() -> {
                for (int item : q.consuming()) {
                    got.add(item);
                }
            });
            q.putNowait(1);
            yieldTimes(2);
            consumer.cancel();
            yieldTimes(1);
            q.putNowait(2);
            assertTrue(consumer.cancelled());
            assertEquals(List.of(1), got);
            assertEquals(2, q.getNowait());
        });
    }

    // ---------------------------------------------------------------- taskDone / join

    @Test
    void joinWaitsUntilEveryItemIsMarkedDone() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.join();   // nothing unfinished: returns at once
            q.putNowait(1);
            q.putNowait(2);
            boolean[] joined = {false};
            Task<Void> joiner = AsyncIO.createTask(() -> {
                q.join();
                joined[0] = true;
            });
            q.getNowait();
            q.getNowait();
            yieldTimes(2);
            assertFalse(joined[0], "items were got but not marked done");
            assertEquals(1, q.statistics().tasksWaitingJoin());
            q.taskDone();
            yieldTimes(2);
            assertFalse(joined[0]);
            q.taskDone();
            joiner.await();
            assertTrue(joined[0]);
        });
    }

    @Test
    void taskDoneCalledMoreOftenThanItemsWerePutFails() {
        Queue<Integer> q = new Queue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("too many times"), e.getMessage());
        q.putNowait(1);
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals(0, q.statistics().unfinishedTasks());
    }

    @Test
    void aCancelledJoinLeavesTheCountAlone() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            Task<Void> joiner = AsyncIO.createTask(q::join);
            yieldTimes(1);
            joiner.cancel();
            yieldTimes(1);
            assertTrue(joiner.cancelled());
            assertEquals(1, q.statistics().unfinishedTasks());
            assertEquals(0, q.statistics().tasksWaitingJoin());
        });
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void afterShutdownPutsRaiseAndGetsDrainThenRaise() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            q.putNowait(2);
            q.shutdown();
            assertTrue(q.isShutdown());
            assertThrows(QueueShutDown.class, () -> q.put(3));
            assertThrows(QueueShutDown.class, () -> q.putNowait(3));
            assertEquals(1, q.get());
            assertEquals(2, q.getNowait());
            QueueShutDown e = assertThrows(QueueShutDown.class, q::get);
            assertTrue(e.getMessage().contains("shut down"), e.getMessage());
            assertThrows(QueueShutDown.class, q::getNowait);
            q.taskDone();
            q.taskDone();   // taskDone still works after shutdown
            q.join();
        });
    }

    @Test
    void shutdownWakesWaitingPuttersToRaise() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Task<Void> a = AsyncIO.createTask(() -> q.put(1));
            Task<Void> b = AsyncIO.createTask(() -> q.put(2));
            yieldTimes(1);
            q.shutdown();
            assertThrows(QueueShutDown.class, a::await);
            assertThrows(QueueShutDown.class, b::await);
            assertEquals(0, q.getNowait(), "the queued item is still there to get");
            assertEquals(new Queue.Statistics(0, 1, 1, 0, 0, 0, true), q.statistics());
        });
    }

    @Test
    void aPutWaitingWhenAnImmediateShutdownEmptiesTheQueueRaisesNamingPut() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Task<Void> putter = AsyncIO.createTask(() -> q.put(1));
            yieldTimes(1);
            q.shutdown(true);   // drains the queue: the putter wakes to room, and a shut-down queue
            QueueShutDown e = assertThrows(QueueShutDown.class, putter::await);
            assertTrue(e.getMessage().startsWith("put() on a queue that was shut down"), e.getMessage());
            e = assertThrows(QueueShutDown.class, () -> q.put(2));
            assertTrue(e.getMessage().startsWith("put() on a queue that was shut down"), e.getMessage());
            assertEquals(new Queue.Statistics(0, 1, 0, 0, 0, 0, true), q.statistics());
        });
    }

    @Test
    void shutdownWakesWaitingGettersToRaise() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Void> a = getter(q, new ArrayList<>());
            Task<Void> b = getter(q, new ArrayList<>());
            yieldTimes(1);
            q.shutdown();
            assertThrows(QueueShutDown.class, a::await);
            assertThrows(QueueShutDown.class, b::await);
        });
    }

    @Test
    void immediateShutdownDropsTheItemsCountsThemDoneAndReleasesJoiners() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(5);
            for (int i = 0; i < 3; i++) {
                q.putNowait(i);
            }
            assertEquals(0, q.getNowait());   // got, not yet done: still unfinished
            Task<Void> joiner = AsyncIO.createTask(q::join);
            yieldTimes(1);
            q.shutdown(true);
            assertTrue(q.empty());
            assertEquals(1, q.statistics().unfinishedTasks(), "only the dropped items count as done");
            assertThrows(QueueShutDown.class, q::get);
            yieldTimes(2);
            assertFalse(joiner.done());
            q.taskDone();
            joiner.await();
        });
    }

    @Test
    void immediateShutdownWithNothingUnfinishedReleasesJoinersAtOnce() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            q.putNowait(2);
            Task<Void> joiner = AsyncIO.createTask(q::join);
            Task<Void> getterTask = AsyncIO.createTask(() -> {
                yieldTimes(3);
                q.get();
            });
            yieldTimes(1);
            q.shutdown(true);
            joiner.await();
            assertThrows(QueueShutDown.class, getterTask::await);
            // shutting down again is harmless
            q.shutdown();
            q.shutdown(true);
            assertTrue(q.isShutdown());
        });
    }

    @Test
    void consumingIteratesUntilTheQueueIsShutDownAndEmpty() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(2);
            List<Integer> got = new ArrayList<>();
            Task<Void> consumer = AsyncIO.createTask(() -> {
                for (int item : q.consuming()) {
                    got.add(item);
                    q.taskDone();
                }
            });
            for (int i = 0; i < 10; i++) {
                q.put(i);
            }
            q.join();
            q.shutdown();
            consumer.await();
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got);
            var it = q.consuming().iterator();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        });
    }

    /** The bytes the calling thread allocated so far, or -1 where the JVM cannot tell (a virtual thread). */
    private static long allocatedBytes() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isThreadAllocatedMemorySupported() ? mx.getCurrentThreadAllocatedBytes() : -1;
    }

    @Test
    void theFastPathsOfPutAndGetAllocateNothing() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(100);
            Integer item = 12345;
            for (int i = 0; i < 1000; i++) {   // the ring is allocated here, and code is warmed up
                q.put(item);
                q.get();
                q.putNowait(item);
                q.getNowait();
            }
            long before = allocatedBytes();
            org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0,
                    "per-thread allocation counting is not available here (the virtual-thread engine)");
            for (int i = 0; i < 10_000; i++) {
                q.put(item);
                q.get();
                q.putNowait(item);
                q.getNowait();
            }
            long allocated = allocatedBytes() - before;
            // one object per operation would be at least 16 bytes x 40,000 = 640,000 bytes;
            // the budget leaves room for one-off noise (JIT, counters), not for that
            assertTrue(allocated < 65_536, "40,000 fast-path operations allocated " + allocated + " bytes");
        });
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void suspendingMethodsFailOutsideATaskAndNowaitOnesWork() {
        Queue<Integer> q = new Queue<>(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put(1));
        assertTrue(e.getMessage().startsWith("Queue.put() suspends"), e.getMessage());
        assertTrue(q.empty(), "the failed put added nothing");
        q.putNowait(1);
        assertThrows(IllegalStateException.class, q::get);
        assertEquals(1, q.qsize(), "the failed get took nothing");
        assertThrows(IllegalStateException.class, q::join);
        assertEquals(1, q.getNowait());
        assertThrows(IllegalStateException.class, () -> q.consuming().iterator().hasNext());
    }

    @Test
    void toStringShowsItemsWaitersUnfinishedAndShutdown() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertEquals("<Queue maxsize=2>", q.toString());
            q.putNowait(1);
            q.putNowait(2);
            assertEquals("<Queue maxsize=2 _queue=[1, 2] tasks=2>", q.toString());
            Task<Void> putter = AsyncIO.createTask(() -> q.put(3));
            yieldTimes(1);
            assertEquals("<Queue maxsize=2 _queue=[1, 2] _putters[1] tasks=2>", q.toString());
            q.shutdown(true);
            assertThrows(QueueShutDown.class, putter::await);
            assertEquals("<Queue maxsize=2 shutdown>", q.toString());
            Queue<Integer> getters = new Queue<>();
            Task<Integer> getterTask = AsyncIO.createTask(getters::get);
            yieldTimes(1);
            assertEquals("<Queue maxsize=0 _getters[1]>", getters.toString());
            getters.putNowait(0);
            assertEquals(0, getterTask.await());
            Queue<Integer> big = new Queue<>();
            for (int i = 0; i < 25; i++) {
                big.putNowait(i);
            }
            assertTrue(big.toString().contains("_queue=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...15 more]"), big.toString());
        });
    }

    // ---------------------------------------------------------------- stress

    /**
     * A thousand producers (five items each) and a thousand consumers through a queue of
     * four, with seeded random cancellations at every
     * point (waiting, woken, between operations): every item put is got exactly once, the
     * unfinished count matches, and no task is left waiting with work available.
     */
    @Test
    void stressWithRandomCancellationsGetsEveryItemPutExactlyOnce() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>(4);
            Random random = new Random(99);
            List<Integer> put = new ArrayList<>();
            List<Integer> got = new ArrayList<>();
            List<Task<Void>> producers = new ArrayList<>();
            for (int p = 0; p < 1000; p++) {
                int base = p * 1000;
                producers.add(AsyncIO.createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        q.put(base + i);      // cancelled here: the item was not put
                        put.add(base + i);
                        if (random.nextInt(4) == 0) {
                            AsyncIO.sleep(0);
                        }
                    }
                }));
            }
            List<Task<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 1000; c++) {
                consumers.add(AsyncIO.createTask(() -> {
                    while (true) {
                        int item = q.get();   // cancelled here: no item was taken
                        got.add(item);
                        q.taskDone();
                        if (random.nextInt(4) == 0) {
                            AsyncIO.sleep(0);
                        }
                    }
                }));
            }
            List<Task<Void>> all = new ArrayList<>(producers);
            all.addAll(consumers);
            int[] cancels = {0};
            Task<Void> canceller = AsyncIO.createTask(() -> {
                for (int i = 0; i < 600; i++) {
                    yieldTimes(1 + random.nextInt(4));
                    if (all.get(random.nextInt(all.size())).cancel()) {
                        cancels[0]++;
                    }
                }
            });
            AsyncIO.gather(true, producers).await();
            canceller.await();
            // every live consumer must drain the queue: a lost wake-up would strand items
            int spins = 0;
            while (!q.empty() && consumers.stream().anyMatch(t -> !t.done())) {
                yieldTimes(1);
                assertTrue(++spins < 10_000, "items left while consumers wait: " + q);
            }
            q.shutdown();
            AsyncIO.gather(true, consumers).await();
            // if every consumer was cancelled, take the rest here
            while (!q.empty()) {
                got.add(q.getNowait());
                q.taskDone();
            }
            List<Integer> sortedPut = new ArrayList<>(put);
            List<Integer> sortedGot = new ArrayList<>(got);
            Collections.sort(sortedPut);
            Collections.sort(sortedGot);
            assertEquals(sortedPut, sortedGot, "every item put is got exactly once");
            assertTrue(cancels[0] > 200, "cancels " + cancels[0]);
            assertTrue(put.size() > 2000, "put " + put.size());
            assertEquals(new Queue.Statistics(0, 4, 0, 0, 0, 0, true), q.statistics());
        });
    }

    /** A getter may be cancelled at any of its possible points; the item conservation holds at each. */
    @Test
    void cancellingAGetterAtEachStepAroundAPutNeverLosesTheItem() {
        for (int cancelAt = 0; cancelAt < 4; cancelAt++) {
            int point = cancelAt;
            AsyncIO.run(() -> {
                Queue<Integer> q = new Queue<>();
                List<Integer> got = new ArrayList<>();
                Task<Void> a = getter(q, got);
                Task<Void> b = getter(q, got);
                if (point == 0) {
                    a.cancel();           // before it even started
                }
                yieldTimes(1);
                if (point == 1) {
                    a.cancel();           // parked
                }
                q.putNowait(42);
                if (point == 2) {
                    a.cancel();           // woken, not yet run
                }
                yieldTimes(1);
                if (point == 3) {
                    a.cancel();           // already done: no effect
                }
                q.putNowait(43);
                AsyncIO.gather(true, List.of(a, b)).await();
                List<Integer> all = new ArrayList<>(got);
                while (!q.empty()) {
                    all.add(q.getNowait());
                }
                Collections.sort(all);
                assertEquals(List.of(42, 43), all, "cancel point " + point);
                if (point < 3) {
                    assertTrue(a.cancelled(), "cancel point " + point);
                } else {
                    assertFalse(a.cancelled());
                }
            });
        }
    }

    @Test
    void putNowaitFromAPlainCallbackWakesAWaitingGetter() {
        AsyncIO.run(() -> {
            Queue<Integer> q = new Queue<>();
            AsyncIO.getRunningLoop().callSoon(() -> q.putNowait(5));
            assertEquals(5, q.get());
            Task<Integer> waiting = AsyncIO.createTask(q::get);
            yieldTimes(1);
            assertEquals(1, q.statistics().tasksWaitingGet());
            AsyncIO.getRunningLoop().callSoon(() -> q.putNowait(6));
            assertEquals(6, waiting.await());
            assertTrue(q.empty());
        });
    }
}
