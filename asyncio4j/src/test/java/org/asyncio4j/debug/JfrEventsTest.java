package org.asyncio4j.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.LogCapture;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JfrEventsTest {

    /** @return the events of {@code r} named {@code name}, or all of them when it is null */
    private static List<RecordedEvent> eventsOf(Recording r, String name) throws Exception {
        Path file = Files.createTempFile("asyncio4j-jfr", ".jfr");
        try {
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> name == null || e.getEventType().getName().equals(name)).toList();
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

    /** Runs, on a fresh loop, a task "jfr-main" that starts "jfr-ok", "jfr-failing" and "jfr-cancelled" and waits for them. */
    private static void runThreeTasks() {
        try (EventLoop loop = new EventLoop()) {
            loop.setExceptionHandler((l, context) -> { });
            loop.runUntilComplete(loop.createTask(() -> {
                Task<String> ok = AsyncIO.createTask(() -> "fine", "jfr-ok");
                Task<Object> failing = AsyncIO.createTask(() -> {
                    throw new IllegalArgumentException("bad input");
                }, "jfr-failing");
                Task<Object> cancelled = AsyncIO.createTask(() -> {
                    AsyncIO.sleep(3600);
                    return null;
                }, "jfr-cancelled");
                AsyncIO.sleep(0);
                cancelled.cancel();
                AsyncIO.gather(true, List.of(ok, failing, cancelled)).await();
                return null;
            }, "jfr-main"));
        }
    }

    /** @return the events named {@code type} of the tasks whose name starts with "jfr-", by task name */
    private static Map<String, RecordedEvent> taskEvents(List<RecordedEvent> all, String type) {
        Map<String, RecordedEvent> byTask = new TreeMap<>();
        for (RecordedEvent e : all) {
            if (e.getEventType().getName().equals(type) && e.getString("task").startsWith("jfr-")) {
                assertNull(byTask.put(e.getString("task"), e), () -> "two " + type + " events for " + e);
            }
        }
        return byTask;
    }

    @Test
    void taskStartsAndFinishesAreJfrEventsWhenARecordingEnablesThem() throws Exception {
        List<RecordedEvent> all;
        try (Recording r = new Recording()) {
            r.enable("org.asyncio4j.TaskStart");
            r.enable("org.asyncio4j.TaskFinish");
            r.start();
            runThreeTasks();
            r.stop();
            all = eventsOf(r, null);
        }
        Set<String> names = Set.of("jfr-main", "jfr-ok", "jfr-failing", "jfr-cancelled");
        Map<String, RecordedEvent> starts = taskEvents(all, "org.asyncio4j.TaskStart");
        Map<String, RecordedEvent> finishes = taskEvents(all, "org.asyncio4j.TaskFinish");
        assertEquals(names, starts.keySet(), all::toString);
        assertEquals(names, finishes.keySet(), all::toString);
        assertEquals("", starts.get("jfr-main").getString("parent"));
        assertEquals("jfr-main", starts.get("jfr-ok").getString("parent"));
        assertEquals(starts.get("jfr-ok").getString("taskId"), finishes.get("jfr-ok").getString("taskId"));
        assertTrue(starts.get("jfr-ok").getString("taskId").startsWith("0x"), starts::toString);
        assertEquals("result", finishes.get("jfr-ok").getString("outcome"));
        assertEquals("", finishes.get("jfr-ok").getString("exception"));
        assertEquals("exception", finishes.get("jfr-failing").getString("outcome"));
        assertEquals("java.lang.IllegalArgumentException: bad input", finishes.get("jfr-failing").getString("exception"));
        assertEquals("cancelled", finishes.get("jfr-cancelled").getString("outcome"));
        for (String n : names) {
            assertFalse(finishes.get(n).getStartTime().isBefore(starts.get(n).getStartTime()), n);
        }
    }

    @Test
    void taskEventsAreDisabledByDefaultSoARecordingWithTheDefaultSettingsHasNone() throws Exception {
        List<RecordedEvent> all;
        try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
            r.start();
            runThreeTasks();
            r.stop();
            all = eventsOf(r, null);
        }
        assertEquals(Map.of(), taskEvents(all, "org.asyncio4j.TaskStart"));
        assertEquals(Map.of(), taskEvents(all, "org.asyncio4j.TaskFinish"));
    }

    @Test
    void withoutARecordingTheKernelHasNoTaskObserver() {
        runThreeTasks(); // the debug layer is loaded
        assertNull(EventLoop.taskObserver());
        try (Recording r = new Recording()) {
            r.start();
            assertNotNull(EventLoop.taskObserver());
            r.stop();
        }
        assertNull(EventLoop.taskObserver());
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
