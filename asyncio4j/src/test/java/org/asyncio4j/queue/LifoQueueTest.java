package org.asyncio4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LifoQueueTest {

    @Test
    void theLastItemInIsTheFirstOut() {
        LifoQueue<Integer> q = new LifoQueue<>();
        for (int i = 0; i < 5; i++) {
            q.putNowait(i);
        }
        List<Integer> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait());
        }
        assertEquals(List.of(4, 3, 2, 1, 0), out);
    }

    @Test
    void nullItemsAreAllowed() {
        LifoQueue<String> q = new LifoQueue<>();
        q.putNowait("a");
        q.putNowait(null);
        assertNull(q.getNowait());
        assertEquals("a", q.getNowait());
    }

    @Test
    void aBoundedStackMakesPuttersWaitAndServesThemInOrder() {
        AsyncIO.run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>(2);
            q.put(1);
            q.put(2);
            assertThrows(QueueFull.class, () -> q.putNowait(3));
            Task<Void> putter = AsyncIO.createTask(() -> q.put(3));
            AsyncIO.sleep(0);
            assertEquals(2, q.get());   // makes room; the putter pushes 3 on top
            putter.await();
            assertEquals(3, q.get());
            assertEquals(1, q.get());
            assertTrue(q.empty());
        });
    }

    @Test
    void toStringListsTheStackBottomFirst() {
        LifoQueue<String> q = new LifoQueue<>(5);
        q.putNowait("bottom");
        q.putNowait("top");
        assertEquals("<LifoQueue maxsize=5 _queue=[bottom, top] tasks=2>", q.toString());
    }

    @Test
    void shutdownLetsGetsDrainTheStack() {
        LifoQueue<Integer> q = new LifoQueue<>();
        q.putNowait(1);
        q.putNowait(2);
        q.shutdown();
        assertThrows(QueueShutDown.class, () -> q.putNowait(3));
        assertEquals(2, q.getNowait());
        assertEquals(1, q.getNowait());
        assertThrows(QueueShutDown.class, q::getNowait);
    }
}
