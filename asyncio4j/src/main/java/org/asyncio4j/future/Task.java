package org.asyncio4j.future;

import java.util.concurrent.atomic.AtomicInteger;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.loop.TaskObserver;
import org.asyncio4j.loop.WakeUpHook;

/**
 * A {@link Future} that drives a {@link Coroutine} (asyncio's {@code asyncio.Task}).
 *
 * <p>The task runs its coroutine in steps on its loop's thread. A step resumes the
 * coroutine; when the coroutine awaits a future that is not done, the task registers
 * itself as a waiter of that future and gives the thread back to the loop; when the
 * future completes, the next step is scheduled. Awaiting a future that is already done
 * does not suspend. The task's result is the coroutine's return value, and its exception
 * the very object the coroutine threw.
 *
 * <pre>
 *                  step ◀──────────── wake-up (awaited future done, or sleep(0))
 *                   │
 *   PENDING ────────┼── coroutine returns ──────────────▶ FINISHED (result)
 *                   ├── coroutine throws ───────────────▶ FINISHED (exception)
 *                   └── coroutine throws CancelledError ▶ CANCELLED
 * </pre>
 *
 * <p>Cancellation ({@link #cancel(String)}) counts a request, then cancels the future the
 * task waits on, or, if there is none, arranges for the next step to raise
 * {@link CancelledError} at the coroutine's suspension point. The coroutine may catch it,
 * clean up and rethrow; {@link #cancelling()} and {@link #uncancel()} count outstanding
 * requests as in Python 3.11+.
 *
 * <p>Implementation overview. {@code waitingOn} is the future the coroutine is parked on
 * (asyncio's {@code _fut_waiter}); it is cleared when a step starts. The flag
 * {@code MUST_CANCEL} records a cancellation that found nothing to cancel; the next step
 * turns it into {@code CANCEL_AT_RESUME}: the coroutine raises {@link CancelledError} when
 * it returns from its suspension. The message of a requested cancellation is kept in the
 * future's {@code outcome} while the task is pending (asyncio's {@code _cancel_message});
 * when the coroutine ends, {@link #body()} puts there what it returned or threw. The
 * coroutine itself runs on a {@link Strand} of the {@link CoroutineEngine}; the strand is
 * made at the first step, so a task cancelled before it ever ran never starts its
 * coroutine. Tasks are registered with their loop while pending, so a fire-and-forget
 * task is never lost to the garbage collector.
 *
 * <p>A scheduled step is the task itself in the loop's ready queue
 * ({@link EventLoop#scheduleStep}), not a {@code Handle}: the flag {@code STEP_QUEUED} is
 * set while exactly one such entry is pending (a task waits on one thing at a time, so it
 * never has two), and the loop's {@link EventLoop.TaskStepper} runs the step only then.
 *
 * @param <T> the result type
 */
