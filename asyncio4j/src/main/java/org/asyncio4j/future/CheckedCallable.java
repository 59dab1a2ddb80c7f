package org.asyncio4j.future;

/**
 * A body that returns a value and may throw the checked exception {@code E}, which the
 * compiler tracks: the form of a {@link Coroutine} (or of a blocking call) taken by the
 * methods that run the body themselves and return its outcome, so that they can declare
 * {@code throws E} (asyncio has no counterpart: Python has no checked exceptions).
 *
 * <p>Those methods are {@code AsyncIO.run}, {@code Runner.run}, {@code AsyncIO.timeout},
 * {@code timeoutAt}, {@code waitFor} on a coroutine, {@code Timeout.run} and
 * {@code toThread}. A lambda passed to them has its exception type inferred, so the
 * natural {@code catch} compiles:
 *
 * <pre>{@code
 * try {
 *     byte[] data = AsyncIO.toThread(() -> Files.readAllBytes(path));
 * } catch (NoSuchFileException e) {       // E is IOException here
 *     ...
 * }
 * }</pre>
 *
 * <p>{@code E} is inferred as {@link RuntimeException} for a body that throws no checked
 * exception (nothing to catch), as the one checked exception it throws, and as the
 * closest common supertype (often {@link Exception}) for several. A {@link Coroutine}
 * variable is a {@code CheckedCallable<T, Exception>}. Methods that hand back a
 * {@link Future} ({@code createTask}, {@code shield}, {@code runInExecutor}) cannot
 * declare the body's exception: it surfaces at {@link Future#await()}, undeclared.
 *
 * @param <T> the result type
 * @param <E> the checked exception the body may throw
 * @see CheckedRunnable for a body that returns nothing
 */
@FunctionalInterface
public interface CheckedCallable<T, E extends Exception> {
    /**
     * Runs the body.
     *
     * @return the result
     * @throws E the body's failure, which reaches the caller unchanged
     */
    T call() throws E;

    /**
     * Adapts a body that returns nothing; the result is {@code null}.
     *
     * @param body the body
     * @param <E> the checked exception the body may throw
     * @return a callable running {@code body}
     */
    static <E extends Exception> CheckedCallable<Void, E> of(CheckedRunnable<E> body) {
        return () -> {
            body.run();
            return null;
        };
    }
}
