package org.asyncio4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BarrierTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    private static Task<Integer> arrive(Barrier barrier) {
        return AsyncIO.createTask(barrier::await);
    }

    @Test
    void partiesBelowOneAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-2));
        assertEquals(1, new Barrier(1).parties());
    }

    @Test
    void tasksWaitUntilAllPartiesArriveAndGetTheirArrivalIndex() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = arrive(barrier);
            Task<Integer> b = arrive(barrier);
            yieldTimes(2);
            assertFalse(a.done() || b.done());
            assertEquals(2, barrier.nWaiting());
            int mine = barrier.await();
            assertEquals(2, mine);
            assertEquals(0, a.await());
            assertEquals(1, b.await());
            assertEquals(0, barrier.nWaiting());
            assertEquals("<Barrier [filling, waiters:0/3]>", barrier.toString());
        });
    }

    @Test
    void theLastToArriveDoesNotSuspend() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(1);
            s.expect(1);
            AsyncIO.createTask(() -> s.expect(3));
            assertEquals(0, barrier.await());
            s.expect(2);
            yieldTimes(1);
            s.finish(4);
        });
    }

    @Test
    void theBarrierCanBePassedAgainAndAgain() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(2);
            List<Integer> indexes = new ArrayList<>();
            Task<Void> other = AsyncIO.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    indexes.add(barrier.await());
                }
            });
            for (int i = 0; i < 5; i++) {
                indexes.add(barrier.await());
            }
            other.await();
            assertEquals(10, indexes.size());
            assertEquals(5, indexes.stream().filter(i -> i == 0).count());
            assertEquals(5, indexes.stream().filter(i -> i == 1).count());
        });
    }

    @Test
    void arrivalsWhileTheBarrierDrainsWaitForTheNextRound() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = arrive(barrier);
            yieldTimes(1);
            Task<Integer> b = arrive(barrier);   // will be the last of round one
            Task<Integer> c = arrive(barrier);   // arrives while round one drains
            yieldTimes(1);
            assertEquals("<Barrier [draining, waiters:0/2]>", barrier.toString());
            assertEquals(1, b.await());
            assertEquals(0, a.await());
            yieldTimes(2);
            assertFalse(c.done(), "c belongs to round two and waits for a partner");
            assertEquals(1, barrier.nWaiting());
            assertEquals(1, barrier.await());
            assertEquals(0, c.await());
        });
    }

    @Test
    void abortBreaksWaitersAndLaterArrivalsUntilReset() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = arrive(barrier);
            yieldTimes(1);
            barrier.abort();
            assertTrue(barrier.broken());
            assertEquals("<Barrier [broken]>", barrier.toString());
            assertThrows(BrokenBarrierError.class, a::await);
            assertThrows(BrokenBarrierError.class, barrier::await);
            barrier.reset();
            assertFalse(barrier.broken());
            Task<Integer> b = arrive(barrier);
            Task<Integer> c = arrive(barrier);
            yieldTimes(1);
            assertEquals(2, barrier.await());
            assertEquals(0, b.await());
            assertEquals(1, c.await());
        });
    }

    @Test
    void resetWhileTasksWaitRaisesBrokenBarrierInThemAndRefillsAfterwards() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = arrive(barrier);
            Task<Integer> b = arrive(barrier);
            yieldTimes(1);
            barrier.reset();
            assertEquals("<Barrier [resetting, waiters:0/3]>", barrier.toString());
            Task<Integer> late = arrive(barrier);   // waits until the reset is over
            BrokenBarrierError e = assertThrows(BrokenBarrierError.class, a::await);
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            assertThrows(BrokenBarrierError.class, b::await);
            yieldTimes(2);
            assertFalse(barrier.broken());
            assertEquals(1, barrier.nWaiting(), "the late task entered the refilled barrier");
            Task<Integer> d = arrive(barrier);
            yieldTimes(1);
            assertEquals(2, barrier.await());
            assertEquals(0, late.await());
            assertEquals(1, d.await());
        });
    }

    @Test
    void aCancelledWaiterLeavesTheBarrierWithoutBreakingIt() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = arrive(barrier);
            Task<Integer> b = arrive(barrier);
            yieldTimes(1);
            assertEquals(2, barrier.nWaiting());
            b.cancel();
            yieldTimes(1);
            assertTrue(b.cancelled());
            assertEquals(1, barrier.nWaiting());
            assertFalse(barrier.broken());
            Task<Integer> c = arrive(barrier);
            yieldTimes(1);
            assertEquals(2, barrier.await());
            assertEquals(0, a.await());
            assertEquals(1, c.await());
        });
    }

    @Test
    void aTaskCancelledAfterTheBarrierOpenedDoesNotHoldTheOthersBack() {
        AsyncIO.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = arrive(barrier);
            Task<Integer> b = arrive(barrier);
            yieldTimes(1);
            assertEquals(2, barrier.await());   // opens the barrier; a and b are woken
            a.cancel();                         // a is cancelled before it runs
            assertEquals(1, b.await());
            yieldTimes(1);
            assertTrue(a.cancelled());
            assertEquals("<Barrier [filling, waiters:0/3]>", barrier.toString(), "the barrier drained and refills");
        });
    }

    @Test
    void awaitOutsideATaskFails() {
        Barrier barrier = new Barrier(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, barrier::await);
        assertTrue(e.getMessage().startsWith("Barrier.await() suspends"), e.getMessage());
        assertEquals(0, barrier.nWaiting());
    }

    @Test
    void resetAndAbortNeedNoTask() {
        Barrier barrier = new Barrier(2);
        barrier.abort();
        assertTrue(barrier.broken());
        barrier.reset();
        assertFalse(barrier.broken());
        assertEquals("<Barrier [filling, waiters:0/2]>", barrier.toString());
    }
}
