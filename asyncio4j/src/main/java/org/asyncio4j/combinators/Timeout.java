package org.asyncio4j.combinators;

import java.util.Locale;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.future.Sneaky;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.Handle;

/**
 * A scope with a deadline: when the deadline passes while the scope's body runs, the task
 * running it is cancelled, and the scope turns that cancellation into a
 * {@link TimeoutError} (asyncio's {@code asyncio.Timeout}, made by {@code asyncio.timeout()}
 * and {@code asyncio.timeout_at()}; here {@code AsyncIO.timeout}, {@code AsyncIO.timeoutAt},
 * {@link #after} and {@link #Timeout(double)}).
 *
 * <pre>{@code
 * // asyncio:  async with asyncio.timeout(10): await long_running_task()
 * String page = AsyncIO.timeout(10, () -> fetch(url));        // TimeoutError after 10 s
 *
 * // with the Timeout object, to move the deadline from inside the body
 * Timeout cm = AsyncIO.timeout(10);
 * cm.run(() -> {
 *     Header h = readHeader();
 *     cm.reschedule(AsyncIO.getRunningLoop().time() + h.expectedSeconds());
 *     readBody(h);
 * });
 * if (cm.expired()) { ... }
 * }</pre>
 *
 * <h2>Why a lambda and not try-with-resources</h2>
 * asyncio writes {@code async with timeout(...)}, and on expiry its {@code __aexit__}
 * replaces the body's {@code CancelledError} with {@code TimeoutError}. Java's
 * {@code close()} cannot do that: when the body of a try-with-resources throws, an
 * exception from {@code close()} is only attached to it as suppressed, so the caller would
 * see {@link CancelledError}, and a cancellation that the scope caused would escape as if
 * the task had been cancelled from outside. {@link #run(CheckedCallable)} sees the body's
 * exception and can replace it, so it keeps asyncio's semantics exactly.
 *
 * <h2>Semantics (Python 3.11+)</h2>
 * <ul>
 *   <li>The deadline is a loop time ({@link EventLoop#time()}).
 *       {@link Double#POSITIVE_INFINITY} means no deadline (asyncio's {@code None}). A
 *       deadline at or before the current time (a zero or negative delay) expires at the
 *       next loop iteration: the body runs until its first suspension and is cancelled
 *       there. NaN is always an error.
 *   <li>On expiry the task is cancelled ({@link Task#cancel()}): the body sees
 *       {@link CancelledError} at its current await and may clean up. When the body ends,
 *       the scope takes its own cancellation request back ({@link Task#uncancel()}); if no
 *       other request is left (the task's {@link Task#cancelling()} is back where it was
 *       when the scope was entered) a {@code CancelledError} from the body becomes a
 *       {@link TimeoutError} whose cause is that {@code CancelledError}.
 *   <li>If the task was also cancelled from outside, the {@code CancelledError} goes on
 *       propagating: an outer cancellation always wins.
 *   <li>Nested scopes: each converts only the cancellation it caused. When several expire
 *       together, the outermost expired one raises {@code TimeoutError} and the inner ones
 *       let the {@code CancelledError} through.
 *   <li>If the body swallows the {@code CancelledError} and returns normally, the scope
 *       returns normally too, and {@link #expired()} tells what happened.
 *   <li>If the body ends with another exception after expiry, that exception propagates,
 *       and a {@code TimeoutError} is attached to it as suppressed (Python 3.13 links it into
 *       the exception's context chain; Java has no implicit context).
 * </ul>
 *
 * <pre>
 *   CREATED ──run()──▶ ENTERED ("active") ──body ends──────────────▶ EXITED ("finished")
 *                         │
 *                         └── deadline passes: cancel the task ──▶ EXPIRING ──body ends──▶ EXPIRED
 * </pre>
 *
 * <p>Implementation overview: {@code handler} is the loop callback that fires the expiry
 * (a {@link org.asyncio4j.loop.TimerHandle}, or a {@link Handle} from {@code callSoon}
 * for a deadline already past); {@link #reschedule} replaces it. {@code cancellingAtEntry}
 * is the task's cancel count when the scope was entered: the scope converts only when,
 * after its own {@code uncancel()}, the count is back at or below it. A scope is used once.
 */
public final class Timeout {
    private enum State {
        CREATED("created"), ENTERED("active"), EXPIRING("expiring"), EXPIRED("expired"), EXITED("finished");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private State state = State.CREATED;
    /** The deadline in loop time; +infinity for none. */
    private double when;
    /** The task that entered the scope; set once entered. */
    private Task<?> task;
    /** The task's cancelling() when the scope was entered. */
    private int cancellingAtEntry;
    /** The pending expiry callback, or null (no deadline, expired, or exited). */
    private Handle handler;

    /**
     * A scope that expires at loop time {@code when} (asyncio's {@code Timeout(when)}; most
     * code calls {@code AsyncIO.timeoutAt(when)} or {@code AsyncIO.timeout(delay)}). Nothing
     * is scheduled until the scope is {@linkplain #run(CheckedCallable) run}.
     *
     * @param when the deadline in loop time; {@link Double#POSITIVE_INFINITY} for none; a
     *     time already past expires at the next loop iteration after entry
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public Timeout(double when) {
        this.when = Checks.seconds(when, "when");
    }

    /**
     * A scope that expires {@code delay} seconds from now on the running loop's clock
     * (asyncio's {@code asyncio.timeout(delay)}).
     *
     * @param delay seconds; {@link Double#POSITIVE_INFINITY} for no deadline; zero or
     *     negative expires at the next iteration after entry
     * @return the scope, not yet entered
     * @throws IllegalArgumentException if {@code delay} is NaN
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static Timeout after(double delay) {
        Checks.seconds(delay, "delay");
        EventLoop loop = EventLoop.getRunningLoop();
        return new Timeout(delay == Double.POSITIVE_INFINITY ? delay : loop.time() + delay);
    }

    /**
     * @return the deadline in loop time, {@link Double#POSITIVE_INFINITY} when there is none
     *     (asyncio's {@code when()}, which returns {@code None} then)
     */
    public double when() {
        return when;
    }

