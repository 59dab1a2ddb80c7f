package org.asyncio4j.future;

import org.asyncio4j.loop.EventLoop;

/**
 * Low-level: a FIFO line of tasks waiting for something, the one waiting primitive under
 * every lock, semaphore, condition, event, barrier and queue of asyncio4j (the role of the
 * {@code _waiters} deques of asyncio's {@code locks.py} and {@code queues.py}; Trio's
 * {@code ParkingLot}, Tokio's {@code batch_semaphore}, Java's AQS). Applications use
 * those classes; a new synchronizer is written as a small policy over a lot.
 *
 * <p>A task {@link #park() parks}: it joins the end of the line on a fresh waiter future
 * and suspends. {@link #unpark()} wakes the task at the head of the line: its waiter is
 * taken out of the line and completed, so the task resumes at the next loop iteration. A
 * woken task is <em>waking</em> until it actually resumes; {@link #waking()} counts such
 * tasks, so a policy can keep newcomers from overtaking them (a lock stays fair that way).
 * The lot holds no state of its own beyond the line: what a wake-up means (a permit, an
 * item, a notification) is the policy's business.
 *
 * <pre>{@code
 * // a one-shot gate: tasks wait until open() is called
 * final class Gate {
 *     private final ParkingLot lot = new ParkingLot();
 *     private boolean open;
 *
 *     void await() {                      // suspending
 *         lot.checkCanPark("Gate.await()");
 *         while (!open) {
 *             lot.park();
 *         }
 *     }
 *
 *     void open() {
 *         open = true;
 *         lot.unparkAll();
 *     }
 * }
 * }</pre>
 *
 * <h2>Cancellation</h2>
 * A parked task can be cancelled at two points, and the lot handles both, so that no
 * policy has to:
 * <ul>
 *   <li><b>while parked</b>: its waiter leaves the line at once (not when the task next
 *       runs), so an {@link #unpark()} that follows wakes the next task instead of a dead
 *       one, and {@link #count()} is exact. {@link #park()} raises {@link CancelledError};
 *       nobody was woken, so nothing is owed.
 *   <li><b>after being woken, before it resumed</b>: the wake-up was spent on a task that
 *       will not use it. {@link #park()} raises {@link CancelledError}, and just before
 *       that the lot runs its <em>abandon action</em> (given to the constructor), which
 *       hands the wake-up on: a lock wakes the next waiter if it is still unlocked, a
 *       semaphore takes its permit back, a queue wakes the next getter if an item is
 *       still there. This is asyncio's "a waiter cancelled after being woken wakes the
 *       next one in line" rule, written once.
 * </ul>
 *
 * <h2>Binding to a loop</h2>
 * Not thread-safe, like everything of an event loop: use it on its loop's thread. A lot
 * is bound to a loop: the one running where it was made, or else the first one that runs
 * a check or a park on it (asyncio's {@code _LoopBoundMixin}); an unbound lot has nothing
 * to check against. While its loop runs, {@link #checkThread(String)} refuses every
 * other thread, so a policy calls it first in each public method that changes state,
 * and a refused call changes nothing, whether or not a task waits. The binding moves to
 * another running loop only when the bound loop is not running and no task of it is
 * parked or waking (a task of another loop cannot park while they are there: asyncio's
 * "is bound to a different event loop"); the tasks left in a lot whose loop was closed
 * can never run again, so such a lot forgets them and moves on.
 *
 * <p>Implementation overview. The line is an intrusive doubly linked list of
 * {@link Waiter}s (each waiter future is its own node), so leaving the line on
 * cancellation is O(1), not the O(n) {@code deque.remove} of asyncio. A waiter is linked
 * exactly while it is pending: {@link #unpark()} unlinks it as it completes it, and its
 * overridden {@link Future#cancel(String)} unlinks it as it cancels it (a task's
 * {@code cancel()} cancels the future it waits on, and so reaches it synchronously).
 * Completing a future only schedules its task's wake-up, so the order of the two steps
 * is invisible to other code; the future goes first because it refuses a wrong thread
 * before anything has changed.
 * Invariants: {@code count} is the length of the list; {@code waking} is the number of
 * waiters that were completed with a result whose task has not yet returned from
 * {@link #park()}; {@code loop} is the bound loop (null while unbound) and the loop of
 * every parked and waking task.
 * Races: only one task runs at a time, so the only interleavings are the ones at
 * suspension points, listed above; completing a waiter schedules its task through
 * {@code callSoon} and never runs it inline.
 */
