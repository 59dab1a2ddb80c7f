package org.asyncio4j.future;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.loop.Origin;

/**
 * The result of an operation that completes later, on one event loop (asyncio's
 * {@code asyncio.Future}). Not thread-safe: use it on its loop's thread, and from other
 * threads go through {@link EventLoop#callSoonThreadsafe} (completing, cancelling or adding
 * a callback from another thread while the loop runs fails with an
 * {@link IllegalStateException} and changes nothing).
 *
 * <pre>
 *              setResult
 *   PENDING ───────────────────────────────▶ FINISHED
 *      │         setException
 *      ├───────────────────────────────────▶ FINISHED (with an exception)
 *      │
 *      └──── cancel(msg) ──────────────────▶ CANCELLED
 * </pre>
 *
 * <p>A future completes once; completing it again raises {@link InvalidStateError}. Its
 * done callbacks are never called inline: completion schedules each one with
 * {@link EventLoop#callSoon}, in registration order, in the context captured when it was
 * added. Inside a task, {@link #await()} suspends the task until the future is done; on a
 * future that is already done it returns at once without suspending.
 *
 * <p>Implementation overview: {@code callbacks} is {@code null}, a single entry, or an
 * {@link ArrayList} of entries, so the common one-waiter case allocates nothing. An entry
 * is a {@link DoneCallback} (an {@code AwaitingCallback} when it also names the future
 * waiting through it), a {@link Task} waiting in {@link #await()}, or an {@code AwaitedBy}
 * record of a waiter without a callback (for call graphs only). One field,
 * {@code outcome}, holds what the state says it holds: the result, the exception, or for
 * a cancelled future the message until the {@link CancelledError} to raise is made from
 * it on first use. An exception that nobody retrieves is reported to the loop's exception
 * handler when the future is garbage collected, as asyncio does from {@code __del__}; the
 * report waits in {@code callbacks}, which a done future no longer needs (so a future is
 * 32 bytes and a task 64).
 *
 * @param <T> the result type
 */
public class Future<T> {
    private static final byte PENDING = 0;
    private static final byte FINISHED = 1;
    private static final byte CANCELLED = 2;
    /** Finished with an exception (asyncio's FINISHED with {@code _exception} set). */
    private static final byte FAILED = 3;
    private static final Cleaner CLEANER = Cleaner.create();

    private final EventLoop loop;
    private byte state;
    /**
     * By state: FINISHED, the result; FAILED, the exception; CANCELLED, the cancel message
     * (a {@code String} or null) until {@link #makeCancelledError} replaces it with the
     * {@link CancelledError}. While a {@link Task} is pending, the message of a cancellation
     * it has yet to deliver, then what its coroutine returned or threw (see Task).
     */
    Object outcome;
    /**
     * While pending: null, one entry, or an ArrayList of entries (DoneCallback, Task or
     * AwaitedBy). Once done the callbacks are gone, and a FAILED future keeps here its
     * {@link UnretrievedReport} while the exception may still go unretrieved (else null).
     */
    private Object callbacks;

    /**
     * A pending future bound to {@code loop} (asyncio's {@code loop.create_future()} is the
     * usual way to make one).
     *
     * @param loop the loop whose thread completes and awaits it
     */
    public Future(EventLoop loop) {
        if (loop == null) {
            throw new NullPointerException("loop must not be null");
        }
        this.loop = loop;
        Origin.record(this, loop);
    }

    /** @return the loop this future is bound to (asyncio's {@code get_loop()}) */
    public final EventLoop getLoop() {
        return loop;
    }

    // ---------------------------------------------------------------- state queries

    /** @return whether the future is finished or cancelled */
    public final boolean done() {
        return state != PENDING;
    }

    /** @return whether the future was cancelled */
    public final boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * The result of a finished future; rethrows its exception unchanged if it has one.
     *
     * @return the result
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if it is still pending
     */
    @SuppressWarnings("unchecked")
    public final T result() {
        if (state == FINISHED) {
            return (T) outcome;
        }
        if (state == FAILED) {
            markRetrieved();
            throw Sneaky.rethrow((Throwable) outcome);
        }
        if (state == CANCELLED) {
            throw makeCancelledError();
        }
        throw new InvalidStateError("result() called on a pending future " + this + "; await it first, or check done()");
    }

