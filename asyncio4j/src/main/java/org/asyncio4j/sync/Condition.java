package org.asyncio4j.sync;

import java.util.function.BooleanSupplier;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ParkingLot;

/**
 * A condition variable for tasks (asyncio's {@code asyncio.Condition}): tasks holding its
 * lock wait until another task signals them. The lock is its own, or one shared with
 * other conditions.
 *
 * <pre>{@code
 * Condition cond = new Condition();
 * // consumer
 * try (var _ = cond.acquired()) {
 *     cond.awaitFor(() -> !items.isEmpty());   // releases the lock while waiting
 *     take(items);
 * }
 * // producer
 * try (var _ = cond.acquired()) {
 *     items.add(x);
 *     cond.signal();
 * }
 * }</pre>
 *
 * <p>Names: {@code Object.wait()}, {@code notify()} and {@code notifyAll()} are final in
 * Java, so asyncio's {@code wait()}, {@code wait_for(predicate)}, {@code notify(n)} and
 * {@code notify_all()} are {@link #await()}, {@link #awaitFor(BooleanSupplier)},
 * {@link #signal(int)} / {@link #signal()} and {@link #signalAll()}, the names of
 * {@code java.util.concurrent.locks.Condition}.
 *
 * <p>As in asyncio, {@link #await()} may return without a signal meant for this task
 * (a "spurious" wake-up, after another waiter was cancelled): re-check the state, or use
 * {@link #awaitFor(BooleanSupplier)}.
 *
 * <p>Implementation overview: the {@link Lock} and a {@link ParkingLot} of waiting tasks.
 * {@link #await()} releases the lock, parks, and re-acquires the lock however the wait
 * ends, even when cancelled, so the caller's {@code finally}/try-with-resources always
 * releases a lock it holds. A waiting task that is cancelled, or whose wait fails in any
 * other way, signals one other waiter in its place (asyncio's {@code _notify(1)}): it may
 * have been signalled already, and a signal must never be lost to a cancellation. The
 * price is a possible spurious wake-up of that other waiter, which the condition
 * variable protocol allows. Hence the lot needs no abandon action of its own.
 */
public final class Condition {
    private final Lock lock;
    private final ParkingLot waiters = new ParkingLot(this, null);

    /** A condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition over {@code lock}, which other conditions may share (asyncio's
     * {@code Condition(lock)}).
     *
     * @param lock the underlying lock
     */
    public Condition(Lock lock) {
        if (lock == null) {
            throw new NullPointerException("lock must not be null");
        }
        this.lock = lock;
    }

    /** @return the underlying lock */
    public Lock lock() {
        return lock;
    }

    // ---------------------------------------------------------------- the lock