    /**
     * Moves the deadline (asyncio's {@code reschedule(when)}). Allowed only while the scope
     * is active: entered and not expired.
     *
     * @param when the new deadline in loop time; {@link Double#POSITIVE_INFINITY} removes
     *     it; a time already past expires the scope at the next loop iteration
     * @throws IllegalArgumentException if {@code when} is NaN
     * @throws IllegalStateException if the scope has not been entered, or has expired or
     *     finished, or if called from another thread while its loop runs; the deadline is
     *     then unchanged
     */
    public void reschedule(double when) {
        Checks.seconds(when, "when");
        if (state != State.ENTERED) {
            if (state == State.CREATED) {
                throw new IllegalStateException("cannot reschedule " + this + ": it has not been entered; "
                        + "call run(...) first, or create it with the deadline you want");
            }
            throw new IllegalStateException("cannot reschedule " + this + ": the scope is " + state.label
                    + " and its deadline can no longer change");
        }
        task.getLoop().checkThread("Timeout.reschedule()");
        this.when = when;
        if (handler != null) {
            handler.cancel();
            handler = null;
        }
        if (when == Double.POSITIVE_INFINITY) {
            return;
        }
        EventLoop loop = task.getLoop();
        if (when <= loop.time()) {
            handler = loop.callSoon(this::onTimeout);
        } else {
            handler = loop.callAt(when, this::onTimeout);
        }
    }

    /**
     * @return whether the deadline passed while the scope was active (asyncio's
     *     {@code expired()}); true from the moment the task is cancelled, even before the
     *     body has seen the cancellation
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * Suspending: enters the scope, runs {@code body} in the current task, leaves the scope
     * and returns what the body returned (asyncio's {@code async with timeout: ...}).
     * {@code throws E} is the body's own checked exception, inferred from the lambda
     * ({@link CheckedCallable}), so a {@code catch} of it compiles.
     *
     * <p>Cancellation: a cancellation of the task from outside reaches the body at its
     * current await and propagates out of this call as {@link CancelledError}, never as
     * {@link TimeoutError}. The body's own cleanup ({@code finally} blocks) has run by then;
     * the scope leaves no callback behind.
     *
     * @param body the code under the deadline
     * @param <T> the result type
     * @param <E> the checked exception the body may throw
     * @return what {@code body} returned
     * @throws E what the body threw, unchanged
     * @throws TimeoutError if the deadline passed and the body ended with the
     *     {@code CancelledError} the scope caused
     * @throws IllegalStateException if the scope was entered before (a {@code Timeout} is
     *     used once), or this is not called inside a task
     */
    public <T, E extends Exception> T run(CheckedCallable<T, E> body) throws E {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        enter();
        T result;
        try {
            result = body.call();
        } catch (Throwable e) {
            throw Sneaky.rethrow(exit(e));
        }
        exit(null);
        return result;
    }

    /**
     * Suspending: {@link #run(CheckedCallable)} for a body that returns nothing.
     *
     * <p>Cancellation: as for {@link #run(CheckedCallable)}.
     *
     * @param body the code under the deadline
     * @param <E> the checked exception the body may throw
     * @throws E what the body threw, unchanged
     * @throws TimeoutError if the deadline passed and the body ended with the
     *     {@code CancelledError} the scope caused
     */
    public <E extends Exception> void run(CheckedRunnable<E> body) throws E {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        run(CheckedCallable.of(body));
    }

    private void enter() {
        if (state != State.CREATED) {
            throw new IllegalStateException("cannot enter " + this + ": it has already been entered, "
                    + "and a Timeout is used once; make a new one");
        }
        Task<?> current = Checks.currentTask("Timeout.run()");
        state = State.ENTERED;
        task = current;
        cancellingAtEntry = current.cancelling();
        reschedule(when);
    }

    /**
     * Leaves the scope after the body ended with {@code error} (or normally, for null), and
     * returns what to throw (null: return normally).
     */
    private Throwable exit(Throwable error) {
        if (handler != null) {
            handler.cancel();
            handler = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingAtEntry && error != null) {
                // no cancellation request is left but ours: this one is ours to handle
                if (error instanceof CancelledError) {
                    TimeoutError timeout = new TimeoutError("the timeout expired (deadline " + when + " in loop time)");
                    timeout.initCause(error);
                    return timeout;
                }
                attachTimeout(error);
                if (error instanceof ExceptionGroup group) {
                    for (Throwable t : group.getExceptions()) {
                        attachTimeout(t);
                    }
                }
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return error;
    }

    private void attachTimeout(Throwable error) {
        if (!(error instanceof CancelledError)) {
            error.addSuppressed(new TimeoutError("the timeout expired (deadline " + when
                    + " in loop time) while this exception was raised"));
        }
    }

    /** The expiry: cancel the task; the body sees CancelledError at its current await. */
    private void onTimeout() {
        if (state != State.ENTERED) {
            return;
        }
        task.cancel();
        state = State.EXPIRING;
        handler = null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Timeout [").append(state.label).append(']');
        if (state == State.ENTERED) {
            sb.append(" when=").append(when == Double.POSITIVE_INFINITY ? "None" : String.format(Locale.ROOT, "%.3f", when));
        }
        return sb.append('>').toString();
    }
}
