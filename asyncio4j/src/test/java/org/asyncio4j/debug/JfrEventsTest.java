package org.asyncio4j.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.asyncio4j.LogCapture;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JfrEventsTest {

    private static List<RecordedEvent> eventsOf(Recording r, String name) throws Exception {
        Path file = Files.createTempFile("asyncio4j-jfr", ".jfr");
        try {
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(name)).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aSlowCallbackInDebugModeIsAJfrEvent() throws Exception {
        try (Recording r = new Recording(); LogCapture log = new LogCapture(); EventLoop loop = new EventLoop()) {
            r.enable("org.asyncio4j.SlowCallback");
            r.start();
            loop.setDebug(true);
            loop.setSlowCallbackDuration(0); // every callback is slow
            loop.runUntilComplete(loop.createTask(() -> null, "quick"));
            r.stop();
            List<RecordedEvent> events = eventsOf(r, "org.asyncio4j.SlowCallback");
            assertTrue(events.stream().anyMatch(e -> e.getString("callback").contains("name='quick'")), events::toString);
        }
    }

    @Test
    void aBlockedLoopIsAJfrEventWhenItEnds() throws Exception {
        try (Recording r = new Recording(); LogCapture log = new LogCapture()) {
            r.enable("org.asyncio4j.BlockedLoop");
            r.start();
            EventLoop loop = new EventLoop();
            loop.setBlockedLoopThreshold(0.02);
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread t = BlockedLoopWatchdogTest.blockingLoop(loop, "jfr-blocked-loop", blocked, release);
            blocked.await();
            BlockedLoopWatchdogTest.awaitWarning(log, "jfr-blocked-loop is blocked");
            release.countDown();
            BlockedLoopWatchdogTest.awaitWarning(log, "jfr-blocked-loop is running again");
            t.join();
            r.stop();
            List<RecordedEvent> events = eventsOf(r, "org.asyncio4j.BlockedLoop");
            assertEquals(1, events.size(), events::toString);
            assertEquals("jfr-blocked-loop", events.get(0).getString("loopThread"));
            assertEquals("hog", events.get(0).getString("task"));
            assertTrue(events.get(0).getLong("blockedFor") >= 20_000_000L, events::toString);
        }
    }
}
