package org.asyncio4j.sync;

/**
 * A held lock or semaphore permit, for try-with-resources: asyncio's {@code async with}.
 * {@link #close()} releases what was acquired and throws no checked exception.
 *
 * <pre>{@code
 * try (var _ = lock.acquired()) {      // acquire() may suspend here
 *     ...                              // the lock is held
 * }                                    // release(), whatever happened in the body
 * }</pre>
 *
 * <p>The acquisition happens before the block, in {@code acquired()}: if it is cancelled
 * there, the block and {@code close()} never run and nothing is held, exactly as with
 * {@code async with}. A guard is a view of its lock, not a token: the same object may be
 * returned for every acquisition, so close it once (try-with-resources does).
 */
@FunctionalInterface
public interface Guard extends AutoCloseable {
    /** Releases what was acquired (asyncio's {@code __aexit__}). */
    @Override
    void close();
}
