package org.asyncio4j.future;

/**
 * A body that returns nothing and may throw the checked exception {@code E}, which the
 * compiler tracks: the form of a {@link VoidCoroutine} (or of a blocking call without a
 * result) taken by the methods that run the body themselves, so that they can declare
 * {@code throws E}. See {@link CheckedCallable}, which says which methods these are and how
 * {@code E} is inferred.
 *
 * <p>Each such method also has a {@link CheckedCallable} overload; as with
 * {@code ExecutorService.submit(Callable | Runnable)}, a block lambda without a
 * {@code return} picks this one, and a lambda that returns a value picks the other.
 *
 * @param <E> the checked exception the body may throw
 */
@FunctionalInterface
public interface CheckedRunnable<E extends Exception> {
    /**
     * Runs the body.
     *
     * @throws E the body's failure, which reaches the caller unchanged
     */
    void run() throws E;
}