public final class ParkingLot {
    /** Runs when a woken task is cancelled before it resumed; may be null. */
    private final Runnable onAbandoned;
    /** The synchronizer this lot serves, for task dumps; may be null. */
    private final Object synchronizer;
    private Waiter head;
    private Waiter tail;
    /** The number of linked (parked, not yet woken) waiters. */
    private int count;
    /** The number of woken waiters whose task has not yet returned from park(). */
    private int waking;
    /** The bound loop, or null; the loop of every parked and waking task. */
    private EventLoop loop;

    /** A lot whose woken-then-cancelled waiters hand nothing on (an event's, a condition's). */
    public ParkingLot() {
        this(null);
    }

    /**
     * A lot that runs {@code onAbandoned} whenever a woken task is cancelled before it
     * resumed, so the policy can hand the wake-up on. It runs on the cancelled task, inside
     * {@link #park()}, after the task has left {@link #waking()} and before
     * {@link CancelledError} propagates; it must not suspend.
     *
     * @param onAbandoned what to do with a wake-up nobody will use, or {@code null}
     */
    public ParkingLot(Runnable onAbandoned) {
        this(null, onAbandoned);
    }

    /**
     * A lot that names the synchronizer it serves, so task dumps can say what a parked task
     * waits for (and, for a {@code Lock}, who holds it).
     *
     * @param synchronizer the lock, queue, ... whose waiters park here, or {@code null}
     * @param onAbandoned what to do with a wake-up nobody will use, or {@code null}
     */
    public ParkingLot(Object synchronizer, Runnable onAbandoned) {
        this.synchronizer = synchronizer;
        this.onAbandoned = onAbandoned;
        this.loop = EventLoop.peekRunningLoop();
    }

    // ---------------------------------------------------------------- checks

    /**
     * Fails unless the calling thread may change what this lot guards: a synchronizer
     * calls it first in every public method that changes its state, so that a call from
     * a wrong thread changes nothing, whether or not a task waits. Passes when the lot is
     * unbound, or its loop is not running; binds the lot to the loop running on this
     * thread if it may (see the class comment). Allocates nothing.
     *
     * @param operation the refused operation, for the message (e.g. {@code "Event.set()"})
     * @throws IllegalStateException if the lot's loop runs on another thread (the message
     *     names {@code callSoonThreadsafe}), or the loop was closed with tasks parked here
     */
    public void checkThread(String operation) {
        EventLoop l = loop;
        if (l != null && l.isRunning()) {
            l.checkThread(operation);
            return;
        }
        EventLoop running = EventLoop.peekRunningLoop();
        if (running != null && running != l) {
            rebind(running);
        }
    }

    /** Binds to {@code running} unless tasks of the (stopped) bound loop still wait here. */
    private boolean rebind(EventLoop running) {
        EventLoop l = loop;
        if (l != null && count + waking > 0) {
            if (!l.isClosed()) {
                return false;
            }
            // the tasks of a closed loop never run again: forget them
            head = null;
            tail = null;
            count = 0;
            waking = 0;
        }
        loop = running;
        return true;
    }

    // ---------------------------------------------------------------- parking

    /**
     * Fails the way {@link #park()} would if called here, without parking: outside a task,
     * or in a task of another loop than the tasks already parked. Synchronizers call it on
     * their fast paths too, so a suspending method fails the same way whether or not it
     * would have had to wait.
     *
     * @param operation the suspending operation, for the message (e.g. {@code "Lock.acquire()"})
     * @throws IllegalStateException if no task is running on this thread, or the running
     *     task belongs to a different loop than the tasks parked here
     */
    public void checkCanPark(String operation) {
        EventLoop running = EventLoop.peekRunningLoop();
        if (running == null || running.currentTask() == null) {
            throw new IllegalStateException(operation + " suspends the current task, but no task is running on thread "
                    + Thread.currentThread().getName() + ": call it from a coroutine (inside AsyncIO.run(...) or a task "
                    + "made with createTask(...)); from plain code or a callback use a non-suspending method "
                    + "(the *Nowait / locked() / isSet() forms)");
        }
        EventLoop l = loop;
        if (running != l && (l != null && l.isRunning() || !rebind(running))) {
            throw new IllegalStateException(operation + ": " + this + " is bound to a different event loop (" + l
                    + ", which its waiting tasks belong to or which is running), not to the running task's " + running
                    + "; from other threads use loop.callSoonThreadsafe(...)");
        }
    }