    /**
     * The exception of a finished future, or {@code null} if it has a result.
     *
     * @return the exception or {@code null}
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if it is still pending
     */
    public final Throwable exception() {
        if (state == FINISHED) {
            return null;
        }
        if (state == FAILED) {
            markRetrieved();
            return (Throwable) outcome;
        }
        if (state == CANCELLED) {
            throw makeCancelledError();
        }
        throw new InvalidStateError("exception() called on a pending future " + this + "; await it first, or check done()");
    }

    /**
     * The CancelledError a cancelled future raises: the one its coroutine raised if it was
     * a task, else a new one carrying the cancel message.
     */
    final CancelledError makeCancelledError() {
        if (outcome instanceof CancelledError e) {
            return e;
        }
        CancelledError e = new CancelledError((String) outcome);
        outcome = e;
        return e;
    }

    private void markRetrieved() {
        if (callbacks instanceof UnretrievedReport r) {
            r.retrieved = true;
            callbacks = null;
        }
    }

    // ---------------------------------------------------------------- completion

    /**
     * Marks the future finished with {@code result} and schedules its callbacks.
     *
     * @param result the result (may be {@code null})
     * @throws InvalidStateError if the future is already done
     */
    public void setResult(T result) {
        // From another thread, fail before the state changes: failing later, when the
        // callbacks are scheduled, left a done future whose waiters were never woken.
        checkCanComplete("Future.setResult()");
        if (state != PENDING) {
            throw new InvalidStateError("setResult(" + result + ") on a future that is already done: " + this);
        }
        complete(result);
    }

    /**
     * Marks the future finished with {@code exception} and schedules its callbacks.
     *
     * @param exception the exception awaiters will see, unchanged
     * @throws InvalidStateError if the future is already done
     */
    public void setException(Throwable exception) {
        checkCanComplete("Future.setException()");
        if (state != PENDING) {
            throw new InvalidStateError("setException(" + exception + ") on a future that is already done: " + this);
        }
        if (exception == null) {
            throw new NullPointerException("exception must not be null");
        }
        completeExceptionally(exception);
    }

    /**
     * Cancels the future and schedules its callbacks.
     *
     * @return false if it was already done, else true
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future with a message that the {@link CancelledError} will carry.
     *
     * @param msg the message, or {@code null}
     * @return false if it was already done, else true
     */
    public boolean cancel(String msg) {
        checkCanComplete("Future.cancel()");
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        outcome = msg;
        scheduleCallbacks();
        return true;
    }

    /**
     * Refuses, before anything changes, a call from another thread while the loop runs,
     * and a completion whose callbacks a closed loop could never schedule.
     */
    final void checkCanComplete(String operation) {
        loop.checkThread(operation);
        if (state == PENDING && callbacks != null && loop.isClosed()) {
            throw new IllegalStateException(operation + " on " + this + ": its event loop is closed, so the callbacks "
                    + "and tasks waiting for it could never run; nothing was changed");
        }
    }

    final void complete(T result) {
        outcome = result;
        state = FINISHED;
        scheduleCallbacks();
    }

    final void completeExceptionally(Throwable exception) {
        outcome = exception;
        state = FAILED;
        UnretrievedReport report = new UnretrievedReport(loop, exception,
                getClass().getSimpleName() + " exception was never retrieved", toString(), Origin.of(this));
        CLEANER.register(this, report);
        Object cbs = callbacks;
        callbacks = report;   // where the callbacks were: a done future has none
        schedule(cbs);
    }

    /** Finishes as cancelled by the given error (a task whose coroutine raised it). */
    final void completeCancelled(CancelledError error) {
        outcome = error;
        state = CANCELLED;
        scheduleCallbacks();
    }

    // ---------------------------------------------------------------- callbacks

    /**
     * Adds a callback to run when the future is done, in the current context. If the future
     * is already done the callback is scheduled at once (still not run inline).
     *
     * @param callback receives this future
     */
    public final void addDoneCallback(Consumer<? super Future<T>> callback) {
        addDoneCallback(callback, null);
    }

