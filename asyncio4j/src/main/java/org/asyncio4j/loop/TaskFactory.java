package org.asyncio4j.loop;

import org.asyncio4j.future.Context;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Task;

/**
 * Makes the tasks of {@link EventLoop#createTask} (asyncio's
 * {@code loop.set_task_factory}). The returned task must be bound to {@code loop} and
 * drive {@code coro}.
 */
@FunctionalInterface
public interface TaskFactory {
    /**
     * @param loop the loop
     * @param coro the coroutine to drive
     * @param name the requested name, or {@code null}
     * @param context the requested context, or {@code null} for a copy of the current one
     * @return the new task
     */
    Task<?> newTask(EventLoop loop, Coroutine<?> coro, String name, Context context);
}
