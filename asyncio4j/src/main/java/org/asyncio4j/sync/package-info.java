/**
 * Synchronization primitives for tasks of one event loop: asyncio's {@code Lock},
 * {@code Event}, {@code Condition}, {@code Semaphore}, {@code BoundedSemaphore} and
 * {@code Barrier} (with {@code BrokenBarrierError}), with the semantics of Python 3.13:
 * the same fairness (first come, first served; a newcomer never overtakes a task that was
 * woken and has not run yet) and the same cancellation safety (a task cancelled after
 * being woken hands its wake-up, permit or signal on, so nothing is ever lost).
 *
 * <p>They serialize tasks, not threads: no {@code java.util.concurrent} lock is involved,
 * and they are not thread-safe. A task that must wait parks a future in a FIFO line, a
 * {@link org.asyncio4j.future.ParkingLot}, the one waiting primitive of the kernel; each
 * class here is a small policy over one.
 *
 * <p>Names: {@code Object.wait()}, {@code notify()} and {@code notifyAll()} are final in
 * Java, so asyncio's {@code Event.wait()}, {@code Condition.wait()},
 * {@code Condition.wait_for(predicate)}, {@code Condition.notify(n)},
 * {@code Condition.notify_all()} and {@code Barrier.wait()} are {@code await()},
 * {@code awaitFor(predicate)}, {@code signal(n)}, {@code signalAll()} and {@code await()}
 * here (the names of {@code java.util.concurrent.locks.Condition}); {@code is_set} is
 * {@code isSet}, {@code n_waiting} is {@code nWaiting()}. Methods that return
 * {@code True} in asyncio ({@code acquire}, {@code wait}) return nothing.
 *
 * <p>{@code async with lock:} is try-with-resources over a {@link org.asyncio4j.sync.Guard}:
 *
 * <pre>{@code
 * try (var _ = lock.acquired()) {   // acquire() may suspend; if it is cancelled, nothing is held
 *     ...
 * }                                 // release()
 * }</pre>
 *
 * <p>Every suspending method ({@code acquire}, {@code acquired}, {@code await},
 * {@code awaitFor}) must run inside a task; called elsewhere it fails at once with an
 * {@link java.lang.IllegalStateException}, even when it would not have had to wait. The
 * other methods ({@code release}, {@code set}, {@code signal}, {@code abort}, ...) may be
 * called by any code on the loop's thread. An object is bound to the loop that first uses
 * it (see {@link org.asyncio4j.future.ParkingLot}); from another thread, while that loop
 * runs, every method that changes state fails before it changes anything, and the message
 * names {@code loop.callSoonThreadsafe(...)}, the way to call it from there. Each suspending method documents what a
 * cancellation at that point leaves behind.
 */
package org.asyncio4j.sync;