    /**
     * Adds a callback to run when the future is done, in {@code context}.
     *
     * @param callback receives this future
     * @param context where it runs, or {@code null} for a copy of the current context
     */
    public final void addDoneCallback(Consumer<? super Future<T>> callback, Context context) {
        loop.checkThread("Future.addDoneCallback()");
        if (callback == null) {
            throw new NullPointerException("callback must not be null");
        }
        addCallbackEntry(new DoneCallback<>(this, callback, context));
    }

    /**
     * Low-level, for combinators: {@link #addDoneCallback(Consumer)} and
     * {@link #addToAwaitedBy}{@code (waiter)} in one entry, so a gather or task group that
     * waits for many futures allocates nothing more for call graphs. The record goes with the
     * callback: when it runs or is removed.
     *
     * @param callback receives this future
     * @param waiter the future (often a task) that waits for this one, for call graphs
     */
    public final void addAwaitingCallback(Consumer<? super Future<T>> callback, Future<?> waiter) {
        addAwaitingCallback(callback, waiter, null);
    }

    /**
     * Like {@link #addAwaitingCallback(Consumer, Future)}, running the callback in
     * {@code context} (a gather of many children shares one context copy).
     *
     * @param callback receives this future
     * @param waiter the future that waits for this one
     * @param context where the callback runs, or {@code null} for a copy of the current context
     */
    public final void addAwaitingCallback(Consumer<? super Future<T>> callback, Future<?> waiter, Context context) {
        loop.checkThread("Future.addAwaitingCallback()");
        if (callback == null || waiter == null) {
            throw new NullPointerException(callback == null ? "callback must not be null" : "waiter must not be null");
        }
        addCallbackEntry(new AwaitingCallback<>(this, callback, context, waiter));
    }

    private void addCallbackEntry(DoneCallback<T> entry) {
        if (state != PENDING) {
            loop.scheduleStep(entry);
        } else {
            addEntry(entry);
        }
    }

