package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.loop.Handle;
import org.asyncio4j.loop.Origin;
import org.asyncio4j.loop.TimerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Debug mode records where futures, tasks and handles were made (in the root package: {@link Origin} skips the kernel's frames). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OriginTest {

    @Test
    void inDebugModeFuturesTasksAndHandlesShowWhereTheyWereCreated() {
        try (EventLoop loop = new EventLoop()) {
            loop.setDebug(true);
            loop.runUntilComplete(loop.createTask(() -> {
                Future<Void> f = loop.createFuture();
                Handle h = loop.callSoon(() -> { });
                TimerHandle t = loop.callLater(10, () -> { });
                Task<?> me = loop.currentTask();
                for (Object o : List.of(f, h, t)) {
                    assertTrue(o.toString().contains(" created at " + OriginTest.class.getName() + ".lambda$"), o.toString());
                    assertSame(me, Origin.of(o).creator());
                }
                t.cancel();
                return null;
            }));
        }
    }

    @Test
    void outsideDebugModeNothingIsRecorded() {
        try (EventLoop loop = new EventLoop()) {
            Future<Void> f = loop.createFuture();
            assertNull(Origin.of(f));
            assertFalse(f.toString().contains("created at"), f.toString());
        }
    }

    @Test
    void inDebugModeAnUnretrievedTaskExceptionCarriesTheTaskCreationFrames() {
        List<ExceptionContext> handled = new ArrayList<>();
        EventLoop loop = new EventLoop();
        try {
            loop.setDebug(true);
            loop.setExceptionHandler((l, c) -> {
                handled.add(c);
                l.stop();
            });
            spawnFailing(loop);
            GcReports.runUntilReported(loop, handled);
        } finally {
            loop.close();
        }
        assertEquals(1, handled.size(), "reports: " + handled);
        ExceptionContext c = handled.get(0);
        assertTrue(c.message().startsWith("Task exception was never retrieved: <Task finished"), c.message());
        assertTrue(c.message().contains("created at " + OriginTest.class.getName() + ".spawnFailing"), c.message());
        assertTrue(String.valueOf(c.extra().get("source_traceback")).contains("at " + OriginTest.class.getName()
                + ".inDebugModeAnUnretrievedTaskExceptionCarriesTheTaskCreationFrames"), c.extra().toString());
    }

    private static void spawnFailing(EventLoop loop) {
        loop.createTask(() -> {
            throw new IllegalStateException("nobody awaited me");
        });
    }
}
