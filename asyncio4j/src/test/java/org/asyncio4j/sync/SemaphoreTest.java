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
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SemaphoreTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    /** A task that acquires, records its id, and keeps the permit. */
    private static Task<Void> taker(Semaphore sem, int id, List<Integer> order) {
        return AsyncIO.createTask(() -> {
            sem.acquire();
            order.add(id);
        });
    }

    @Test
    void aNegativeInitialValueIsRefusedAndZeroIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        Semaphore zero = new Semaphore(0);
        assertTrue(zero.locked());
        assertEquals(0, zero.value());
        assertEquals(1, new Semaphore().value());
    }

    @Test
    void acquireWithAFreePermitDoesNotSuspendAndCountsDown() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(2);
            s.expect(1);
            AsyncIO.createTask(() -> s.expect(3));
            sem.acquire();
            sem.acquire();
            assertEquals(0, sem.value());
            assertTrue(sem.locked());
            s.expect(2);
            yieldTimes(1);
            sem.release();
            assertEquals(1, sem.value());
            assertFalse(sem.locked());
            s.finish(4);
        });
    }

    @Test
    void waitersGetPermitsInTheOrderTheyStartedWaiting() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(taker(sem, i, order));
                yieldTimes(1);
            }
            for (int i = 0; i < 5; i++) {
                sem.release();
                yieldTimes(1);
                assertEquals(List.of(0, 1, 2, 3, 4).subList(0, i + 1), order);
            }
            AsyncIO.gather(tasks).await();
            assertEquals(0, sem.value());
        });
    }

    @Test
    void aNewcomerWaitsBehindAWokenWaiterEvenWithAFreePermit() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            Task<Void> a = taker(sem, 1, order);
            yieldTimes(1);
            sem.release();   // handed to a, which has not run
            sem.release();   // a free permit
            assertEquals(1, sem.value());
            assertTrue(sem.locked(), "a is on its way: newcomers must queue");
            sem.acquire();   // waits behind a, then takes the free permit
            order.add(2);
            a.await();
            assertEquals(List.of(1, 2), order);
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
        });
    }

    @Test
    void aWaiterCancelledBeforeItIsWokenTakesNoPermit() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            Task<Void> a = taker(sem, 1, order);
            Task<Void> b = taker(sem, 2, order);
            yieldTimes(1);
            a.cancel();
            yieldTimes(1);
            sem.release();
            b.await();
            assertTrue(a.cancelled());
            assertEquals(List.of(2), order);
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
        });
    }

    @Test
    void aWaiterCancelledAfterBeingHandedAPermitPassesItToTheNextWaiter() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            Task<Void> a = taker(sem, 1, order);
            Task<Void> b = taker(sem, 2, order);
            yieldTimes(1);
            sem.release();   // handed to a
            a.cancel();      // before a runs
            b.await();
            assertTrue(a.cancelled());
            assertEquals(List.of(2), order);
            assertEquals(new Semaphore.Statistics(0, 0), sem.statistics());
        });
    }

    @Test
    void aWaiterCancelledAfterBeingHandedAPermitWithNobodyBehindGivesItBack() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> a = taker(sem, 1, new ArrayList<>());
            yieldTimes(1);
            sem.release();
            assertEquals(0, sem.value(), "the permit was handed to a");
            a.cancel();
            yieldTimes(1);
            assertTrue(a.cancelled());
            assertEquals(new Semaphore.Statistics(1, 0), sem.statistics());
            assertFalse(sem.locked());
        });
    }

    @Test
    void aWaiterThatQueuedBehindAWokenOneIsWokenWhenThatOneResumes() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> order = new ArrayList<>();
            Task<Void> a = taker(sem, 1, order);
            yieldTimes(1);
            // in one iteration, before a can run: hand a permit to a, free another, and
            // let b try to acquire
            AsyncIO.getRunningLoop().callSoon(() -> {
                sem.release();     // handed to a
                sem.release();     // free
            });
            Task<Void> b = taker(sem, 2, order);   // parks although value is 1: a is waking
            yieldTimes(1);
            assertEquals(1, sem.value());
            assertEquals(2, sem.statistics().tasksWaiting(), "a waking, b parked");
            AsyncIO.gather(a, b).await();          // a, once it runs, wakes b
            assertEquals(List.of(1, 2), order);
            assertEquals(0, sem.value());
        });
    }

    @Test
    void acquireOutsideATaskFailsAtOnceEvenWithAFreePermit() {
        Semaphore sem = new Semaphore(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::acquire);
        assertTrue(e.getMessage().startsWith("Semaphore.acquire() suspends"), e.getMessage());
        assertEquals(3, sem.value());
        sem.release();   // release needs no task
        assertEquals(4, sem.value(), "a plain semaphore may be released beyond its initial value");
    }

    @Test
    void tryWithResourcesReturnsThePermit() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(1);
            assertThrows(IllegalStateException.class, () -> {
                try (var held = sem.acquired()) {
                    assertEquals(0, sem.value());
                    throw new IllegalStateException("body");
                }
            });
            assertEquals(1, sem.value());
        });
    }

    @Test
    void toStringShowsStateValueAndWaiters() {
        AsyncIO.run(() -> {
            Semaphore sem = new Semaphore(1);
            assertEquals("<Semaphore [unlocked, value:1]>", sem.toString());
            sem.acquire();
            assertEquals("<Semaphore [locked]>", sem.toString());
            taker(sem, 0, new ArrayList<>());
            yieldTimes(1);
            assertEquals("<Semaphore [locked, waiters:1]>", sem.toString());
        });
    }

    /**
     * A thousand tasks, four acquire/release cycles each, with seeded random cancellations at every
     * point (waiting, handed a permit, holding): at most {@code permits} holders at once,
     * and in the end every permit is back and nobody waits.
     */
    @Test
    void stressWithRandomCancellationsConservesPermits() {
        AsyncIO.run(() -> {
            int permits = 3;
            Semaphore sem = new Semaphore(permits);
            Random random = new Random(1234);
            int[] holders = {0};
            int[] entries = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                tasks.add(AsyncIO.createTask(() -> {
                    for (int round = 0; round < 4; round++) {
                        try (var held = sem.acquired()) {
                            holders[0]++;
                            entries[0]++;
                            try {
                                if (holders[0] > permits) {
                                    fail("more holders than permits");
                                }
                                AsyncIO.sleep(0);
                            } finally {
                                holders[0]--;
                            }
                        }
                        if (random.nextBoolean()) {
                            AsyncIO.sleep(0);
                        }
                    }
                }));
            }
            Task<Void> canceller = AsyncIO.createTask(() -> {
                for (int i = 0; i < 600; i++) {
                    yieldTimes(1 + random.nextInt(3));
                    tasks.get(random.nextInt(tasks.size())).cancel();
                }
            });
            AsyncIO.gather(true, tasks).await();
            canceller.cancel();
            long cancelled = tasks.stream().filter(Task::cancelled).count();
            assertTrue(cancelled > 200 && cancelled < 1000, "cancelled " + cancelled);
            assertTrue(entries[0] > 1500, "entries " + entries[0]);
            assertEquals(new Semaphore.Statistics(permits, 0), sem.statistics());
        });
    }
}
