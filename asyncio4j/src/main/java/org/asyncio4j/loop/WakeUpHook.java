package org.asyncio4j.loop;

import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;

/**
 * Low-level seam for test tools: decides when a task whose awaited future completed
 * resumes. With no hook set (the normal case) the task's next step is scheduled with
 * {@link EventLoop#callSoon}, as in asyncio; a hook may schedule it later, never earlier,
 * e.g. to explore other interleavings ({@code org.asyncio4j.testing.ScheduleFuzzer}). It
 * has no asyncio counterpart.
 *
 * <p>Contract: the hook must eventually run {@code step} exactly once, on the loop's
 * thread, in the task's context ({@link Task#getContext()}), e.g. with
 * {@code loop.callSoon(step, task.getContext())} after some extra iterations. It must not
 * run it inline, and must not run user code.
 */
@FunctionalInterface
public interface WakeUpHook {
    /**
     * Called when {@code task} is woken because {@code awaited} completed.
     *
     * @param task the task to resume
     * @param awaited the future it awaited, now done
     * @param step the task's next step, to schedule
     */
    void wakeUp(Task<?> task, Future<?> awaited, Runnable step);
}
