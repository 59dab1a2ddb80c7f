package org.asyncio4j.debug;

/**
 * The JMX view of one event loop, registered as {@code org.asyncio4j:type=EventLoop,id=N}
 * in the platform MBean server while the loop lives (from its first run to its close).
 * {@code bin/asyncio4j ps|pstree <pid>} reads it from another JVM. Each read runs on the
 * loop's thread; a loop that does not answer within five seconds fails the read with the
 * stack of what holds it.
 */
public interface EventLoopMXBean {
    /** @return the iterations the loop has run */
    long getIterations();

    /** @return the callbacks ready to run now */
    int getReadyQueueLength();

    /** @return the tasks that are not done */
    int getTasksAlive();

    /** @return the name of the thread running the loop, or the empty string when it is not running */
    String getThreadName();

    /** @return one line per task, as {@link TaskDump#table} writes it ({@code ps}) */
    String dumpTasks();

    /** @return the tree of tasks and the deadlocks, as {@link TaskDump#dump} writes them ({@code pstree}) */
    String dumpTree();
}
