package org.asyncio4j.loop;

import org.asyncio4j.future.Task;

/**
 * Low-level instrumentation seam (DESIGN §4): told when each task of this JVM starts and
 * finishes, for a layer that records tasks (the debug layer's JFR events,
 * {@code org.asyncio4j.TaskStart} and {@code org.asyncio4j.TaskFinish}). No asyncio
 * counterpart.
 *
 * <p>One observer at most is installed, for every loop, with
 * {@link EventLoop#setTaskObserver}; with none (the normal case) a task start or finish
 * costs the kernel one read of a static field. The debug layer installs its own only while
 * a JFR recording runs.
 *
 * <p>Both calls come from the task's loop thread, inline: they must be quick, must not
 * throw, and must not run user code or change the task.
 */
public interface TaskObserver {
    /**
     * A task was made and registered with its loop; its first step has not run yet (an eager
     * task's runs right after this call).
     *
     * @param task the task
     */
    void taskStarted(Task<?> task);

    /**
     * A task is done, or its eager start failed (then it is still pending and is dropped).
     *
     * @param task the task
     * @param exception what its coroutine threw (a {@code CancelledError} when it was
     *     cancelled there), what refused its eager start, or {@code null} when it returned;
     *     {@code task.cancelled()} tells whether it ended cancelled
     */
    void taskFinished(Task<?> task, Throwable exception);
}
