package org.asyncio4j;

import java.util.List;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.TimerHandle;

/**
 * Waits for a report that comes when an object is garbage collected ("exception was never
 * retrieved"): runs the loop once, then collects and runs it again until the exception
 * handler has added something to {@code handled} (it should stop the loop when it does),
 * at most a hundred times.
 */
public final class GcReports {
    private GcReports() {
    }

    /**
     * @param loop a stopped loop whose exception handler adds to {@code handled} and stops it
     * @param handled what the handler has received
     */
    public static void runUntilReported(EventLoop loop, List<?> handled) {
        loop.stop();
        loop.runForever(); // what was scheduled runs (and fails)
        for (int i = 0; i < 100 && handled.isEmpty(); i++) {
            System.gc();
            TimerHandle timeout = loop.callLater(0.02, loop::stop);
            loop.runForever();
            timeout.cancel();
        }
    }
}
