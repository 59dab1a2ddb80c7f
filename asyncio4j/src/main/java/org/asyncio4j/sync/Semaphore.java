package org.asyncio4j.sync;

import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ParkingLot;

/**
 * A counting semaphore for tasks (asyncio's {@code asyncio.Semaphore}): a counter that
 * {@link #acquire()} decrements, waiting while it is zero, and {@link #release()}
 * increments. Not owned: any code on the loop's thread may release it.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(10);     // at most 10 requests at once
 * try (var _ = slots.acquired()) {
 *     fetch(url);
 * }
 * }</pre>
 *
 * <p>Fair: tasks get permits in the order they started waiting. While any task waits, a
 * newcomer waits too, even if the counter is above zero (it would otherwise overtake a
 * woken task that has not run yet).
 *
 * <p>Implementation overview: the counter {@code value} and a {@link ParkingLot}. A
 * release hands its permit straight to the head of the line: it decrements the counter
 * again on the woken task's behalf, so the permit cannot be taken by anyone else before
 * that task runs. A woken task cancelled before it resumes gives its permit back (the
 * lot's abandon action). Whenever an acquire ends, by success or cancellation, it wakes
 * as many waiters as the counter allows, since tasks may have queued behind it while the
 * counter was positive. Invariants: {@code value >= 0}; every permit is either free
 * (counted in {@code value}), handed to a woken task that has not resumed yet, or held.
 * This is the algorithm of Python 3.12+ (earlier versions could strand waiters).
 *
 * <p>Designed for extension only by {@link BoundedSemaphore}, as in asyncio.
 */
public class Semaphore {
    private final ParkingLot waiters = new ParkingLot(this, this::returnHandedPermit);
    /** Released through {@link #acquired()}; shared by all holders, as a permit has no identity. */
    private final Guard guard = this::release;
    /** Free permits, not counting those handed to woken tasks. Never negative. */
    private int value;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @param value the initial counter; not negative
     * @throws IllegalArgumentException if {@code value} is negative (asyncio's
     *     {@code ValueError})
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
    }

    /**
     * @return the counter: free permits, not counting those handed to woken tasks that
     *     have not resumed yet (asyncio's private {@code _value}, shown in its repr)
     */
    public final int value() {
        return value;
    }

    /**
     * @return whether {@link #acquire()} would have to wait: no permit is free, or other
     *     tasks wait or are waking (asyncio's {@code locked()})
     */
    public final boolean locked() {
        return value == 0 || !waiters.isIdle();
    }

    /**
     * Suspending: takes a permit, waiting in line while none is free (asyncio's
     * {@code acquire()}, which returns {@code True}). Returns at once, without suspending,
     * if a permit is free and nobody waits.
     *
     * <p>Cancellation: raises {@link CancelledError} and no permit is held by this task.
     * Cancelled while waiting, its place in line is lost. Cancelled after a
     * {@link #release()} handed it a permit but before it ran, the permit goes back and on
     * to the next waiter: permits are never lost.
     *
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public final void acquire() {
        waiters.checkCanPark("Semaphore.acquire()");
        if (!locked()) {
            value--;
            return;
        }
        try {
            waiters.park();
            // the releaser already took our permit off the counter
        } finally {
            // tasks may have queued behind us while permits were free: wake as many as allowed
            while (value > 0 && wakeUpNext()) {
                // loop
            }
        }
    }

    /**
     * Suspending: {@link #acquire()}, then returns a guard that releases the permit when
     * closed: the form of {@code async with semaphore:}.
     *
     * <p>Cancellation: as {@link #acquire()}; when it raises, the try block does not run and
     * nothing is to be released.
     *
     * @return a guard whose {@code close()} calls {@link #release()}
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public final Guard acquired() {
        acquire();
        return guard;
    }

    /**
     * Returns a permit and wakes the first waiting task, if any, handing the permit to it
     * (asyncio's {@code release()}). May be called by any code on the loop's thread.
     *
     * @throws IllegalStateException if called from another thread while the semaphore's
     *     loop runs, or in {@link BoundedSemaphore} if it would raise the counter above its
     *     initial value; either way the semaphore is unchanged
     */
    public void release() {
        checkThread("release()");
        value++;
        wakeUpNext();
    }

    /** Refuses a call from another thread while the loop runs, before anything changes. */
    final void checkThread(String method) {
        waiters.checkThread(getClass().getSimpleName() + "." + method);
    }

    /** Hands one free permit to the head of the line; false if nobody is parked. */
    private boolean wakeUpNext() {
        if (waiters.count() == 0) {
            return false;
        }
        value--;
        waiters.unpark();
        return true;
    }

    /** The lot's abandon action: a woken task was cancelled; its handed permit is free again. */
    private void returnHandedPermit() {
        value++;
    }

    /**
     * @return a snapshot: the counter and how many tasks wait (woken ones included until
     *     they resume)
     */
    public final Statistics statistics() {
        return new Statistics(value, waiters.count() + waiters.waking());
    }

    /**
     * The state of a {@link Semaphore} at one moment.
     *
     * @param value the counter (free permits not yet handed to a woken task)
     * @param tasksWaiting the tasks waiting to acquire, woken ones included
     */
    public record Statistics(int value, int tasksWaiting) {
    }

    /** @return {@code <Semaphore [unlocked, value:N, waiters:M]>}, as asyncio's repr */
    @Override
    public String toString() {
        int n = waiters.count() + waiters.waking();
        return "<" + getClass().getSimpleName() + " [" + (locked() ? "locked" : "unlocked, value:" + value)
                + (n > 0 ? ", waiters:" + n : "") + "]>";
    }
}
