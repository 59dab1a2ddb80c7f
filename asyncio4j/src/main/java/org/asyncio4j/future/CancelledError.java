package org.asyncio4j.future;

/**
 * Raised at the await point of a task whose cancellation was requested (asyncio's
 * {@code asyncio.CancelledError}).
 *
 * <p>It extends {@link Error}, not {@link Exception}, on purpose: Python 3.8 moved
 * {@code CancelledError} under {@code BaseException} so that a broad
 * {@code except Exception:} no longer swallows a cancellation, and Java's
 * {@code ThreadDeath} extends {@code Error} for the same reason. A coroutine that wraps an
 * await in {@code catch (Exception e)} is therefore still cancelled. Catch
 * {@code CancelledError} explicitly to clean up, and rethrow it (or call
 * {@link Task#uncancel()} if the cancellation is really meant to be absorbed).
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * A cancellation carrying the message given to {@code cancel(msg)}.
     *
     * @param message the cancel message, or {@code null}
     */
    public CancelledError(String message) {
        super(message);
    }
}