    /**
     * Removes every registration of {@code callback}.
     *
     * @param callback a callback given to {@link #addDoneCallback}
     * @return how many registrations were removed
     */
    public final int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.removeDoneCallback()");
        Object cbs = callbacks;
        if (cbs instanceof DoneCallback<?> d) {
            if (d.callback.equals(callback)) {
                callbacks = null;
                return 1;
            }
            return 0;
        }
        if (cbs instanceof ArrayList<?> list) {
            int before = list.size();
            list.removeIf(e -> e instanceof DoneCallback<?> dc && dc.callback.equals(callback));
            return before - list.size();
        }
        return 0;
    }

    /** Registers a task that awaits this future; it is woken when the future is done. */
    final void addWaiter(Task<?> task) {
        addEntry(task);
    }

    /** Takes back a registration of {@link #addWaiter} (a suspension that failed). */
    final void removeWaiter(Task<?> task) {
        Object cbs = callbacks;
        if (cbs == task) {
            callbacks = null;
        } else if (cbs instanceof ArrayList<?> list) {
            list.remove(task);
        }
    }

    @SuppressWarnings("unchecked")
    private void addEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof ArrayList<?> list) {
            ((ArrayList<Object>) list).add(entry);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    private void scheduleCallbacks() {
        Object cbs = callbacks;
        callbacks = null;
        schedule(cbs);
    }

    /** Schedules the callbacks taken out of the field: null, one entry or a list of them. */
    private void schedule(Object cbs) {
        if (cbs instanceof ArrayList<?> list) {
            for (Object entry : list) {
                scheduleEntry(entry);
            }
        } else if (cbs != null) {
            scheduleEntry(cbs);
        }
    }

    private void scheduleEntry(Object entry) {
        if (entry instanceof Task<?> task) {
            task.wakeUp();
        } else if (entry instanceof DoneCallback<?>) {
            // the registration is its own ready-queue entry: no Handle (see EventLoop)
            loop.scheduleStep(entry);
        } // else an AwaitedBy record: nothing to run
    }

    /**
     * Runs a done callback the loop found in its ready queue, in its context; what it
     * throws goes to the loop's exception handler, as from a {@code Handle}.
     */
    static void runQueuedCallback(Object entry) {
        if (!(entry instanceof DoneCallback<?> d)) {
            return;   // not the kernel's: skipped (see EventLoop.scheduleStep)
        }
        try {
            d.runInContext(d);
        } catch (Throwable t) {
            d.future.loop.callExceptionHandler(new ExceptionContext("Exception in callback " + d.callback, t, null, null, null));
        }
    }

    /** @return how many callbacks are registered (for reprs and statistics) */
    final int callbackCount() {
        Object cbs = callbacks;
        if (cbs instanceof ArrayList<?> list) {
            int n = 0;
            for (Object entry : list) {
                n += entry instanceof AwaitedBy ? 0 : 1;
            }
            return n;
        }
        return cbs == null || cbs instanceof AwaitedBy || cbs instanceof UnretrievedReport ? 0 : 1;
    }

    // ---------------------------------------------------------------- awaited by (call graphs)

    /**
     * Low-level, for combinators that wait for futures without a task parked on each
     * (gather, task groups): records that {@code waiter} waits for this future, so call
     * graphs and task dumps can show it (asyncio 3.14's {@code future_add_to_awaited_by}).
     * The record lives among the done callbacks and goes with them when this future
     * completes; it never runs. Does nothing on a done future.
     *
     * @param waiter the future (often a task) that waits for this one
     */
    public final void addToAwaitedBy(Future<?> waiter) {
        loop.checkThread("Future.addToAwaitedBy()");
        if (waiter == null) {
            throw new NullPointerException("waiter must not be null");
        }
        if (state == PENDING) {
            addEntry(new AwaitedBy(waiter));
        }
    }

    /**
     * Low-level: takes back one {@link #addToAwaitedBy} of {@code waiter} (asyncio 3.14's
     * {@code future_discard_from_awaited_by}); does nothing if there is none.
     *
     * @param waiter the future given to {@link #addToAwaitedBy}
     */
    public final void discardFromAwaitedBy(Future<?> waiter) {
        loop.checkThread("Future.discardFromAwaitedBy()");
        Object cbs = callbacks;
        if (cbs instanceof AwaitedBy a && a.waiter == waiter) {
            callbacks = null;
        } else if (cbs instanceof ArrayList<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof AwaitedBy a && a.waiter == waiter) {
                    list.remove(i);
                    return;
                }
            }
        }
    }

    /**
     * Low-level, for call graphs and task dumps: the tasks parked on this future in
     * {@link #await()} and the futures recorded by {@link #addToAwaitedBy}, in the order
     * they started waiting (asyncio 3.14's {@code _asyncio_awaited_by}). Empty once done.
     *
     * @return a snapshot, possibly empty
     */
    public final List<Future<?>> awaitedBy() {
        Object cbs = callbacks;
        List<Future<?>> waiters = new ArrayList<>();
        if (cbs instanceof ArrayList<?> list) {
            for (Object entry : list) {
                addWaiterOf(entry, waiters);
            }
        } else if (cbs != null) {
            addWaiterOf(cbs, waiters);
        }
        return waiters;
    }

    private static void addWaiterOf(Object entry, List<Future<?>> waiters) {
        if (entry instanceof Task<?> task) {
            waiters.add(task);
        } else if (entry instanceof AwaitedBy a) {
            waiters.add(a.waiter);
        } else if (entry instanceof AwaitingCallback<?> a) {
            waiters.add(a.waiter);
        }
    }

    /** A callbacks entry that only records a waiter for call graphs; never scheduled. */
    private record AwaitedBy(Future<?> waiter) {
    }

    // ---------------------------------------------------------------- await

    /**
     * Suspends the current task until this future is done, then returns its result or
     * rethrows its exception unchanged (asyncio's {@code await future}). On a future that is
     * already done it returns at once and does not suspend.
     *
     * <p>Cancellation: if the awaiting task is cancelled while it waits, this future is
     * cancelled too (unless it is done already) and {@link CancelledError} is raised here.
     * A checked exception of the future is rethrown as it is, undeclared.
     *
     * @return the result
     * @throws CancelledError if this future, or the awaiting task, was cancelled
     * @throws IllegalStateException if called outside a task, or from a task of another loop
     */
    public final T await() {
        return awaitDone();
    }

    /**
     * The body of {@link #await()}, kept out of it so that {@code await()} stays five bytes
     * of bytecode, which C2 inlines at every call site, even one that had not run when its
     * caller was compiled (see {@link Sleep#sleep(double, Object)}).
     */
    private T awaitDone() {
        if (state == PENDING) {
            Task.current(this, "await()").awaitPending(this);
        }
        return result();
    }

    // ---------------------------------------------------------------- interop

    /**
     * A {@link CompletableFuture} that completes when this future does, with its result,
     * its exception, or a {@link CancellationException}. Cancelling the returned future
     * cancels this one (on the loop's thread, through
     * {@link EventLoop#callSoonThreadsafe}). It may be used from any thread.
     *
     * <p>Which thread runs dependent stages: this future completes on the loop's thread,
     * so a stage added with a non-{@code Async} method ({@code thenApply},
     * {@code whenComplete}, ...) before completion runs on the loop's
     * thread, inside the loop, where blocking stalls every task; one added after
     * completion runs on the thread that adds it. To leave the loop's thread, use the
     * {@code *Async} variants ({@code thenApplyAsync(fn)} runs on the common pool,
     * {@code thenApplyAsync(fn, executor)} on {@code executor}).
     *
     * @return the chained CompletableFuture
     */
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        addDoneCallback(f -> copyTo(f, cf));
        cf.whenComplete((v, e) -> {
            if (cf.isCancelled() && !loop.isClosed()) {
                loop.callSoonThreadsafe(this::cancel);
            }
        });
        return cf;
    }

    private static <T> void copyTo(Future<T> f, CompletableFuture<T> cf) {
        if (f.cancelled()) {
            // a CompletableFuture completed with a CancellationException counts as cancelled
            cf.completeExceptionally(new CancellationException(f.makeCancelledError().getMessage()));
        } else if (f.exception() != null) {
            cf.completeExceptionally(f.exception());
        } else {
            cf.complete(f.result());
        }
    }

    // ---------------------------------------------------------------- repr

    /** @return the state name as asyncio's reprs spell it */
    final String stateName() {
        return switch (state) {
            case PENDING -> "pending";
            case CANCELLED -> "cancelled";
            default -> "finished";
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Future ").append(stateName());
        describeOutcome(sb);
        return sb.append('>').toString();
    }

    final void describeOutcome(StringBuilder sb) {
        if (state == FINISHED) {
            sb.append(" result=").append(outcome);
        } else if (state == FAILED) {
            sb.append(" exception=").append(outcome);
        }
        int n = callbackCount();
        if (n > 0) {
            sb.append(" callbacks=").append(n);
        }
        Origin origin = Origin.of(this);
        if (origin != null) {
            sb.append(' ').append(origin);
        }
    }

    /** One {@code addDoneCallback} registration, scheduled as a loop callback when done. */
    private static class DoneCallback<T> extends ContextBound implements Runnable {
        final Future<T> future;
        final Consumer<? super Future<T>> callback;

        DoneCallback(Future<T> future, Consumer<? super Future<T>> callback, Context context) {
            super(context);
            this.future = future;
            this.callback = callback;
        }

        @Override
        public void run() {
            callback.accept(future);
        }

        @Override
        public String toString() {
            return callback.toString();
        }
    }

    /** A done callback that also records, for call graphs, the future waiting through it. */
    private static final class AwaitingCallback<T> extends DoneCallback<T> {
        final Future<?> waiter;

        AwaitingCallback(Future<T> future, Consumer<? super Future<T>> callback, Context context, Future<?> waiter) {
            super(future, callback, context);
            this.waiter = waiter;
        }
    }

    /**
     * Reports an exception nobody retrieved, when its future is collected. Holds no
     * reference to the future (a cleaning action must not).
     */
    private static final class UnretrievedReport implements Runnable {
        private final EventLoop loop;
        private final Throwable exception;
        private final String message;
        private final String futureRepr;
        /** Where the future was created, in debug mode; else null. */
        private final Origin origin;
        volatile boolean retrieved;

        UnretrievedReport(EventLoop loop, Throwable exception, String message, String futureRepr, Origin origin) {
            this.loop = loop;
            this.exception = exception;
            this.message = message;
            this.futureRepr = futureRepr;
            this.origin = origin;
        }

        @Override
        public void run() {
            if (retrieved) {
                return;
            }
            ExceptionContext ctx = new ExceptionContext(message + ": " + futureRepr, exception, null, null, null,
                    origin == null ? null : origin.asExtra());
            try {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(ctx));
            } catch (IllegalStateException closed) {
                loop.defaultExceptionHandler(ctx);
            }
        }
    }
}
