package org.asyncio4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    /** A task that acquires, records its id, and releases. */
    private static Task<Void> acquirer(Lock lock, int id, List<Integer> order) {
        return AsyncIO.createTask(() -> {
            lock.acquire();
            order.add(id);
            lock.release();
        });
    }

    @Test
    void acquireOfAnUnlockedLockDoesNotSuspend() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            s.expect(1);
            AsyncIO.createTask(() -> s.expect(3));
            lock.acquire();
            assertTrue(lock.locked());
            s.expect(2);
            yieldTimes(1);
            lock.release();
            assertFalse(lock.locked());
            s.finish(4);
        });
    }

    @Test
    void waitersAcquireInTheOrderTheyStartedWaiting() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(acquirer(lock, i, order));
                yieldTimes(1);
            }
            assertEquals(6, lock.statistics().tasksWaiting());
            lock.release();
            AsyncIO.gather(tasks).await();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void aNewcomerDoesNotOvertakeAWokenWaiter() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = acquirer(lock, 1, order);
            yieldTimes(1);
            lock.release();
            // a is woken but has not run: the lock is unlocked, yet it is a's
            assertFalse(lock.locked());
            lock.acquire();   // must wait behind a
            order.add(2);
            lock.release();
            a.await();
            assertEquals(List.of(1, 2), order);
        });
    }

    @Test
    void aWaiterCancelledBeforeItIsWokenLeavesTheLineAndTheNextGetsTheLock() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = acquirer(lock, 1, order);
            Task<Void> b = acquirer(lock, 2, order);
            yieldTimes(1);
            a.cancel();
            yieldTimes(1);
            assertTrue(a.cancelled());
            assertEquals(1, lock.statistics().tasksWaiting());
            lock.release();
            b.await();
            assertEquals(List.of(2), order);
            assertEquals(new Lock.Statistics(false, 0), lock.statistics());
        });
    }

    @Test
    void aWaiterCancelledAfterBeingWokenPassesTheLockToTheNextWaiter() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            Task<Void> a = acquirer(lock, 1, order);
            Task<Void> b = acquirer(lock, 2, order);
            yieldTimes(1);
            lock.release();     // wakes a
            a.cancel();         // ...which is cancelled before it runs
            b.await();          // b must not be stranded
            assertTrue(a.cancelled());
            assertEquals(List.of(2), order);
            assertEquals(new Lock.Statistics(false, 0), lock.statistics());
        });
    }

    @Test
    void aWaiterCancelledAfterBeingWokenWithNobodyBehindLeavesTheLockFree() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> a = AsyncIO.createTask(() -> {
                try {
                    lock.acquire();
                    s.unreached();
                } catch (CancelledError e) {
                    s.expect(2);
                    assertFalse(lock.locked(), "a cancelled acquire holds nothing");
                    throw e;
                }
            });
            yieldTimes(1);
            lock.release();
            a.cancel();
            s.expect(1);
            yieldTimes(1);
            s.expect(3);
            assertTrue(a.cancelled());
            assertEquals(new Lock.Statistics(false, 0), lock.statistics());
            lock.acquire();   // the fast path again
            assertTrue(lock.locked());
            s.finish(4);
        });
    }

    @Test
    void releaseOfAnUnlockedLockFailsAndChangesNothing() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("unlocked"), e.getMessage());
        assertFalse(lock.locked());
    }

    @Test
    void acquireOutsideATaskFailsAtOnceEvenWhenTheLockIsFree() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
        assertTrue(e.getMessage().startsWith("Lock.acquire() suspends"), e.getMessage());
        assertFalse(lock.locked());
        assertThrows(IllegalStateException.class, lock::acquired);
        assertFalse(lock.locked());
    }

    @Test
    void releaseWorksFromAPlainCallbackAndFromAnotherTask() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            AsyncIO.getRunningLoop().callSoon(lock::release);
            yieldTimes(1);
            assertFalse(lock.locked());
            lock.acquire();
            AsyncIO.createTask(lock::release).await();
            assertFalse(lock.locked());
        });
    }

    @Test
    void tryWithResourcesReleasesWhenTheBodyThrows() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                try (var held = lock.acquired()) {
                    assertTrue(lock.locked());
                    throw new IllegalArgumentException("boom");
                }
            });
            assertEquals("boom", e.getMessage());
            assertFalse(lock.locked());
        });
    }

    @Test
    void aCancelledAcquiredLeavesNothingToRelease() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            boolean[] bodyRan = {false};
            Task<Void> t = AsyncIO.createTask(() -> {
                try (var held = lock.acquired()) {
                    bodyRan[0] = true;
                }
            });
            yieldTimes(1);
            t.cancel();
            yieldTimes(1);
            assertTrue(t.cancelled());
            assertFalse(bodyRan[0]);
            assertTrue(lock.locked(), "still held by the main task; the cancelled one released nothing");
            lock.release();
            assertFalse(lock.locked());
        });
    }

    @Test
    void aTaskCancelledWhileHoldingTheLockReleasesItThroughTryWithResources() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            Task<Void> holder = AsyncIO.createTask(() -> {
                try (var held = lock.acquired()) {
                    AsyncIO.sleep(3600);
                }
            });
            List<Integer> order = new ArrayList<>();
            yieldTimes(1);
            Task<Void> next = acquirer(lock, 1, order);
            yieldTimes(1);
            holder.cancel();
            next.await();
            assertEquals(List.of(1), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void toStringShowsStateAndWaiters() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            assertEquals("<Lock [unlocked]>", lock.toString());
            lock.acquire();
            assertEquals("<Lock [locked]>", lock.toString());
            acquirer(lock, 0, new ArrayList<>());
            acquirer(lock, 1, new ArrayList<>());
            yieldTimes(1);
            assertEquals("<Lock [locked, waiters:2]>", lock.toString());
            lock.release();
            assertEquals("<Lock [unlocked, waiters:2]>", lock.toString(), "the woken waiter counts until it runs");
            yieldTimes(3);
            assertEquals("<Lock [unlocked]>", lock.toString());
        });
    }

    /**
     * A thousand tasks take the lock three times each, yielding inside it, while another
     * task cancels random ones (seeded) at random points (waiting, woken, holding): the lock stays exclusive, and
     * in the end it is free with nobody waiting and every task finished (no lost wake-up).
     */
    @Test
    void stressWithRandomCancellationsKeepsExclusionAndLosesNoWakeUp() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            Random random = new Random(42);
            int[] inside = {0};
            int[] entries = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                tasks.add(AsyncIO.createTask(() -> {
                    for (int round = 0; round < 3; round++) {
                        try (var held = lock.acquired()) {
                            inside[0]++;
                            entries[0]++;
                            try {
                                if (inside[0] != 1) {
                                    fail("two tasks hold the lock");
                                }
                                AsyncIO.sleep(0);
                            } finally {
                                inside[0]--;
                            }
                        }
                        AsyncIO.sleep(0);
                    }
                }));
            }
            Task<Void> canceller = AsyncIO.createTask(() -> {
                for (int i = 0; i < 600; i++) {
                    yieldTimes(1 + random.nextInt(3));
                    tasks.get(random.nextInt(tasks.size())).cancel();
                }
            });
            // a lost wake-up would leave some task parked forever: this await would hang
            AsyncIO.gather(true, tasks).await();
            canceller.cancel();
            long cancelled = tasks.stream().filter(Task::cancelled).count();
            assertTrue(cancelled > 200 && cancelled < 1000, "cancelled " + cancelled);
            assertTrue(entries[0] > 1000, "entries " + entries[0]);
            assertEquals(0, inside[0]);
            assertEquals(new Lock.Statistics(false, 0), lock.statistics());
        });
    }
}
