package org.asyncio4j.debug;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.asyncio4j.LogCapture;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockedLoopWatchdogTest {

    /** Waits until a WARNING containing {@code fragment} was logged. */
    static LogRecord awaitWarning(LogCapture log, String fragment) {
        LogRecord r;
        while ((r = log.find(Level.WARNING, fragment)) == null) {
            // a pause between polls, not a timing assumption: the poll repeats until it holds
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return r;
    }

    /**
     * Runs a loop on its own thread whose one task blocks its thread until {@code release}
     * opens, after opening {@code blocked}.
     */
    static Thread blockingLoop(EventLoop loop, String threadName, CountDownLatch blocked, CountDownLatch release) {
        return Thread.ofPlatform().name(threadName).start(() -> {
            try {
                loop.runUntilComplete(loop.createTask(() -> {
                    blocked.countDown();
                    release.await(); // holds the loop thread on purpose
                    return null;
                }, "hog"));
            } finally {
                loop.close();
            }
        });
    }

    @Test
    void aBlockedIterationIsReportedWithTheTaskAndItsStackThenWhenItEnds() throws Exception {
        try (LogCapture log = new LogCapture()) {
            EventLoop loop = new EventLoop();
            loop.setBlockedLoopThreshold(0.02);
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread t = blockingLoop(loop, "blocked-loop-1", blocked, release);
            blocked.await();
            String msg = awaitWarning(log, "event loop on thread blocked-loop-1 is blocked").getMessage();
            release.countDown();
            assertTrue(msg.contains("a step of task 'hog'"), msg);
            assertTrue(msg.contains("at java.base/java.util.concurrent.CountDownLatch.await"), msg);
            assertTrue(msg.contains("BlockedLoopWatchdogTest.lambda$blockingLoop"), msg);
            String end = awaitWarning(log, "event loop on thread blocked-loop-1 is running again").getMessage();
            assertTrue(end.matches(".*held it for about \\d+\\.\\d{3} seconds"), end);
            t.join();
        }
    }

    @Test
    void aLoopWithDetectionOffIsNotReported() throws Exception {
        try (LogCapture log = new LogCapture()) {
            EventLoop off = new EventLoop();
            off.setBlockedLoopThreshold(0.02);
            off.setBlockedLoopDetection(false);
            EventLoop on = new EventLoop();
            on.setBlockedLoopThreshold(0.02);
            CountDownLatch offBlocked = new CountDownLatch(1);
            CountDownLatch onBlocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread a = blockingLoop(off, "blocked-loop-off", offBlocked, release);
            offBlocked.await();
            Thread b = blockingLoop(on, "blocked-loop-on", onBlocked, release);
            onBlocked.await();
            // the loop left on blocked later, so when it is reported the other was blocked longer
            awaitWarning(log, "event loop on thread blocked-loop-on is blocked");
            assertNull(log.find(Level.WARNING, "blocked-loop-off"));
            release.countDown();
            a.join();
            b.join();
        }
    }

    @Test
    void theThresholdMustBePositive() {
        try (EventLoop loop = new EventLoop()) {
            assertTrue(loop.getBlockedLoopDetection());
            assertThrows(IllegalArgumentException.class, () -> loop.setBlockedLoopThreshold(0));
            assertThrows(IllegalArgumentException.class, () -> loop.setBlockedLoopThreshold(Double.NaN));
            assertFalse(loop.blockedLoopThreshold() <= 0);
        }
    }
}
