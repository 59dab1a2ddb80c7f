package org.asyncio4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PriorityQueueTest {

    record Job(int priority, String name) {
    }

    @Test
    void theSmallestItemComesOutFirstInNaturalOrder() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        Random random = new Random(3);
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int x = random.nextInt(1000);
            items.add(x);
            q.putNowait(x);
        }
        items.sort(null);
        List<Integer> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait());
        }
        assertEquals(items, out);
        assertNull(q.comparator());
    }

    @Test
    void aComparatorDecidesTheOrder() {
        Comparator<Job> byPriority = Comparator.comparingInt(Job::priority);
        PriorityQueue<Job> q = new PriorityQueue<>(3, byPriority);
        assertSame(byPriority, q.comparator());
        q.putNowait(new Job(2, "b"));
        q.putNowait(new Job(3, "c"));
        q.putNowait(new Job(1, "a"));
        assertThrows(QueueFull.class, () -> q.putNowait(new Job(0, "z")));
        assertEquals("a", q.getNowait().name());
        assertEquals("b", q.getNowait().name());
        assertEquals("c", q.getNowait().name());
        PriorityQueue<Integer> reversed = new PriorityQueue<>(Comparator.reverseOrder());
        reversed.putNowait(1);
        reversed.putNowait(5);
        assertEquals(5, reversed.getNowait());
    }

    @Test
    void nullAndIncomparableItemsAreRefusedAndLeaveTheQueueAsItWas() {
        PriorityQueue<Object> q = new PriorityQueue<>(2);
        q.putNowait("a");
        NullPointerException npe = assertThrows(NullPointerException.class, () -> q.putNowait(null));
        assertTrue(npe.getMessage().contains("null"), npe.getMessage());
        assertThrows(ClassCastException.class, () -> q.putNowait(new Object()));
        assertEquals(1, q.qsize());
        assertEquals(1, q.statistics().unfinishedTasks());
        assertEquals("a", q.getNowait());
    }

    @Test
    void aWaitingGetterGetsTheSmallestOfWhatWasPutBeforeItRan() {
        AsyncIO.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            Task<Integer> getter = AsyncIO.createTask(q::get);
            AsyncIO.sleep(0);
            q.putNowait(9);
            q.putNowait(4);
            q.putNowait(6);
            assertEquals(4, getter.await());
            assertEquals("<PriorityQueue maxsize=0 _queue=[6, 9] tasks=3>", q.toString());
        });
    }

    @Test
    void immediateShutdownDrainsTheHeap() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        q.putNowait(2);
        q.putNowait(1);
        q.shutdown(true);
        assertTrue(q.empty());
        assertThrows(QueueShutDown.class, q::getNowait);
    }
}
