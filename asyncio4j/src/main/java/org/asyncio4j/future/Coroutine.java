package org.asyncio4j.future;

/**
 * The body of a task: an ordinary Java lambda or method that may suspend (asyncio's
 * coroutine, {@code async def}).
 *
 * <p>asyncio4j coroutines are stackful: inside a task, {@link Future#await()} and every
 * suspending method of the library (sleep, queue get, lock acquire, stream read, ...)
 * suspend the task, not the thread, at any depth of ordinary method calls. There is no
 * function colouring: a helper that awaits needs no special signature.
 *
 * <pre>{@code
 * Coroutine<String> hello = () -> {
 *     AsyncIO.sleep(0.1);
 *     return "hello";
 * };
 * String s = AsyncIO.run(hello);
 * }</pre>
 *
 * @param <T> the result type
 * @see VoidCoroutine for a body that returns nothing
 */
@FunctionalInterface
public interface Coroutine<T> {
    /**
     * Runs the body; called once, by the task that drives it.
     *
     * @return the task's result
     * @throws Exception any failure, which becomes the task's exception unchanged
     */
    T call() throws Exception;

    /**
     * Adapts a body that returns nothing; the coroutine's result is {@code null}.
     *
     * @param body the body
     * @return a coroutine running {@code body}
     */
    static Coroutine<Void> of(VoidCoroutine body) {
        return () -> {
            body.run();
            return null;
        };
    }
}
