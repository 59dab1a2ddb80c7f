package org.asyncio4j.sync;

/**
 * Raised by {@link Barrier#await()} when the barrier is broken ({@link Barrier#abort()}) or
 * is reset while the task waits in it ({@link Barrier#reset()}) (asyncio's
 * {@code asyncio.BrokenBarrierError}, a {@code RuntimeError}). Unchecked, unlike
 * {@code java.util.concurrent.BrokenBarrierException}, because asyncio's is not meant to
 * be declared on every await.
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why the barrier cannot be passed
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
