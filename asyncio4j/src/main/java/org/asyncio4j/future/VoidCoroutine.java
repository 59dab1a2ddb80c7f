package org.asyncio4j.future;

/**
 * A coroutine body that returns nothing, so a lambda needs no {@code return null}
 * (an {@code async def} without a {@code return}).
 *
 * <p>Every API that takes a {@link Coroutine} has an overload for this type, the way
 * {@code ExecutorService.submit} takes both {@code Callable} and {@code Runnable}: a block
 * lambda without a {@code return} picks this one. A {@code VoidCoroutine} is a
 * {@code CheckedRunnable<Exception>}; see {@link Coroutine} for where the
 * checked form is taken.
 */
@FunctionalInterface
public interface VoidCoroutine extends CheckedRunnable<Exception> {
    /**
     * Runs the body.
     *
     * @throws Exception any failure, which becomes the task's exception unchanged
     */
    @Override
    void run() throws Exception;
}
