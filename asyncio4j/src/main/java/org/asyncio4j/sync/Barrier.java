package org.asyncio4j.sync;

import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ParkingLot;

/**
 * A meeting point for a fixed number of tasks (asyncio's {@code asyncio.Barrier}): each
 * task that calls {@link #await()} waits until {@link #parties()} tasks have called it,
 * then all of them go on together. The barrier can be passed again and again.
 *
 * <pre>{@code
 * Barrier barrier = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     createTask(() -> {
 *         prepare();
 *         int index = barrier.await();      // 0, 1 or 2: the order of arrival
 *         if (index == 0) {
 *             System.out.println("all three are ready");
 *         }
 *     });
 * }
 * }</pre>
 *
 * <p>asyncio's {@code wait()} is {@link #await()} here ({@code Object.wait()} is final in
 * Java); {@code n_waiting} is {@link #nWaiting()}.
 *
 * <pre>
 *             the parties-th task arrives              the last task leaves
 *   FILLING ────────────────────────────▶ DRAINING ─────────────────────────▶ FILLING
 *      │  reset() while tasks are inside                the last task leaves
 *      ├────────────────────────────────▶ RESETTING ────────────────────────▶ FILLING
 *      │  abort(), from any state                       reset()
 *      └────────────────────────────────▶ BROKEN ───────────────────────────▶ FILLING or RESETTING
 * </pre>
 *
 * <p>While the barrier drains or resets, newly arriving tasks wait for it to be filling
 * again; tasks waiting in a barrier that is reset or aborted raise
 * {@link BrokenBarrierError}, and so does every {@link #await()} on a broken barrier until
 * {@link #reset()}.
 *
 * <p>Implementation overview: the state, the number of tasks inside ({@code count}: those
 * that arrived and have not left), and one {@link ParkingLot} for every kind of waiting.
 * Each state change wakes the whole lot and every woken task re-checks what it waits
 * for, parking again (at the end of the line) if it must: asyncio's
 * {@code Condition.wait_for} over one condition. Unlike asyncio, there is no lock around
 * that condition: asyncio's lock is never held across a suspension here, so it could
 * never make anyone wait, and without it {@link #reset()} and {@link #abort()} need not
 * be coroutines. Since every wake-up is a broadcast, a cancelled waiter owes nobody a
 * wake-up.
 */
public final class Barrier {
    /** asyncio's {@code _BarrierState}. */
    private enum State {
        FILLING("filling"), DRAINING("draining"), RESETTING("resetting"), BROKEN("broken");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private final int parties;
    private final ParkingLot waiters = new ParkingLot(this, null);
    private State state = State.FILLING;
    /** Tasks inside: arrived (index taken) and not yet left. */
    private int count;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks must arrive before they all go on; at least 1
     * @throws IllegalArgumentException if {@code parties} is less than 1 (asyncio's
     *     {@code ValueError})
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier parties must be > 0, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Suspending: waits until {@link #parties()} tasks are waiting here, then returns this
     * task's index of arrival, from 0 to {@code parties - 1} (asyncio's {@code wait()}).
     * The last to arrive returns without suspending. If the barrier is draining or
     * resetting, first waits until it is filling again.
     *
     * <p>Cancellation: raises {@link CancelledError} and the task leaves the barrier: if it
     * had arrived, the barrier counts one task fewer ({@link #nWaiting()} drops), and the
     * barrier is not broken (as in asyncio, unlike a {@code threading.Barrier} timeout).
     * A task cancelled after the barrier released it loses its index; the others still go.
     *
     * @return the index of arrival
     * @throws BrokenBarrierError if the barrier is broken, or is reset or aborted while
     *     this task waits in it
     * @throws CancelledError if the task is cancelled while waiting
     * @throws IllegalStateException if called outside a task
     */
    public int await() {
        waiters.checkCanPark("Barrier.await()");
        // block while the barrier drains or resets (asyncio's _block)
        while (state == State.DRAINING || state == State.RESETTING) {
            waiters.park();
        }
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier aborted: " + this);
        }
        int index = count++;
        try {
            if (index + 1 == parties) {
                // the last one in: release everybody (asyncio's _release)
                state = State.DRAINING;
                waiters.unparkAll();
            } else {
                // wait for the barrier to fill (asyncio's _wait)
                while (state == State.FILLING) {
                    waiters.park();
                }
                if (state == State.BROKEN || state == State.RESETTING) {
                    throw new BrokenBarrierError("Barrier aborted or reset while waiting: " + this);
                }
            }
            return index;
        } finally {
            count--;
            // the last one out lets the next round in (asyncio's _exit)
            if (count == 0) {
                if (state == State.RESETTING || state == State.DRAINING) {
                    state = State.FILLING;
                }
                waiters.unparkAll();
            }
        }
    }

    /**
     * Returns the barrier to the filling state (asyncio's {@code reset()}, a coroutine
     * there; here it never suspends). Tasks waiting in it raise {@link BrokenBarrierError};
     * tasks arriving meanwhile wait until they have left. Also repairs a broken barrier.
     * May be called by any code on the loop's thread.
     */
    public void reset() {
        waiters.checkThread("Barrier.reset()");
        if (count > 0) {
            state = State.RESETTING;
        } else {
            state = State.FILLING;
        }
        waiters.unparkAll();
    }

    /**
     * Breaks the barrier (asyncio's {@code abort()}, a coroutine there; here it never
     * suspends): every task waiting in it, and every later {@link #await()}, raises
     * {@link BrokenBarrierError} until {@link #reset()}. May be called by any code on the
     * loop's thread.
     */
    public void abort() {
        waiters.checkThread("Barrier.abort()");
        state = State.BROKEN;
        waiters.unparkAll();
    }

    /** @return how many tasks must arrive for the barrier to open (asyncio's {@code parties}) */
    public int parties() {
        return parties;
    }

    /**
     * @return how many tasks wait in the barrier while it fills, else 0 (asyncio's
     *     {@code n_waiting})
     */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** @return whether the barrier is broken (asyncio's {@code broken}) */
    public boolean broken() {
        return state == State.BROKEN;
    }

    /** @return {@code <Barrier [filling, waiters:1/3]>} or {@code <Barrier [broken]>}, as asyncio's repr */
    @Override
    public String toString() {
        return "<Barrier [" + state.label + (state == State.BROKEN ? "" : ", waiters:" + nWaiting() + "/" + parties) + "]>";
    }
}
