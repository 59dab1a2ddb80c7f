package org.asyncio4j.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParkingLotTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    /** Starts {@code n} tasks that park in {@code lot} and record their index when they resume. */
    private static List<Task<Void>> parkAll(ParkingLot lot, int n, List<Integer> resumed) {
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            tasks.add(AsyncIO.createTask(() -> {
                lot.park();
                resumed.add(id);
            }));
        }
        return tasks;
    }

    @Test
    void parkedTasksAreWokenInTheOrderTheyParked() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            List<Integer> resumed = new ArrayList<>();
            parkAll(lot, 5, resumed);
            yieldTimes(1);
            assertEquals(5, lot.count());
            for (int i = 0; i < 5; i++) {
                assertTrue(lot.unpark());
                yieldTimes(1);
                assertEquals(List.of(0, 1, 2, 3, 4).subList(0, i + 1), resumed);
            }
            assertFalse(lot.unpark(), "nobody is left to wake");
            assertTrue(lot.isIdle());
        });
    }

    @Test
    void unparkNWakesAtMostNFromTheHeadAndSaysHowMany() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            List<Integer> resumed = new ArrayList<>();
            parkAll(lot, 4, resumed);
            yieldTimes(1);
            assertEquals(3, lot.unpark(3));
            assertEquals(1, lot.count());
            assertEquals(3, lot.waking());
            yieldTimes(1);
            assertEquals(List.of(0, 1, 2), resumed);
            assertEquals(0, lot.waking());
            assertEquals(1, lot.unpark(5));
            assertEquals(0, lot.unpark(5));
            assertEquals(0, lot.unpark(0));
            yieldTimes(1);
            assertEquals(List.of(0, 1, 2, 3), resumed);
        });
    }

    @Test
    void unparkAllWakesEveryParkedTaskInOrder() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            List<Integer> resumed = new ArrayList<>();
            parkAll(lot, 6, resumed);
            yieldTimes(1);
            assertEquals(6, lot.unparkAll());
            assertEquals(0, lot.count());
            assertEquals(6, lot.waking());
            yieldTimes(1);
            assertEquals(List.of(0, 1, 2, 3, 4, 5), resumed);
            assertTrue(lot.isIdle());
        });
    }

    @Test
    void aWokenTaskResumesAtTheNextIterationNeverInline() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            s.expect(1);
            AsyncIO.createTask(() -> {
                s.expect(2);
                lot.park();
                s.expect(5);
            });
            yieldTimes(1);
            s.expect(3);
            lot.unpark();
            s.expect(4);
            yieldTimes(1);
            s.finish(6);
        });
    }

    @Test
    void aTaskCancelledWhileParkedLeavesTheLineAtOnce() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            List<Integer> resumed = new ArrayList<>();
            List<Task<Void>> tasks = parkAll(lot, 3, resumed);
            yieldTimes(1);
            tasks.get(0).cancel();
            assertEquals(2, lot.count(), "the cancelled waiter left the line synchronously");
            assertTrue(lot.unpark(), "unpark wakes the next live waiter");
            yieldTimes(1);
            assertEquals(List.of(1), resumed);
            assertTrue(tasks.get(0).cancelled());
            assertEquals(0, lot.waking());
        });
    }

    @Test
    void aTaskCancelledAfterBeingWokenRunsTheAbandonActionOnceAndRaises() {
        AsyncIO.run(() -> {
            int[] abandoned = {0};
            ParkingLot[] holder = new ParkingLot[1];
            ParkingLot lot = new ParkingLot(() -> {
                abandoned[0]++;
                assertEquals(0, holder[0].waking(), "the abandoning task has left waking() already");
            });
            holder[0] = lot;
            List<Integer> resumed = new ArrayList<>();
            List<Task<Void>> tasks = parkAll(lot, 2, resumed);
            yieldTimes(1);
            lot.unpark();
            assertEquals(1, lot.waking());
            tasks.get(0).cancel();
            assertEquals(1, lot.count(), "the other task is still parked");
            yieldTimes(1);
            assertEquals(1, abandoned[0]);
            assertTrue(tasks.get(0).cancelled());
            assertEquals(List.of(), resumed);
            assertEquals(0, lot.waking());
            assertEquals(1, lot.count());
            lot.unpark();
            yieldTimes(1);
            assertEquals(List.of(1), resumed);
            assertEquals(1, abandoned[0], "a normal resume is not an abandon");
        });
    }

    @Test
    void aTaskCancelledWhileParkedDoesNotRunTheAbandonAction() {
        AsyncIO.run(() -> {
            int[] abandoned = {0};
            ParkingLot lot = new ParkingLot(() -> abandoned[0]++);
            Task<Void> t = AsyncIO.createTask(lot::park);
            yieldTimes(1);
            t.cancel();
            yieldTimes(1);
            assertTrue(t.cancelled());
            assertEquals(0, abandoned[0]);
            assertTrue(lot.isIdle());
        });
    }

    @Test
    void parkOutsideATaskFailsAtOnceWithAClearMessage() {
        ParkingLot lot = new ParkingLot();
        IllegalStateException e = assertThrows(IllegalStateException.class, lot::park);
        assertTrue(e.getMessage().contains("no task is running"), e.getMessage());
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> lot.checkCanPark("Thing.op()"));
        assertTrue(e2.getMessage().startsWith("Thing.op() suspends"), e2.getMessage());
        assertTrue(lot.isIdle());
    }

    @Test
    void parkInAPlainLoopCallbackFails() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            Future<Throwable> seen = AsyncIO.getRunningLoop().createFuture();
            AsyncIO.getRunningLoop().callSoon(() -> {
                try {
                    lot.park();
                    seen.setResult(null);
                } catch (Throwable t) {
                    seen.setResult(t);
                }
            });
            assertTrue(seen.await() instanceof IllegalStateException);
            assertTrue(lot.isIdle());
        });
    }

    @Test
    void aTaskOfAnotherLoopCannotParkWhileTasksOfTheFirstAreParked() {
        ParkingLot lot = new ParkingLot();
        EventLoop a = EventLoop.newEventLoop();
        EventLoop b = EventLoop.newEventLoop();
        try {
            Task<Void> parked = a.createTask(lot::park);
            a.runUntilComplete(a.createTask(() -> AsyncIO.sleep(0)));
            assertEquals(1, lot.count());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> b.runUntilComplete(b.createTask(lot::park)));
            assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
            assertEquals(1, lot.count());
            parked.cancel();
            a.runUntilComplete(a.createTask(() -> AsyncIO.sleep(0)));
            assertTrue(parked.cancelled());
            // once the first loop's tasks are gone, the lot serves the other loop
            Task<Void> later = b.createTask(lot::park);
            b.runUntilComplete(b.createTask(() -> AsyncIO.sleep(0)));
            assertEquals(1, lot.count());
            b.callSoon(lot::unpark);
            b.runUntilComplete(later);
            assertTrue(later.done() && !later.cancelled());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void unparkOfANegativeNumberIsRefused() {
        ParkingLot lot = new ParkingLot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lot.unpark(-1));
        assertTrue(e.getMessage().contains("-1"));
    }

    @Test
    void toStringShowsParkedAndWakingCounts() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            assertEquals("<ParkingLot parked:0, waking:0>", lot.toString());
            parkAll(lot, 3, new ArrayList<>());
            yieldTimes(1);
            lot.unpark();
            assertEquals("<ParkingLot parked:2, waking:1>", lot.toString());
            lot.unparkAll();
            yieldTimes(1);
            assertEquals("<ParkingLot parked:0, waking:0>", lot.toString());
        });
    }

    @Test
    void theTaskWaitsOnAWaiterFutureThatNamesTheLot() {
        AsyncIO.run(() -> {
            ParkingLot lot = new ParkingLot();
            Task<Void> t = AsyncIO.createTask(lot::park);
            yieldTimes(1);
            assertTrue(t.toString().contains("<ParkingLot waiter pending"), t.toString());
            lot.unpark();
            assertSame(null, t.await());
        });
    }
    @Test
    void unparkFromAnotherThreadFailsAndChangesNothing() throws Exception {
        ParkingLot lot = new ParkingLot();
        CountDownLatch parked = new CountDownLatch(1);
        CompletableFuture<Throwable> tried = new CompletableFuture<>();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Thread loopThread = new Thread(() -> {
            try {
                AsyncIO.run(() -> {
                    Task<Void> waiter = AsyncIO.createTask(lot::park);
                    yieldTimes(1);
                    parked.countDown();
                    Throwable refused = AsyncIO.wrapFuture(tried).await();
                    assertTrue(refused instanceof IllegalStateException, String.valueOf(refused));
                    assertEquals(1, lot.count(), "the refused unpark left the waiter in line");
                    assertEquals(0, lot.waking());
                    assertTrue(lot.unpark());
                    waiter.await();
                });
                finished.complete(null);
            } catch (Throwable t) {
                finished.completeExceptionally(t);
            }
        });
        loopThread.start();
        assertTrue(parked.await(30, TimeUnit.SECONDS));
        try {
            lot.unpark();
            tried.complete(null);
        } catch (Throwable t) {
            tried.complete(t);
        }
        finished.get(30, TimeUnit.SECONDS);
        loopThread.join();
    }
}
