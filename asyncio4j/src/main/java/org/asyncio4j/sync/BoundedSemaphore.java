package org.asyncio4j.sync;

/**
 * A {@link Semaphore} that refuses to be released more often than acquired (asyncio's
 * {@code asyncio.BoundedSemaphore}): {@link #release()} fails if it would raise the
 * counter above its initial value, which catches a release without a matching acquire.
 *
 * <pre>{@code
 * BoundedSemaphore pool = new BoundedSemaphore(4);
 * try (var _ = pool.acquired()) {
 *     use(connection);
 * }
 * pool.release();    // IllegalStateException: released too many times
 * }</pre>
 *
 * <p>The check counts permits, not holders: a permit handed to a woken task that has not
 * run yet counts as held, as in asyncio.
 */
public final class BoundedSemaphore extends Semaphore {
    /** The initial value, which the counter may never exceed. */
    private final int bound;

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits.
     *
     * @param value the initial counter and its bound; not negative
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /** @return the initial value, which {@link #value()} may never exceed */
    public int bound() {
        return bound;
    }

    /**
     * Returns a permit, as {@link Semaphore#release()}, unless every permit is already free.
     *
     * @throws IllegalStateException if the counter is already at its initial value
     *     (asyncio's {@code ValueError('BoundedSemaphore released too many times')}), or if
     *     called from another thread while its loop runs; either way the semaphore is unchanged
     */
    @Override
    public void release() {
        checkThread("release()");
        if (value() >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: all " + bound
                    + " permits are already free (" + this + ")");
        }
        super.release();
    }
}
