package org.asyncio4j.loop;

/**
 * The kernel's instrumentation seam (DESIGN §4): what a debugging or monitoring layer
 * implements to learn about loops without the kernel naming it. Implementations are found
 * with {@link java.util.ServiceLoader} (a {@code META-INF/services} entry) when the first
 * loop is made; the library's own, in {@code org.asyncio4j.debug}, start the blocked-loop
 * watchdog, register the JMX view and install the JFR task events' {@link TaskObserver}
 * while a recording runs.
 *
 * <p>Both calls come from the loop's own thread, off its hot path: once when a loop first
 * runs, once when it closes. They must be quick and must not throw (a failure is logged
 * and the loop goes on).
 */
public interface LoopInstrumentation {
    /**
     * A loop runs for the first time, on the calling thread.
     *
     * @param loop the loop
     */
    void loopStarted(EventLoop loop);

    /**
     * A loop that ran has been closed.
     *
     * @param loop the loop
     */
    void loopClosed(EventLoop loop);
}