    /** @return whether the underlying lock is held (asyncio's {@code locked()}) */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Suspending: acquires the underlying lock; see {@link Lock#acquire()}, including what
     * a cancellation leaves behind (nothing: the lock is not held).
     *
     * @throws CancelledError if the task is cancelled while waiting for the lock
     * @throws IllegalStateException if called outside a task
     */
    public void acquire() {
        lock.acquire();
    }

    /**
     * Suspending: acquires the underlying lock and returns a guard that releases it, for
     * try-with-resources ({@code async with condition:}); see {@link Lock#acquired()}.
     *
     * @return a guard whose {@code close()} releases the lock
     * @throws CancelledError if the task is cancelled while waiting for the lock
     * @throws IllegalStateException if called outside a task
     */
    public Guard acquired() {
        return lock.acquired();
    }

    /**
     * Releases the underlying lock; see {@link Lock#release()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        lock.release();
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Suspending: releases the lock, waits until signalled, then re-acquires the lock
     * (asyncio's {@code wait()}, which returns {@code True}). The caller must hold the
     * lock, and holds it again when this returns or throws.
     *
     * <p>Cancellation: raises {@link CancelledError} only after the lock has been
     * re-acquired: the caller's {@code finally} can release it as usual. Cancelled while
     * waiting, the task's place among the waiters is lost. A cancellation that arrives
     * while re-acquiring does not stop the re-acquiring; it is raised afterwards. Whenever
     * this raises, one other waiter is signalled in its place (it may have been this
     * task's signal), so a waiter may see a spurious wake-up, never a lost one.
     *
     * @throws CancelledError if the task is cancelled (the lock is held again)
     * @throws IllegalStateException if the lock is not held, or if called outside a task
     *     (in both cases before anything changed)
     */
    public void await() {
        if (!lock.locked()) {
            throw new IllegalStateException("Condition.await() called without holding the lock: " + this
                    + "; acquire it first (asyncio: 'cannot wait on un-acquired lock')");
        }
        waiters.checkCanPark("Condition.await()");
        lock.release();
        try {
            try {
                waiters.park();
            } finally {
                reacquire();
            }
        } catch (Throwable t) {
            // this task may have consumed a signal it will not act on: pass one on
            waiters.unpark();
            throw t;
        }
    }

    /** Re-acquires the lock, even through cancellations; raises the last one afterwards. */
    private void reacquire() {
        CancelledError cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                cancelled = e;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Suspending: waits until {@code predicate} is true (asyncio's {@code wait_for}): checks
     * it, and while it is false, {@link #await()}s and checks again. The caller must hold
     * the lock; the predicate is evaluated with the lock held. Returns at once if the
     * predicate is already true.
     *
     * <p>Cancellation: as {@link #await()}: the lock is held again when
     * {@link CancelledError} propagates, and the predicate is not evaluated after it.
     *
     * @param predicate the state to wait for
     * @throws CancelledError if the task is cancelled (the lock is held again)
     * @throws IllegalStateException if it has to wait and the lock is not held, or if called
     *     outside a task
     */
    public void awaitFor(BooleanSupplier predicate) {
        if (predicate == null) {
            throw new NullPointerException("predicate must not be null");
        }
        waiters.checkCanPark("Condition.awaitFor()");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    // ---------------------------------------------------------------- signalling

    /**
     * Wakes one waiting task, if any (asyncio's {@code notify()}). The caller must hold the
     * lock; the woken task returns from {@link #await()} only once it re-acquires the
     * lock, after the caller releases it.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, in the order they started waiting (asyncio's
     * {@code notify(n)}). The caller must hold the lock.
     *
     * @param n how many at most; not negative
     * @throws IllegalStateException if the lock is not held
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        waiters.checkThread("Condition.signal()");
        checkHeld("signal");
        if (n < 0) {
            throw new IllegalArgumentException("Condition.signal(n): n must not be negative, got " + n);
        }
        waiters.unpark(n);
    }

    /**
     * Wakes every waiting task (asyncio's {@code notify_all()}). The caller must hold the
     * lock.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        waiters.checkThread("Condition.signalAll()");
        checkHeld("signalAll");
        waiters.unparkAll();
    }

    private void checkHeld(String method) {
        if (!lock.locked()) {
            throw new IllegalStateException("Condition." + method + "() called without holding the lock: " + this
                    + " (asyncio: 'cannot notify on un-acquired lock')");
        }
    }

    // ---------------------------------------------------------------- state

    /**
     * @return a snapshot: whether the lock is held and how many tasks wait for a signal
     *     (woken ones included until they resume)
     */
    public Statistics statistics() {
        return new Statistics(lock.locked(), waiters.count() + waiters.waking());
    }

    /**
     * The state of a {@link Condition} at one moment.
     *
     * @param locked whether its lock was held
     * @param tasksWaiting the tasks waiting in {@link Condition#await()}, woken ones included
     */
    public record Statistics(boolean locked, int tasksWaiting) {
    }

    /** @return {@code <Condition [locked, waiters:N]>}, as asyncio's repr */
    @Override
    public String toString() {
        int n = waiters.count() + waiters.waking();
        return "<Condition [" + (lock.locked() ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]>";
    }
}
