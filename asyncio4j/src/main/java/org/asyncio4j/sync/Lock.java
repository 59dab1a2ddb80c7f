package org.asyncio4j.sync;

import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ParkingLot;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/**
 * A mutual-exclusion lock for tasks (asyncio's {@code asyncio.Lock}). Not owned by a task:
 * any code on the loop's thread may release it. Not thread-safe; it serializes tasks of
 * one loop, not threads.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var _ = lock.acquired()) {      // async with lock:
 *     // access shared state
 * }
 * // or, spelled out:
 * lock.acquire();
 * try {
 *     // access shared state
 * } finally {
 *     lock.release();
 * }
 * }</pre>
 *
 * <p>Fair: tasks acquire the lock in the order they started waiting for it. A task that
 * finds it unlocked but with others already woken or waiting joins the end of the line
 * rather than overtaking them.
 *
 * <p>Implementation overview: {@code locked} and a {@link ParkingLot} of waiting tasks.
 * {@link #release()} unlocks and wakes the head of the line; the woken task locks it when
 * it resumes. Invariant: if the lock is unlocked and tasks are parked, exactly one task is
 * waking (woken and on its way to take the lock); so the fast path requires the lot to be
 * idle, and a woken task that is cancelled before it resumes hands the wake-up to the
 * next in line (the lot's abandon action). A parked task that is cancelled simply leaves
 * the line. Between being woken and resuming, the lock is unlocked but cannot be taken:
 * {@link #locked()} is false, yet {@link #acquire()} would wait; asyncio behaves the same.
 */
public final class Lock {
    private final ParkingLot waiters = new ParkingLot(this, this::wakeUpNextIfUnlocked);
    /** Released through {@link #acquired()}; one per lock, as only one holder exists. */
    private final Guard guard = this::release;
    private boolean locked;
    /** The task that acquired the lock while it is held (for task dumps), else null. */
    private Task<?> owner;

    /** An unlocked lock. */
    public Lock() {
    }

    /**
     * The task that acquired the lock, for task dumps and deadlock reports. asyncio's lock
     * does not record it; ours does, as it costs one field write.
     *
     * @return the holder while the lock is held, else {@code null}
     */
    public Task<?> owner() {
        return owner;
    }

    /** @return whether the lock is held (asyncio's {@code locked()}) */
    public boolean locked() {
        return locked;
    }

    /**
     * Suspending: acquires the lock, waiting in line until it is free (asyncio's
     * {@code acquire()}, which returns {@code True}). Returns at once, without suspending,
     * if the lock is unlocked and nobody waits.
     *
     * <p>Cancellation: raises {@link CancelledError} and the lock is not held by this
     * task. Cancelled while waiting, its place in line is lost and nothing else changes.
     * Cancelled after a {@link #release()} chose it but before it ran, the wake-up passes
     * to the next waiting task, so the lock is never left unlocked with tasks waiting.
     *
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public void acquire() {
        waiters.checkCanPark("Lock.acquire()");
        if (!locked && waiters.isIdle()) {
            locked = true;
            owner = EventLoop.peekRunningLoop().currentTask();
            return;
        }
        waiters.park();
        // invariant: a woken waiter finds the lock unlocked
        locked = true;
        owner = EventLoop.peekRunningLoop().currentTask();
    }

    /**
     * Suspending: {@link #acquire()}, then returns a guard that releases the lock when
     * closed: the form of {@code async with lock:}.
     *
     * <pre>{@code
     * try (var _ = lock.acquired()) {
     *     ...
     * }
     * }</pre>
     *
     * <p>Cancellation: as {@link #acquire()}; when it raises, the try block does not run
     * and nothing is to be released.
     *
     * @return a guard whose {@code close()} calls {@link #release()}
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public Guard acquired() {
        acquire();
        return guard;
    }

    /**
     * Releases the lock and wakes the first waiting task, if any (asyncio's
     * {@code release()}). May be called by any code on the loop's thread, in a task or not.
     *
     * @throws IllegalStateException if the lock is not held (asyncio's
     *     {@code RuntimeError('Lock is not acquired.')}), or if called from another thread
     *     while the lock's loop runs; either way the lock is unchanged
     */
    public void release() {
        waiters.checkThread("Lock.release()");
        if (!locked) {
            throw new IllegalStateException("Lock.release() called on an unlocked lock: " + this);
        }
        locked = false;
        owner = null;
        // invariant: nobody is waking while the lock is held, so this wakes exactly one
        waiters.unpark();
    }

    /** The lot's abandon action: a woken task was cancelled before it took the lock. */
    private void wakeUpNextIfUnlocked() {
        if (!locked) {
            waiters.unpark();
        }
    }

    /**
     * @return a snapshot of the lock's state: whether it is held and how many tasks wait
     *     for it (woken ones included until they resume)
     */
    public Statistics statistics() {
        return new Statistics(locked, waiters.count() + waiters.waking());
    }

    /**
     * The state of a {@link Lock} at one moment.
     *
     * @param locked whether the lock was held
     * @param tasksWaiting the tasks waiting to acquire it, woken ones included
     */
    public record Statistics(boolean locked, int tasksWaiting) {
    }

    /** @return {@code <Lock [locked, waiters:N]>}, as asyncio's repr */
    @Override
    public String toString() {
        int n = waiters.count() + waiters.waking();
        return "<Lock [" + (locked ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]>";
    }
}
