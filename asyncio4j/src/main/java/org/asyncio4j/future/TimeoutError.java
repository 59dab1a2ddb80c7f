package org.asyncio4j.future;

/**
 * An operation did not finish before its deadline (asyncio's {@code TimeoutError}, which
 * since Python 3.11 is the built-in {@code TimeoutError}).
 *
 * <p>Unchecked, like every error that crosses an await in asyncio4j. It is distinct from
 * {@link java.util.concurrent.TimeoutException}, which is checked; interop methods that
 * hand a {@code CompletableFuture} back to Java code translate between the two.
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A timeout without a message. */
    public TimeoutError() {
        super();
    }

    /**
     * @param message what timed out
     */
    public TimeoutError(String message) {
        super(message);
    }
}
