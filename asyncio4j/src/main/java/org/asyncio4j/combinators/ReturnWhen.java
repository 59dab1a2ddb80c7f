package org.asyncio4j.combinators;

/**
 * When {@link Wait#wait wait} returns (asyncio's {@code return_when} argument and its
 * constants {@code asyncio.FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and
 * {@code ALL_COMPLETED}, which are also {@code AsyncIO.FIRST_COMPLETED} and so on).
 * Whatever the choice, a timeout makes {@code wait} return early.
 */
public enum ReturnWhen {
    /** Return as soon as any future finishes or is cancelled. */
    FIRST_COMPLETED,
    /**
     * Return as soon as any future finishes by raising an exception (a cancelled future
     * does not count), or when all are done.
     */
    FIRST_EXCEPTION,
    /** Return when every future is done. */
    ALL_COMPLETED
}
