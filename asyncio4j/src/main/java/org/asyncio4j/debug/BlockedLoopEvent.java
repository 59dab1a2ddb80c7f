package org.asyncio4j.debug;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * The JFR event of a blocked loop, committed by {@link BlockedLoopWatchdog} when the
 * blocking iteration ends (enabled by default, as it is rare). Its own duration is zero:
 * the block's length, as the watchdog measured it, is {@code blockedFor}.
 */
@Name("org.asyncio4j.BlockedLoop")
@Label("Blocked Event Loop")
@Category("asyncio4j")
@Description("One event loop iteration held the loop's thread longer than the blocked-loop threshold")
final class BlockedLoopEvent extends jdk.jfr.Event {
    @Label("Loop Thread")
    String loopThread;

    @Label("Task")
    @Description("The task whose step was running when the block was seen, or empty for a plain callback")
    String task;

    @Label("Blocked For")
    @Timespan(Timespan.NANOSECONDS)
    long blockedFor;
}
