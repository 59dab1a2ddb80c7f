package org.asyncio4j.combinators;

import org.asyncio4j.future.Context;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.TaskFactory;

/**
 * A task factory whose tasks start eagerly (asyncio's {@code asyncio.eager_task_factory}
 * and {@code asyncio.create_eager_task_factory}, Python 3.12): {@code createTask} runs the
 * coroutine at once, synchronously, until its first real suspension. A coroutine that
 * finishes without suspending (a cache hit, a memoized value) returns a task that is
 * already done, and never costs a trip through the loop's ready queue.
 *
 * <pre>{@code
 * loop.setTaskFactory(AsyncIO.eagerTaskFactory());
 * Task<String> t = AsyncIO.createTask(() -> cache.get(key));   // done already on a hit
 * }</pre>
 *
 * <p>What changes for the code that creates the task: the coroutine's first steps run
 * before {@code createTask} returns, inside the new task (so {@code currentTask()} is the
 * new task there) and in its context; callbacks and tasks scheduled before it may run
 * after it. Awaiting a future that is already done does not suspend, so such a coroutine
 * runs on. When the loop is not running, tasks start lazily as usual.
 *
 * <p>Implementation overview: the kernel's {@link Task} constructor already knows how to
 * start eagerly ({@code eagerStart}); this factory only asks for it. A custom task class
 * plugs in through a {@link TaskConstructor}.
 */
public final class EagerTaskFactory implements TaskFactory {
    /**
     * Makes a task of a custom class (asyncio's {@code custom_task_constructor}, a callable
     * taking the coroutine, loop, name, context and {@code eager_start}). The task must be
     * bound to {@code loop}, drive {@code coro}, and start eagerly when {@code eagerStart}
     * is true, as {@link Task#Task(EventLoop, Coroutine, String, Context, boolean)} does.
     */
    @FunctionalInterface
    public interface TaskConstructor {
        /**
         * @param loop the loop
         * @param coro the coroutine
         * @param name the name, or {@code null}
         * @param context the context, or {@code null} for a copy of the current one
         * @param eagerStart always true here
         * @return the new task
         */
        Task<?> newTask(EventLoop loop, Coroutine<?> coro, String name, Context context, boolean eagerStart);
    }

    private static final EagerTaskFactory DEFAULT = new EagerTaskFactory(EagerTaskFactory::plainTask);

    private final TaskConstructor constructor;

    private EagerTaskFactory(TaskConstructor constructor) {
        this.constructor = constructor;
    }

    /**
     * @return the factory of eager plain {@link Task}s (asyncio's
     *     {@code asyncio.eager_task_factory}); pass it to {@link EventLoop#setTaskFactory}
     */
    public static EagerTaskFactory eagerTaskFactory() {
        return DEFAULT;
    }

    /**
     * A factory of eager tasks made by {@code constructor} (asyncio's
     * {@code asyncio.create_eager_task_factory(custom_task_constructor)}).
     *
     * @param constructor makes the tasks
     * @return the factory
     */
    public static EagerTaskFactory createEagerTaskFactory(TaskConstructor constructor) {
        if (constructor == null) {
            throw new NullPointerException("constructor must not be null");
        }
        return new EagerTaskFactory(constructor);
    }

    /**
     * Makes an eagerly started task: called by {@link EventLoop#createTask}.
     *
     * @param loop the loop
     * @param coro the coroutine
     * @param name the name, or {@code null}
     * @param context the context, or {@code null} for a copy of the current one
     * @return the task, possibly already done
     */
    @Override
    public Task<?> newTask(EventLoop loop, Coroutine<?> coro, String name, Context context) {
        return constructor.newTask(loop, coro, name, context, true);
    }

    private static <T> Task<T> plainTask(EventLoop loop, Coroutine<T> coro, String name, Context context, boolean eager) {
        return new Task<>(loop, coro, name, context, eager);
    }

    @Override
    public String toString() {
        return this == DEFAULT ? "eagerTaskFactory" : "createEagerTaskFactory(" + constructor + ")";
    }
}
