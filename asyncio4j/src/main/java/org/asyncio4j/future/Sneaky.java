package org.asyncio4j.future;

/**
 * Rethrows any throwable without wrapping it and without declaring it.
 *
 * <p>asyncio4j lets exceptions cross an await unchanged: the awaiter sees the very object
 * the coroutine threw. A checked exception thrown inside a task therefore reaches the
 * awaiter undeclared, as it would in Kotlin or Python; this is the one place that does it.
 */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} as it is. Declared to return an error so callers can write
     * {@code throw Sneaky.rethrow(t)} and keep the compiler's flow analysis.
     *
     * @param t the throwable to throw
     * @return never returns
     */
    public static RuntimeException rethrow(Throwable t) {
        throw Sneaky.<RuntimeException>cast(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E cast(Throwable t) throws E {
        throw (E) t;
    }
}
