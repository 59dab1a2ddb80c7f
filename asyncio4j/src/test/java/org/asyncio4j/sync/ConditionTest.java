package org.asyncio4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConditionTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    /** A task that waits on {@code cond} (holding its lock) and records its id once back. */
    private static Task<Void> waiter(Condition cond, int id, List<Integer> order) {
        return AsyncIO.createTask(() -> {
            try (var held = cond.acquired()) {
                cond.await();
                assertTrue(cond.locked(), "await() returns with the lock held");
                order.add(id);
            }
        });
    }

    /**
     * A task that waits on {@code cond} (holding its lock); when cancelled it records in
     * {@code heldInCatch[0]} whether it held the lock as CancelledError arrived, then
     * releases the lock and lets the error through.
     */
    private static Task<Void> cancellableWaiter(Condition cond, boolean[] heldInCatch) {
        return AsyncIO.createTask(() -> {
            cond.acquire();
            try {
                cond.await();
            } catch (CancelledError e) {
                heldInCatch[0] = cond.locked();
                cond.release();
                throw e;
            }
        });
    }

    @Test
    void awaitWithoutHoldingTheLockFailsAndChangesNothing() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
            assertTrue(e.getMessage().contains("without holding the lock"), e.getMessage());
            assertFalse(cond.locked());
            assertEquals(0, cond.statistics().tasksWaiting());
        });
    }

    @Test
    void awaitOutsideATaskFailsBeforeReleasingTheLock() {
        Condition cond = new Condition();
        AsyncIO.run(cond::acquire);   // a lock is not owned: it stays locked after the task
        assertTrue(cond.locked());
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
        assertTrue(e.getMessage().startsWith("Condition.await() suspends"), e.getMessage());
        assertTrue(cond.locked(), "the lock was not released by the failed await()");
        assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> true));
    }

    @Test
    void signalWakesOneWaiterAtATimeInFifoOrder() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(waiter(cond, i, order));
            }
            yieldTimes(1);
            assertEquals(4, cond.statistics().tasksWaiting());
            for (int i = 0; i < 4; i++) {
                try (var held = cond.acquired()) {
                    cond.signal();
                }
                yieldTimes(2);
                assertEquals(List.of(0, 1, 2, 3).subList(0, i + 1), order);
            }
            AsyncIO.gather(tasks).await();
        });
    }

    @Test
    void signalNAndSignalAllWakeThatManyInOrder() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(waiter(cond, i, order));
            }
            yieldTimes(1);
            cond.acquire();
            cond.signal(2);
            cond.signal(0);
            cond.release();
            yieldTimes(3);
            assertEquals(List.of(0, 1), order);
            cond.acquire();
            cond.signalAll();
            cond.release();
            AsyncIO.gather(tasks).await();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
            assertEquals(new Condition.Statistics(false, 0), cond.statistics());
        });
    }

    @Test
    void signallingWithoutHoldingTheLockFails() {
        Condition cond = new Condition();
        assertThrows(IllegalStateException.class, cond::signal);
        assertThrows(IllegalStateException.class, () -> cond.signal(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::signalAll);
        assertTrue(e.getMessage().contains("without holding the lock"), e.getMessage());
    }

    @Test
    void signalOfANegativeNumberIsRefused() {
        Condition cond = new Condition();
        AsyncIO.run(cond::acquire);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
        assertTrue(e.getMessage().contains("-1"));
    }

    @Test
    void aSignalledWaiterReturnsOnlyAfterTheSignallerReleasesTheLock() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            Task<Void> t = AsyncIO.createTask(() -> {
                cond.acquire();
                s.expect(1);
                cond.await();
                s.expect(4);
                cond.release();
            });
            yieldTimes(1);
            cond.acquire();
            cond.signal();
            s.expect(2);
            yieldTimes(3);   // the waiter is woken but must wait for the lock
            s.expect(3);
            cond.release();
            t.await();
            s.finish(5);
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingHoldsTheLockAgainWhenCancelledErrorArrives() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            boolean[] heldInCatch = {false};
            Task<Void> t = cancellableWaiter(cond, heldInCatch);
            yieldTimes(1);
            assertFalse(cond.locked(), "await() released the lock");
            cond.acquire();      // hold it, so the cancelled waiter has to wait to re-acquire
            t.cancel();
            yieldTimes(3);
            assertFalse(t.done(), "the cancelled waiter waits for the lock before raising");
            cond.release();
            yieldTimes(3);
            assertTrue(t.cancelled());
            assertTrue(heldInCatch[0]);
            assertFalse(cond.locked());
        });
    }

    @Test
    void aCancellationWhileReacquiringDoesNotStopTheReacquireAndIsRaisedAfter() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            boolean[] heldInCatch = {false};
            Task<Void> t = cancellableWaiter(cond, heldInCatch);
            yieldTimes(1);
            cond.acquire();
            cond.signal();
            yieldTimes(2);       // the waiter is woken and now waits for the lock
            assertEquals(1, cond.lock().statistics().tasksWaiting());
            t.cancel();          // cancelled in the middle of re-acquiring
            yieldTimes(2);
            assertFalse(t.done());
            cond.release();
            yieldTimes(3);
            assertTrue(t.cancelled());
            assertTrue(heldInCatch[0]);
            assertEquals(new Lock.Statistics(false, 0), cond.lock().statistics());
        });
    }

    @Test
    void aWaiterCancelledAfterItsSignalPassesTheSignalToAnotherWaiter() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            List<Integer> order = new ArrayList<>();
            Task<Void> a = waiter(cond, 1, order);
            Task<Void> b = waiter(cond, 2, order);
            yieldTimes(1);
            cond.acquire();
            cond.signal();      // meant for a
            cond.release();
            a.cancel();         // a is cancelled before it runs
            b.await();          // b gets the signal instead: it is not lost
            assertTrue(a.cancelled());
            assertEquals(List.of(2), order);
            assertFalse(cond.locked());
        });
    }

    @Test
    void awaitForChecksThePredicateFirstAndAfterEveryWakeUp() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            int[] value = {0};
            int[] checks = {0};
            Task<Void> t = AsyncIO.createTask(() -> {
                try (var held = cond.acquired()) {
                    cond.awaitFor(() -> {
                        checks[0]++;
                        assertTrue(cond.locked());
                        return value[0] >= 3;
                    });
                }
            });
            yieldTimes(1);
            assertEquals(1, checks[0]);
            for (int i = 1; i <= 3; i++) {
                try (var held = cond.acquired()) {
                    value[0] = i;
                    cond.signalAll();
                }
                yieldTimes(3);
                assertEquals(1 + i, checks[0]);
            }
            t.await();
            // a predicate already true returns at once, without the lock being needed
            cond.awaitFor(() -> true);
        });
    }

    @Test
    void conditionsSharingALockSignalOnlyTheirOwnWaiters() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            Condition notEmpty = new Condition(lock);
            Condition notFull = new Condition(lock);
            assertSame(lock, notEmpty.lock());
            List<Integer> order = new ArrayList<>();
            Task<Void> a = waiter(notEmpty, 1, order);
            Task<Void> b = waiter(notFull, 2, order);
            yieldTimes(1);
            try (var held = lock.acquired()) {
                assertTrue(notFull.locked());
                notEmpty.signalAll();
            }
            a.await();
            yieldTimes(2);
            assertEquals(List.of(1), order);
            assertFalse(b.done());
            try (var held = notFull.acquired()) {
                notFull.signal();
            }
            b.await();
            assertEquals(List.of(1, 2), order);
        });
    }

    @Test
    void toStringShowsLockStateAndWaiters() {
        AsyncIO.run(() -> {
            Condition cond = new Condition();
            assertEquals("<Condition [unlocked]>", cond.toString());
            waiter(cond, 0, new ArrayList<>());
            yieldTimes(1);
            assertEquals("<Condition [unlocked, waiters:1]>", cond.toString());
            cond.acquire();
            assertEquals("<Condition [locked, waiters:1]>", cond.toString());
            cond.signalAll();
            cond.release();
            yieldTimes(3);
            assertEquals("<Condition [unlocked]>", cond.toString());
        });
    }

    /**
     * A bounded buffer over two conditions, with random cancellations of producers and
     * consumers: every item produced is consumed exactly once, and nobody hangs.
     */
    @Test
    void stressBoundedBufferWithRandomCancellationsConservesItems() {
        AsyncIO.run(() -> {
            Lock lock = new Lock();
            Condition notEmpty = new Condition(lock);
            Condition notFull = new Condition(lock);
            java.util.ArrayDeque<Integer> buffer = new java.util.ArrayDeque<>();
            java.util.Random random = new java.util.Random(7);
            List<Integer> produced = new ArrayList<>();
            List<Integer> consumed = new ArrayList<>();
            List<Task<Void>> producers = new ArrayList<>();
            for (int p = 0; p < 30; p++) {
                int base = p * 1000;
                producers.add(AsyncIO.createTask(() -> {
                    for (int i = 0; i < 20; i++) {
                        try (var held = lock.acquired()) {
                            notFull.awaitFor(() -> buffer.size() < 5);
                            buffer.add(base + i);
                            produced.add(base + i);
                            notEmpty.signal();
                        }
                    }
                }));
            }
            List<Task<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 30; c++) {
                consumers.add(AsyncIO.createTask(() -> {
                    while (true) {
                        try (var held = lock.acquired()) {
                            notEmpty.awaitFor(() -> !buffer.isEmpty());
                            consumed.add(buffer.poll());
                            notFull.signal();
                        }
                    }
                }));
            }
            List<Task<Void>> all = new ArrayList<>(producers);
            all.addAll(consumers);
            for (int i = 0; i < 40; i++) {
                yieldTimes(1 + random.nextInt(4));
                all.get(random.nextInt(all.size())).cancel();
            }
            AsyncIO.gather(true, producers).await();
            int spins = 0;
            while (!buffer.isEmpty() && consumers.stream().anyMatch(t -> !t.done())) {
                yieldTimes(1);
                assertTrue(++spins < 10_000, "live consumers leave items in the buffer: a signal was lost");
            }
            consumed.addAll(buffer);   // only if every consumer was cancelled
            buffer.clear();
            for (Task<Void> c : consumers) {
                c.cancel();
            }
            AsyncIO.gather(true, consumers).await();
            List<Integer> sortedProduced = new ArrayList<>(produced);
            List<Integer> sortedConsumed = new ArrayList<>(consumed);
            java.util.Collections.sort(sortedProduced);
            java.util.Collections.sort(sortedConsumed);
            assertEquals(sortedProduced, sortedConsumed);
            assertTrue(produced.size() > 300, "produced " + produced.size());
            assertEquals(new Lock.Statistics(false, 0), lock.statistics());
            assertEquals(0, notEmpty.statistics().tasksWaiting());
            assertEquals(0, notFull.statistics().tasksWaiting());
        });
    }
}
