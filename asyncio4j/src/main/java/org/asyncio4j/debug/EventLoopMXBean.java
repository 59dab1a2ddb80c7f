package org.asyncio4j.debug;

/**
 * The JMX view of one event loop, registered as {@code org.asyncio4j:type=EventLoop,id=N}
 * in the platform MBean server while the loop lives (from its first run to its close).
 * {@code bin/asyncio4j ps|pstree <pid>} reads it from another JVM. Each read runs on the
 * loop's thread; a loop that does not take it up within five seconds fails the read with
 * the stack of what holds it. A dump is read in pieces ({@link #openDump},
 * {@link #readDump}), so a million tasks are never one string.
 */
public interface EventLoopMXBean {
    /** @return the iterations the loop has run */
    long getIterations();

    /** @return the callbacks ready to run now */
    int getReadyQueueLength();

    /** @return the tasks that are not done */
    int getTasksAlive();

    /**
     * @return seconds the loop has spent in its selector (waiting for I/O, a timer or a
     *     wake-up), over all its runs
     */
    double getSelectSeconds();

    /**
     * @return seconds the loop has spent running callbacks, task steps and timers: its time
     *     running minus {@link #getSelectSeconds()}
     */
    double getCallbackSeconds();

    /** @return the name of the thread running the loop, or the empty string when it is not running */
    String getThreadName();

    /**
     * Takes a snapshot of the loop's tasks for a dump read with {@link #readDump}; the
     * dump's lines are written as they are read, a few hundred tasks at a time.
     *
     * @param tree true for the tree of tasks and the deadlocks, as {@link TaskDump#dump}
     *     writes them ({@code pstree}); false for one line per task, as
     *     {@link TaskDump#table} writes it ({@code ps})
     * @return the dump's number, for {@link #readDump} and {@link #closeDump}
     */
    long openDump(boolean tree);

    /**
     * @param dump a number {@link #openDump} returned
     * @return the next piece of the dump's text, or {@code null} when all of it was read
     *     (the dump is then closed)
     * @throws IllegalArgumentException if no such dump is open (closed, read to its end,
     *     or left unread for a minute)
     */
    String readDump(long dump);

    /**
     * Drops a dump that will not be read to its end; unknown numbers are ignored.
     *
     * @param dump a number {@link #openDump} returned
     */
    void closeDump(long dump);
}
