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
 * <p>A coroutine may throw any exception; the compiler does not track which. The methods
 * that run a body themselves and return its outcome ({@code AsyncIO.run},
 * {@code timeout}, {@code waitFor}, ...) take a {@link CheckedCallable} instead, the same
 * lambda with its checked exception type inferred, and declare that type. A
 * {@code Coroutine} is a {@code CheckedCallable<T, Exception>}.
 *
 * @param <T> the result type
 * @see VoidCoroutine for a body that returns nothing
 */
@FunctionalInterface
public interface Coroutine<T> extends CheckedCallable<T, Exception> {
    /**
     * Runs the body; called once, by the task that drives it.
     *
     * @return the task's result
     * @throws Exception any failure, which becomes the task's exception unchanged
     */
    @Override
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
