package org.asyncio4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedSemaphoreTest {

    @Test
    void releasingAnUnacquiredPermitFailsAndLeavesTheCounter() {
        BoundedSemaphore sem = new BoundedSemaphore(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
        assertEquals(2, sem.value());
        assertEquals(2, sem.bound());
    }

    @Test
    void releasesMatchingAcquiresAreFineAndOneMoreFails() {
        AsyncIO.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            sem.acquire();
            sem.acquire();
            sem.release();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(2, sem.value());
            try (var held = sem.acquired()) {
                assertEquals(1, sem.value());
            }
            assertEquals(2, sem.value());
        });
    }

    @Test
    void aReleaseHandedToAWaiterCountsAsHeld() {
        AsyncIO.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Void> waiter = AsyncIO.createTask(sem::acquire);
            AsyncIO.sleep(0);
            sem.release();   // handed to the waiter
            waiter.await();
            sem.release();   // the waiter's permit
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(1, sem.value());
        });
    }

    @Test
    void aNegativeValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-3));
        assertEquals(1, new BoundedSemaphore().bound());
    }

    @Test
    void itIsASemaphoreAndSaysSo() {
        Semaphore sem = new BoundedSemaphore(3);
        assertEquals("<BoundedSemaphore [unlocked, value:3]>", sem.toString());
    }
}