public class Task<T> extends Future<T> {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        EventLoop.installTaskStepper(new EventLoop.TaskStepper() {
            @Override
            public void runStep(Object entry) {
                if (entry instanceof Task<?> t) {
                    t.runQueuedStep();
                } else {
                    Future.runQueuedCallback(entry);
                }
            }

            @Override
            public int registryIndex(Task<?> task) {
                return task.registryIndex;
            }

            @Override
            public void setRegistryIndex(Task<?> task, int index) {
                task.registryIndex = index;
            }

            @Override
            public boolean sleepsOn(Task<?> task, long seq) {
                return task.sleepSeq == seq;
            }

            @Override
            public boolean wake(Task<?> task, long seq) {
                if (task.sleepSeq != seq) {
                    return false;
                }
                task.sleepSeq = 0;
                task.scheduleStep();
                return true;
            }
        });
    }

    /** What the task runs: a {@code Coroutine<T>}, or a {@link VoidCoroutine} (then the result is null). */
    private final Object coro;
    /**
     * The context every step runs in: the creator's shared copy until the task sets a
     * variable or hands the context out, then a private one (see {@link Context}).
     */
    private Context context;
    private final int id;
    private String name;
    private Strand strand;
    /** The future this task's coroutine is suspended on, or null. */
    private Future<?> waitingOn;
    /**
     * {@link #MUST_CANCEL}, {@link #CANCEL_AT_RESUME} and {@link #STEP_QUEUED}, as bits: with
     * {@code cancelRequests} they fill the three bytes the object header and
     * {@code Future}'s state leave free, which keeps a task at 64 bytes.
     */
    private byte flags;
    /** A cancellation that found no future to cancel; honoured by the next step. */
    private static final int MUST_CANCEL = 1;
    /** Set by a step that delivers {@code MUST_CANCEL}: the coroutine raises CancelledError as it resumes. */
    private static final int CANCEL_AT_RESUME = 2;
    /** Set while this task sits in its loop's ready queue for its next step. */
    private static final int STEP_QUEUED = 4;
    /**
     * Cancellation requests not yet matched by {@link #uncancel()}, up to
     * {@link #MAX_CANCEL_REQUESTS}; {@link CancelRequestOverflow} counts the rest.
     */
    private char cancelRequests;
    private static final char MAX_CANCEL_REQUESTS = Character.MAX_VALUE;
    /** Where the loop's registry holds this task, or -1; kept by the loop (EventLoop.registerTask). */
    private int registryIndex = -1;
    /**
     * The sequence number of the loop timer this task sleeps on ({@link #sleepUntil}), 0
     * when it does not sleep, or {@link #SLEEP_CANCELLED}: the sleep was cancelled and
     * raises {@link CancelledError} with the cancel message when the task resumes.
     */
    private long sleepSeq;
    private static final long SLEEP_CANCELLED = -1;

    /**
     * Creates a task and schedules its first step (asyncio's {@code Task(coro, loop=...)}).
     * Most code calls {@link EventLoop#createTask} instead, which honours the loop's task
     * factory.
     *
     * @param loop the loop that runs it
     * @param coro the coroutine to drive
     * @param name the name, or {@code null} for {@code Task-N}
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param eagerStart if true and the loop is running, run the coroutine synchronously
     *     now until its first suspension (Python 3.12's eager tasks)
     */
    public Task(EventLoop loop, Coroutine<T> coro, String name, Context context, boolean eagerStart) {
        this(loop, (Object) coro, name, context, eagerStart);
    }

    /**
     * Creates a task of a coroutine that returns nothing: its result is {@code null}. The
     * same as the constructor above on {@code Coroutine.of(coro)}, without the adapter
     * object (16 bytes and a frame of every parked task).
     *
     * @param loop the loop that runs it
     * @param coro the coroutine to drive
     * @param name the name, or {@code null} for {@code Task-N}
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param eagerStart as in {@link #Task(EventLoop, Coroutine, String, Context, boolean)}
     */
    public Task(EventLoop loop, VoidCoroutine coro, String name, Context context, boolean eagerStart) {
        // an object that is both kinds runs as what it was passed as
        this(loop, coro instanceof Coroutine<?> ? Coroutine.of(coro) : coro, name, context, eagerStart);
    }

    private Task(EventLoop loop, Object coro, String name, Context context, boolean eagerStart) {
        super(loop);
        if (coro == null) {
            throw new NullPointerException("coro must not be null");
        }
        this.coro = coro;
        this.context = context == null ? Context.sharedCopy() : context;
        this.id = COUNTER.incrementAndGet();
        this.name = name;
        TaskObserver observer = EventLoop.taskObserver();
        if (eagerStart && loop.isRunning()) {
            loop.registerTask(this);
            if (observer != null) {
                observer.taskStarted(this);
            }
            try {
                startEagerly();
            } catch (RuntimeException | Error e) {
                // The first step could not start (e.g. the context is entered already):
                // nothing will ever step this task, so it must not stay registered, or
                // Runner.close() would wait for it forever. asyncio's eager start raises
                // from the constructor and leaves no task behind either.
                loop.unregisterTask(this);
                if (observer != null) {
                    observer.taskFinished(this, e);
                }
                throw e;
            }
        } else {
            scheduleStep();
            loop.registerTask(this);
            if (observer != null) {
                observer.taskStarted(this);
            }
        }
    }

    /**
     * A task with a generated name, in a copy of the current context, started lazily.
     *
     * @param loop the loop that runs it
     * @param coro the coroutine to drive
     */
    public Task(EventLoop loop, Coroutine<T> coro) {
        this(loop, coro, null, null, false);
    }

    /**
     * @return the coroutine engine that drives tasks in this JVM: {@code "continuation"} or
     *     {@code "virtual-thread"} (see the README on choosing it)
     */
    public static String engineName() {
        return CoroutineEngine.INSTANCE.name();
    }

    // ---------------------------------------------------------------- the current task

    /**
     * The task running on the calling thread, about to await {@code awaited} (or just to
     * yield, when it is {@code null}).
     *
     * @param operation what the coroutine called, e.g. {@code "sleep()"}, for the message
     */
    static Task<?> current(Future<?> awaited, String operation) {
        Task<?> task = runningTask();
        if (task == null) {
            throw new IllegalStateException(operation + " can only suspend inside a task, and none is running on thread "
                    + Thread.currentThread().getName() + ": run the code with AsyncIO.run(...) or loop.createTask(...); "
                    + "in a plain loop callback use addDoneCallback instead");
        }
        if (awaited != null && task.getLoop() != awaited.getLoop()) {
            throw new IllegalStateException("task " + task + " cannot await " + awaited
                    + ": that future is attached to a different loop");
        }
        return task;
    }

    // ---------------------------------------------------------------- coroutine side

    /** Parks the running coroutine until {@code f} is done (or the task is cancelled). */
    final void awaitPending(Future<?> f) {
        if (f == this) {
            throw new IllegalStateException("task " + this + " cannot await itself");
        }
        boolean deliveredCancel = has(MUST_CANCEL) && f.cancel(cancelMessage());
        if (deliveredCancel) {
            clear(MUST_CANCEL);
        }
        // a future the cancellation completed wakes the task at the next iteration, as if
        // it had been registered first; a failed suspension takes the step back
        boolean scheduled = f.done();
        if (scheduled) {
            scheduleStep();
        } else {
            f.addWaiter(this);
        }
        waitingOn = f;
        try {
            suspend();
        } catch (Throwable t) {
            if (scheduled) {
                unscheduleStep();
            } else {
                f.removeWaiter(this);
            }
            waitingOn = null;
            if (deliveredCancel) {
                set(MUST_CANCEL);
            }
            throw SuspensionFailed.unwrap(t);
        }
        raiseCancelAtResume();
    }

    /**
     * Parks the running coroutine until the loop time {@code when} (or until the task is
     * cancelled: then {@link CancelledError} is raised here). The task itself is the
     * timer's entry in the loop's heap ({@link EventLoop#scheduleStepAt}): a sleep
     * allocates nothing, where a future, its timer handle, a callback and a context copy
     * were 136 bytes per sleep, live while the task sleeps (a million sleepers spent half
     * their time in young collections copying them, JDK 25, G1). The task resumes one loop
     * iteration after the timer is due, as when the timer completed an awaited future.
     */
    final void sleepUntil(double when) {
        boolean deliveredCancel = has(MUST_CANCEL);
        if (deliveredCancel) {
            // as await delivers a pending cancellation to the future it awaits: the sleep
            // is cancelled before it starts, and raises at the next iteration
            clear(MUST_CANCEL);
            sleepSeq = SLEEP_CANCELLED;
            scheduleStep();
        } else {
            sleepSeq = getLoop().scheduleStepAt(when, this);
        }
        try {
            suspend();
        } catch (Throwable t) {
            if (deliveredCancel) {
                unscheduleStep();
                set(MUST_CANCEL);
            } else {
                getLoop().stepTimerCancelled();
            }
            sleepSeq = 0;
            throw SuspensionFailed.unwrap(t);
        }
        long s = sleepSeq;
        sleepSeq = 0;
        raiseCancelAtResume();
        if (s == SLEEP_CANCELLED) {
            throw new CancelledError(cancelMessage());
        }
    }

    /**
     * Gives the loop one iteration and resumes (asyncio's bare {@code yield}, which
     * {@code sleep(0)} uses). Must be called by the running task's coroutine.
     */
    final void yieldOnce() {
        scheduleStep();
        try {
            suspend();
        } catch (Throwable t) {
            unscheduleStep();
            throw SuspensionFailed.unwrap(t);
        }
        raiseCancelAtResume();
    }

    /**
     * Suspends the coroutine; it throws only when the suspension failed, which changed
     * nothing on the loop side: the caller then takes back what it registered and throws
     * {@link SuspensionFailed#unwrap} of what came out.
     */
    private void suspend() {
        // the same slot after the resume: the continuation engine resumes on the loop
        // thread, the virtual-thread engine on the task's own thread, as before
        Context.Slot slot = Context.slot();
        Context mine = slot.current;
        try {
            strand.suspend(getLoop().getDebug());
        } catch (IllegalStateException refused) {
            throw new SuspensionFailed(refused);
        } catch (StackOverflowError e) {
            throw new SuspensionFailed(SuspendRefusal.outOfStack(e));
        }
        // a shared copy was this task's context, which may have become a private one since
        slot.current = mine.shared ? context : mine;
    }

    /** After a resume: raises the cancellation the waking step delivered, if any. */
    private void raiseCancelAtResume() {
        if (has(CANCEL_AT_RESUME)) {
            clear(CANCEL_AT_RESUME);
            throw new CancelledError(cancelMessage());
        }
    }

    private boolean has(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag) {
        flags |= (byte) flag;
    }

    private void clear(int flag) {
        flags &= (byte) ~flag;
    }

    /** The message of the cancellation this pending task has yet to deliver (kept in {@code outcome}). */
    private String cancelMessage() {
        return (String) outcome;
    }

    /**
     * The strand's body. It only runs the coroutine and stashes its outcome in the future's
     * {@code outcome} (the state stays pending): what it threw, or what it returned (a
     * returned {@code Throwable} wrapped in {@link Returned}, so the two cannot be confused;
     * nothing when a cancellation is still to be delivered: the result is dropped then, and
     * its message stays). {@link #finish()} completes the task on the loop side once the
     * strand is done. Keeping the completion code out of this frame matters: the
     * frame sits frozen in every suspended task, and when the JIT recompiles code inlined
     * into a frozen compiled frame, each such frame is deoptimized one by one on resume,
     * which costs microseconds per task after a burst of a million.
     */
    @SuppressWarnings("unchecked")
    final void body() {
        try {
            if (has(CANCEL_AT_RESUME)) {   // cancelled before its first step
                clear(CANCEL_AT_RESUME);
                throw new CancelledError(cancelMessage());
            }
            Object c = coro;
            Object result = null;
            if (c instanceof VoidCoroutine v) {
                v.run();
            } else {
                result = ((Coroutine<T>) c).call();
            }
            if (!has(MUST_CANCEL)) {
                outcome = result instanceof Throwable ? new Returned(result) : result;
            }
        } catch (Throwable e) {
            outcome = e;
        }
    }

    /** A {@code Throwable} the coroutine returned as its result, while {@link #finish()} is to come. */
    private record Returned(Object value) {
    }

    /** Completes the task from the outcome {@link #body()} stashed. */
    @SuppressWarnings("unchecked")
    private void finish() {
        Object o = outcome;
        Throwable e = o instanceof Throwable t ? t : null;
        if (e == null) {
            if (has(MUST_CANCEL)) {
                // cancelled right before the coroutine returned: o is the message
                clear(MUST_CANCEL);
                super.cancel((String) o);
            } else {
                complete((T) (o instanceof Returned r ? r.value : o));
            }
        } else {
            if (e instanceof CancelledError ce) {
                completeCancelled(ce);
            } else {
                completeExceptionally(e);
            }
        }
        getLoop().unregisterTask(this);
        TaskObserver observer = EventLoop.taskObserver();
        if (observer != null) {
            observer.taskFinished(this, e);
        }
    }

    // ---------------------------------------------------------------- loop side

    /**
     * Schedules the next step: the future this task waited on is done. A
     * {@link WakeUpHook} (schedule fuzzing in tests) may delay it.
     */
    final void wakeUp() {
        WakeUpHook hook = getLoop().getWakeUpHook();
        if (hook != null) {
            // schedule fuzzing may hold the step back a few iterations (see testing.ScheduleFuzzer)
            hook.wakeUp(this, waitingOn, this::step);
            return;
        }
        scheduleStep();
    }

    private void scheduleStep() {
        getLoop().scheduleStep(this);
        set(STEP_QUEUED);
    }

    /** Takes back the step just scheduled: the suspension it was for failed. */
    private void unscheduleStep() {
        clear(STEP_QUEUED);
        getLoop().unscheduleStep(this);
    }

    /**
     * The loop found this task in its ready queue: runs the step in the task's context,
     * and reports what escapes, as a {@code Handle} does for a callback.
     */
    private void runQueuedStep() {
        if (!has(STEP_QUEUED)) {
            return;   // not one of ours (see EventLoop.scheduleStep)
        }
        clear(STEP_QUEUED);
        try {
            Context.Slot slot = Context.slot();
            Context outer = context.enter(slot);
            try {
                step();
            } finally {
                context.exit(slot, outer);
            }
        } catch (Throwable t) {
            getLoop().callExceptionHandler(new ExceptionContext("Exception in callback step of " + this, t, this, null, null));
        }
    }

    /** One step: resume the coroutine until it suspends again or finishes. */
    private void step() {
        if (done()) {
            throw new InvalidStateError("step() called on a task that is already done: " + this);
        }
        prepareStep();
        EventLoop loop = getLoop();
        loop.enterTask(this);
        try {
            runStrand();
        } finally {
            loop.leaveTask(this);
        }
    }

    private void prepareStep() {
        if (has(MUST_CANCEL)) {
            set(CANCEL_AT_RESUME);
            clear(MUST_CANCEL);
        }
        waitingOn = null;
    }

    private void runStrand() {
        Strand s = strand;
        if (s == null) {
            s = strand = CoroutineEngine.INSTANCE.newStrand(this);
        }
        s.resume();
        if (s.isDone()) {
            finish();
        }
    }

    /** Runs the first step inside the constructor, in the task's context (eager start). */
    private void startEagerly() {
        EventLoop loop = getLoop();
        Task<?> previous = loop.swapCurrentTask(this);
        try {
            Context.Slot slot = Context.slot();
            Context outer = context.enter(slot);
            try {
                prepareStep();
                runStrand();
            } finally {
                context.exit(slot, outer);
            }
        } finally {
            loop.swapCurrentTask(previous);
        }
    }

    // ---------------------------------------------------------------- cancellation

    /**
     * Requests cancellation: the coroutine sees {@link CancelledError} at its current (or
     * next) suspension point.
     *
     * @param msg the message the error carries, or {@code null}
     * @return false if the task is already done, else true
     * @throws IllegalStateException if called from another thread while the loop runs, or
     *     the loop is closed; nothing was changed (no request counted)
     */
    @Override
    public boolean cancel(String msg) {
        // before counting the request: a refused cancel changes nothing
        getLoop().checkThread("Task.cancel()");
        if (done()) {
            return false;
        }
        Future<?> w = waitingOn;
        if (w != null) {
            w.checkCanComplete("Task.cancel()");
        }
        if (cancelRequests != MAX_CANCEL_REQUESTS) {
            cancelRequests++;
        } else {
            CancelRequestOverflow.increment(this);
        }
        if (w != null && w.cancel(msg)) {
            // keep waitingOn: if it is a task that swallows the cancellation we may cancel it again
            return true;
        }
        if (sleepSeq > 0) {
            // as cancelling the future of a sleep did: the sleep ends now and raises
            // CancelledError(msg); a later cancel() before the step wins, as before
            getLoop().stepTimerCancelled();
            sleepSeq = SLEEP_CANCELLED;
            outcome = msg;
            scheduleStep();
            return true;
        }
        set(MUST_CANCEL);
        outcome = msg;
        return true;
    }

    /**
     * @return the number of cancellation requests not yet matched by {@link #uncancel()}
     */
    public final int cancelling() {
        char n = cancelRequests;
        return n != MAX_CANCEL_REQUESTS ? n : n + CancelRequestOverflow.excess(this);
    }

    /**
     * Takes back one cancellation request, for code that absorbs a cancellation it caused
     * itself (timeouts, task groups). When the count reaches zero, a pending request that
     * has not been delivered yet is dropped (Python 3.13).
     *
     * @return the remaining count
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public final int uncancel() {
        getLoop().checkThread("Task.uncancel()");
        if (cancelRequests == MAX_CANCEL_REQUESTS && CancelRequestOverflow.decrement(this)) {
            return cancelling();
        }
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                clear(MUST_CANCEL);
            }
        }
        return cancelRequests;
    }

    /** Tasks do not support it: their result is the coroutine's. */
    @Override
    public final void setResult(T result) {
        throw new UnsupportedOperationException("a Task's result is set by its coroutine; setResult is not supported");
    }

    /** Tasks do not support it: their exception is the coroutine's. */
    @Override
    public final void setException(Throwable exception) {
        throw new UnsupportedOperationException("a Task's exception is set by its coroutine; setException is not supported");
    }

    // ---------------------------------------------------------------- accessors

    /** @return the task's name, {@code Task-N} unless one was given */
    public final String getName() {
        String n = name;
        if (n == null) {
            n = name = "Task-" + Integer.toUnsignedString(id);
        }
        return n;
    }

    /**
     * @param name the new name
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public final void setName(String name) {
        getLoop().checkThread("Task.setName()");
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        this.name = name;
    }

    /**
     * @return the coroutine this task drives; for a task of a {@link VoidCoroutine}, a new
     *     adapter of it ({@code Coroutine.of}) at each call
     */
    @SuppressWarnings("unchecked")
    public final Coroutine<T> getCoro() {
        Object c = coro;
        return c instanceof VoidCoroutine v ? (Coroutine<T>) Coroutine.of(v) : (Coroutine<T>) c;
    }

    /**
     * The context every step of this task runs in (asyncio's {@code Task.get_context()}).
     * Call it on the loop's thread.
     *
     * @return the context, the same object at every call
     */
    public final Context getContext() {
        Context c = context;
        if (c.shared) {
            // a shared copy is never handed out (see Context): from now on the task has its own
            boolean running = runningTask() == this;
            c = context = c.privateCopy(running);
            Context.Slot slot = Context.slot();
            if (running && slot.current.shared) {
                slot.current = c;
            }
        }
        return c;
    }

    /** For {@link Context#currentForWrite}: the running task's own context, in place of the shared copy it runs in. */
    static Context ownContext(Context shared) {
        Task<?> t = runningTask();
        if (t == null) {
            ContextBound callback = Context.slot().callback;
            // the running callback's shared copy (see Context's invariant); with none, not reached
            return callback != null ? callback.ownContext() : shared.privateCopy(false);
        }
        Context c = t.context;
        if (c.shared) {
            c = t.context = c.privateCopy(true);
        }
        return c;
    }

    /**
     * For a context about to become current again: a shared copy means the running task's
     * or, with none, the running callback's context, which may have become a private one
     * meanwhile (see {@link Context}).
     */
    static Context resolveShared(Context c) {
        if (!c.shared) {
            return c;
        }
        Task<?> t = runningTask();
        if (t != null) {
            return t.context;
        }
        ContextBound callback = Context.slot().callback;
        return callback == null ? c : callback.context();
    }

    /** The task running on the calling thread, or null. */
    static Task<?> runningTask() {
        // the continuation engine knows from the mounted continuation, without the running
        // loop's ThreadLocal: one lookup less per await and per sleep
        Task<?> t = CoroutineEngine.INSTANCE.currentTask();
        if (t != null) {
            return t;
        }
        EventLoop loop = EventLoop.peekRunningLoop();
        return loop == null ? null : loop.currentTask();
    }

    /**
     * Low-level, for call graphs and task dumps: the future this task's coroutine is
     * suspended on (asyncio's {@code _fut_waiter}).
     *
     * @return the future, or {@code null} when the task runs, is ready to run, or is done
     */
    public final Future<?> waitingOn() {
        return waitingOn;
    }

    /**
     * Low-level, for call graphs and task dumps: whether the coroutine is suspended in
     * {@code sleep()}, on a loop timer rather than a future ({@link #waitingOn()} is then
     * {@code null}).
     *
     * @return true while the task sleeps
     */
    public final boolean sleeping() {
        return sleepSeq > 0;
    }

    /**
     * The frames of this task's coroutine, innermost first (asyncio's {@code get_stack()},
     * which shows only the coroutine chain; a stackful coroutine shows every frame,
     * helpers included). The engine's own frames at both ends are left out. Works on
     * both engines, in and out of debug mode; costs a stack walk.
     *
     * @return the frames: where the task is suspended, or the current ones when called
     *     by the task itself; empty when it has not started or is done
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public final StackTraceElement[] getStack() {
        getLoop().checkThread("Task.getStack()");
        StackTraceElement[] frames;
        if (getLoop().currentTask() == this && EventLoop.peekRunningLoop() == getLoop()) {
            frames = Thread.currentThread().getStackTrace();
        } else if (strand != null && !done()) {
            frames = strand.stackTrace();
        } else {
            return new StackTraceElement[0];
        }
        return coroutineFrames(frames);
    }

    /**
     * Low-level, for watchdogs on other threads: the thread whose stack shows this task's
     * coroutine while it runs: the loop's own on the continuation engine, the task's
     * virtual thread on the other.
     *
     * @return the thread, or {@code null} when the loop is not running
     */
    public final Thread coroutineThread() {
        Strand s = strand;
        Thread t = s == null ? null : s.thread();
        return t != null ? t : getLoop().runningThread();
    }

    /** Drops the engine's frames: the suspension machinery on top, the task's body and below. */
    private static StackTraceElement[] coroutineFrames(StackTraceElement[] frames) {
        int top = 0;
        while (top < frames.length && isEngineFrame(frames[top])) {
            top++;
        }
        int bottom = top;
        while (bottom < frames.length && !(frames[bottom].getClassName().equals(Task.class.getName())
                && frames[bottom].getMethodName().equals("body"))) {
            bottom++;
        }
        while (bottom > top && isEngineFrame(frames[bottom - 1])) {
            bottom--; // e.g. Coroutine.of's adapter of a VoidCoroutine
        }
        return java.util.Arrays.copyOfRange(frames, top, bottom);
    }

    private static boolean isEngineFrame(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.internal.") || c.startsWith(Task.class.getPackageName() + '.');
    }

    /**
     * Carries a refused suspension from {@link #suspend()} to the method that registered
     * the wake-up, which takes it back and throws the refusal at the await.
     */
    private static final class SuspensionFailed extends RuntimeException {
        private final IllegalStateException refusal;

        SuspensionFailed(IllegalStateException refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }

        /** @return what the await throws for {@code t}, which came out of a failed suspension */
        static RuntimeException unwrap(Throwable t) {
            if (t instanceof SuspensionFailed f) {
                return f.refusal;
            }
            throw Sneaky.rethrow(t);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Task ").append(stateName()).append(" name='").append(getName()).append('\'');
        if (cancelRequests > 0 && !done()) {
            sb.append(" cancelling=").append(cancelling());
        }
        describeOutcome(sb);
        Future<?> w = waitingOn;
        if (w != null && !done()) {
            sb.append(" wait_for=").append(w);
        }
        return sb.append('>').toString();
    }
}
