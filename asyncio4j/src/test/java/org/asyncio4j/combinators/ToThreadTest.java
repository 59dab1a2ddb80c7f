package org.asyncio4j.combinators;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.ContextVar;
import org.asyncio4j.future.Task;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** {@code AsyncIO.toThread} (asyncio's {@code asyncio.to_thread}). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToThreadTest {

    @Test
    void theCallRunsOnAVirtualThreadAndItsResultComesBack() {
        Thread loopThread = Thread.currentThread();
        Thread worker = AsyncIO.run(() -> AsyncIO.toThread(Thread::currentThread));
        assertNotSame(loopThread, worker);
        assertTrue(worker.isVirtual());
    }

    @Test
    void theCallsExceptionReachesTheCallerUnchanged() {
        IOException io = new IOException("disk on fire");
        IOException e = assertThrows(IOException.class, () -> AsyncIO.run(() -> AsyncIO.toThread(() -> {
            throw io;
        })));
        assertSame(io, e);
    }

    @Test
    void theCallSeesACopyOfTheCallersContext() {
        ContextVar<String> user = new ContextVar<>("user");
        AsyncIO.run(() -> {
            user.set("ada");
            String seen = AsyncIO.toThread(() -> {
                String before = user.get(null);
                user.set("changed on the thread");
                return before;
            });
            assertEquals("ada", seen);
            assertEquals("ada", user.get(null), "what the call sets stays in its copy");
        });
    }

    @Test
    void theLoopKeepsRunningTasksWhileTheCallBlocks() throws InterruptedException {
        CountDownLatch released = new CountDownLatch(1);
        String r = AsyncIO.run(() -> {
            // this task runs while the thread below is blocked, and releases it
            AsyncIO.createTask(() -> {
                AsyncIO.sleep(0);
                released.countDown();
            });
            return AsyncIO.toThread(() -> released.await(30, TimeUnit.SECONDS) ? "released by a task" : "timed out");
        });
        assertEquals("released by a task", r);
    }

    @Test
    void cancellationIsRaisedAtOnceWhileTheCallRunsToItsEnd() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean ranToTheEnd = new AtomicBoolean();
        AsyncIO.run(() -> {
            CheckedCallable<String, InterruptedException> blocking = () -> {
                started.countDown();
                go.await(30, TimeUnit.SECONDS);
                ranToTheEnd.set(true);
                finished.countDown();
                return "dropped";
            };
            Task<String> t = AsyncIO.createTask(() -> AsyncIO.toThread(blocking));
            AsyncIO.sleep(0); // t is now suspended in toThread
            // (a call that has not started when it is cancelled never starts: wait until it has)
            assertTrue(AsyncIO.toThread(() -> started.await(30, TimeUnit.SECONDS)));
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            go.countDown();
            assertTrue(AsyncIO.toThread(() -> finished.await(30, TimeUnit.SECONDS)));
        });
        assertTrue(ranToTheEnd.get());
    }

    @Test
    void aRunnableRunsToo() {
        AtomicBoolean ran = new AtomicBoolean();
        AsyncIO.run(() -> AsyncIO.toThread(() -> ran.set(true)));
        assertTrue(ran.get());
    }

    @Test
    void onAVirtualTimeLoopTheClockStandsStillWhileTheThreadWorks() throws InterruptedException {
        double[] time = new double[1];
        VirtualTimeLoop.runMain(() -> {
            AsyncIO.toThread(() -> {
                Thread.sleep(20);
                return null;
            });
            time[0] = AsyncIO.getRunningLoop().time();
        });
        assertEquals(0.0, time[0]);
    }

    @Test
    void callingItOutsideATaskOrWithNullIsAnError() {
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.toThread(() -> 1), "toThread()", "inside a task");
        AsyncIO.run(() -> {
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.toThread((CheckedCallable<String, RuntimeException>) null), "fn");
        });
    }
}
