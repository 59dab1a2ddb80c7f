package org.asyncio4j.sync;

import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ParkingLot;

/**
 * A flag that tasks can wait for (asyncio's {@code asyncio.Event}). It starts unset;
 * {@link #set()} sets it and wakes every waiting task; {@link #clear()} unsets it.
 *
 * <pre>{@code
 * Event ready = new Event();
 * createTask(() -> { ready.await(); System.out.println("go"); });
 * ...
 * ready.set();
 * }</pre>
 *
 * <p>asyncio's {@code wait()} is {@link #await()} here, because {@code Object.wait()} is
 * final in Java (and {@code await} already means "suspend until" on a future).
 *
 * <p>Like every synchronizer here, an event is bound to the loop that first uses it, and a
 * call from another thread while that loop runs fails before it changes anything.
 *
 * <p>Implementation overview: a boolean and a {@link ParkingLot}, which also holds the
 * loop binding. {@link #set()} wakes the
 * whole lot; a woken task returns even if the flag was cleared again before it resumed
 * (it was set when the task was woken), as in asyncio.
 */
public final class Event {
    private final ParkingLot waiters = new ParkingLot(this, null);
    private boolean value;

    /** An unset event. */
    public Event() {
    }

    /** @return whether the flag is set (asyncio's {@code is_set()}) */
    public boolean isSet() {
        return value;
    }

    /**
     * Sets the flag and wakes every waiting task (asyncio's {@code set()}). Tasks that
     * call {@link #await()} while it stays set do not suspend. Does nothing if already set.
     * May be called by any code on the loop's thread.
     *
     * @throws IllegalStateException if called from another thread while the event's loop
     *     runs (use {@code loop.callSoonThreadsafe(event::set)}); the event is unchanged
     */
    public void set() {
        waiters.checkThread("Event.set()");
        if (!value) {
            value = true;
            waiters.unparkAll();
        }
    }

    /**
     * Unsets the flag (asyncio's {@code clear()}): later {@link #await()}s wait again.
     *
     * @throws IllegalStateException if called from another thread while the event's loop
     *     runs; the event is unchanged
     */
    public void clear() {
        waiters.checkThread("Event.clear()");
        value = false;
    }

    /**
     * Suspending: waits until the flag is set (asyncio's {@code wait()}, which returns
     * {@code True}). Returns at once, without suspending, if it is set now.
     *
     * <p>Cancellation: raises {@link CancelledError}; the task simply stops waiting and
     * nothing else changes (a {@link #set()} wakes every waiter, so none is owed a wake-up).
     *
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public void await() {
        waiters.checkCanPark("Event.await()");
        if (!value) {
            waiters.park();
        }
    }

    /**
     * @return a snapshot: whether the flag is set and how many tasks wait (woken ones
     *     included until they resume)
     */
    public Statistics statistics() {
        return new Statistics(value, waiters.count() + waiters.waking());
    }

    /**
     * The state of an {@link Event} at one moment.
     *
     * @param set whether the flag was set
     * @param tasksWaiting the tasks waiting in {@link Event#await()}, woken ones included
     */
    public record Statistics(boolean set, int tasksWaiting) {
    }

    /** @return {@code <Event [set, waiters:N]>}, as asyncio's repr */
    @Override
    public String toString() {
        int n = waiters.count() + waiters.waking();
        return "<Event [" + (value ? "set" : "unset") + (n > 0 ? ", waiters:" + n : "") + "]>";
    }
}
