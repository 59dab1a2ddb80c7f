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
class EventTest {

    private static void yieldTimes(int n) {
        for (int i = 0; i < n; i++) {
            AsyncIO.sleep(0);
        }
    }

    private static Task<Void> waiter(Event event, int id, List<Integer> order) {
        return AsyncIO.createTask(() -> {
            event.await();
            order.add(id);
        });
    }

    @Test
    void aNewEventIsUnsetAndSetClearFlipTheFlag() {
        Event event = new Event();
        assertFalse(event.isSet());
        event.set();
        assertTrue(event.isSet());
        event.set();
        assertTrue(event.isSet());
        event.clear();
        assertFalse(event.isSet());
    }

    @Test
    void awaitOnASetEventReturnsWithoutSuspending() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Event event = new Event();
            event.set();
            s.expect(1);
            AsyncIO.createTask(() -> s.expect(3));
            event.await();
            s.expect(2);
            yieldTimes(1);
            s.finish(4);
        });
    }

    @Test
    void setWakesEveryWaiterInTheOrderTheyStartedWaiting() {
        AsyncIO.run(() -> {
            Event event = new Event();
            List<Integer> order = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(waiter(event, i, order));
            }
            yieldTimes(2);
            assertEquals(List.of(), order);
            assertEquals(5, event.statistics().tasksWaiting());
            event.set();
            AsyncIO.gather(tasks).await();
            assertEquals(List.of(0, 1, 2, 3, 4), order);
            assertEquals(new Event.Statistics(true, 0), event.statistics());
        });
    }

    @Test
    void aWaiterWokenBySetReturnsEvenIfTheEventIsClearedBeforeItRuns() {
        AsyncIO.run(() -> {
            Event event = new Event();
            List<Integer> order = new ArrayList<>();
            Task<Void> t = waiter(event, 1, order);
            yieldTimes(1);
            event.set();
            event.clear();
            t.await();
            assertEquals(List.of(1), order);
        });
    }

    @Test
    void afterClearLaterAwaitsWaitForTheNextSet() {
        AsyncIO.run(() -> {
            Event event = new Event();
            event.set();
            event.clear();
            List<Integer> order = new ArrayList<>();
            Task<Void> t = waiter(event, 1, order);
            yieldTimes(3);
            assertFalse(t.done());
            event.set();
            t.await();
            assertEquals(List.of(1), order);
        });
    }

    @Test
    void aCancelledWaiterLeavesAndTheOthersAreStillWoken() {
        AsyncIO.run(() -> {
            Event event = new Event();
            List<Integer> order = new ArrayList<>();
            Task<Void> a = waiter(event, 1, order);
            Task<Void> b = waiter(event, 2, order);
            Task<Void> c = waiter(event, 3, order);
            yieldTimes(1);
            b.cancel();
            yieldTimes(1);
            assertEquals(2, event.statistics().tasksWaiting());
            event.set();
            c.cancel();     // woken, then cancelled before it runs: it raises, the others are unaffected
            AsyncIO.gather(true, List.of(a, b, c)).await();
            assertEquals(List.of(1), order);
            assertTrue(b.cancelled());
            assertTrue(c.cancelled());
            assertEquals(0, event.statistics().tasksWaiting());
        });
    }

    @Test
    void awaitOutsideATaskFailsEvenWhenTheEventIsSet() {
        Event event = new Event();
        IllegalStateException e = assertThrows(IllegalStateException.class, event::await);
        assertTrue(e.getMessage().startsWith("Event.await() suspends"), e.getMessage());
        event.set();
        assertThrows(IllegalStateException.class, event::await);
    }

    @Test
    void setFromAPlainCallbackWakesWaiters() {
        AsyncIO.run(() -> {
            Event event = new Event();
            AsyncIO.getRunningLoop().callLater(0.001, event::set);
            event.await();
            assertTrue(event.isSet());
        });
    }

    @Test
    void toStringShowsFlagAndWaiters() {
        AsyncIO.run(() -> {
            Event event = new Event();
            assertEquals("<Event [unset]>", event.toString());
            waiter(event, 0, new ArrayList<>());
            yieldTimes(1);
            assertEquals("<Event [unset, waiters:1]>", event.toString());
            event.set();
            yieldTimes(1);
            assertEquals("<Event [set]>", event.toString());
        });
    }
}