    /**
     * Suspending: parks the current task at the end of the line until an
     * {@link #unpark()} reaches it.
     *
     * <p>Cancellation: raises {@link CancelledError}. Cancelled while parked, the task has
     * left the line (its place is lost) and nothing else changed. Cancelled after it was
     * woken but before it resumed, the lot first runs its abandon action, which hands the
     * wake-up on; the wake-up is never silently lost.
     *
     * @throws CancelledError if the task is cancelled while parked or waking
     * @throws IllegalStateException if called outside a task, or in a task of another loop
     *     than the tasks already parked here
     */
    public void park() {
        EventLoop running = EventLoop.peekRunningLoop();
        Task<?> task = running == null ? null : running.currentTask();
        if (task == null || running != loop) {
            checkCanPark("ParkingLot.park()");
        }
        Waiter w = new Waiter(running);
        link(w);
        try {
            w.await();
        } catch (Throwable t) {
            if (w.lot != null) {
                // defensive: resumed with an error while still in line; cancel() leaves it
                w.cancel();
            } else if (w.done() && !w.cancelled()) {
                waking--;
                if (onAbandoned != null) {
                    onAbandoned.run();
                }
            }
            throw t;
        }
        waking--;
    }

    // ---------------------------------------------------------------- waking

    /**
     * Wakes the task at the head of the line, if any: it leaves the line, becomes
     * {@link #waking()}, and resumes from {@link #park()} at the next loop iteration.
     * Never runs the task inline. May be called from any code on the loop's thread, in a
     * task or not.
     *
     * @return whether a task was woken
     */
    public boolean unpark() {
        Waiter w = head;
        if (w == null) {
            return false;
        }
        // complete first: it fails on a wrong thread before anything changed, and it only
        // schedules the task's step, so nothing runs before the bookkeeping below
        w.setResult(null);
        unlink(w);
        waking++;
        return true;
    }

    /**
     * Wakes up to {@code n} tasks from the head of the line, in order.
     *
     * @param n how many at most; not negative
     * @return how many were woken
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public int unpark(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot unpark a negative number of tasks: " + n);
        }
        int woken = 0;
        while (woken < n && unpark()) {
            woken++;
        }
        return woken;
    }

    /**
     * Wakes every parked task, in line order.
     *
     * @return how many were woken
     */
    public int unparkAll() {
        int woken = 0;
        while (unpark()) {
            woken++;
        }
        return woken;
    }

    // ---------------------------------------------------------------- queries

    /** @return how many tasks are parked (in line, not yet woken) */
    public int count() {
        return count;
    }

    /** @return how many tasks were woken but have not yet resumed from {@link #park()} */
    public int waking() {
        return waking;
    }

    /** @return the synchronizer given to the constructor, or {@code null} */
    public Object synchronizer() {
        return synchronizer;
    }

    /**
     * Low-level, for task dumps: the lot a task parked in, from the future it waits on
     * ({@link Task#waitingOn()}).
     *
     * @param awaited a future
     * @return the lot whose line holds it, or {@code null} if it is not a parked waiter
     */
    public static ParkingLot lotOf(Future<?> awaited) {
        return awaited instanceof Waiter w ? w.lot : null;
    }

    /** @return whether no task is parked or waking: a newcomer would overtake nobody */
    public boolean isIdle() {
        return count + waking == 0;
    }

    @Override
    public String toString() {
        return "<ParkingLot parked:" + count + ", waking:" + waking + '>';
    }

    // ---------------------------------------------------------------- the line

    private void link(Waiter w) {
        w.lot = this;
        Waiter t = tail;
        w.prev = t;
        if (t == null) {
            head = w;
        } else {
            t.next = w;
        }
        tail = w;
        count++;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        w.lot = null;
        count--;
    }

    /**
     * One parked task's future, and its node in the line. Linked exactly while pending:
     * cancelling it (which the task's own {@code cancel()} does) takes it out of the line
     * first.
     */
    private static final class Waiter extends Future<Void> {
        /** The lot whose line holds this waiter, or null once it left the line. */
        ParkingLot lot;
        Waiter prev;
        Waiter next;

        Waiter(EventLoop loop) {
            super(loop);
        }

        @Override
        public boolean cancel(String msg) {
            // cancel first (it refuses a wrong thread before changing anything, and only
            // schedules the task's wake-up), then leave the line
            boolean cancelled = super.cancel(msg);
            ParkingLot l = lot;
            if (cancelled && l != null) {
                l.unlink(this);
            }
            return cancelled;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("<ParkingLot waiter ").append(stateName());
            describeOutcome(sb);
            return sb.append('>').toString();
        }
    }
}
