package org.asyncio4j.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.VoidCoroutine;

/**
 * A single-threaded event loop over an I/O multiplexer, today NIO's
 * {@link java.nio.channels.Selector} (asyncio's event loop: the selector event loop of
 * {@code base_events.py} and {@code selector_events.py}).
 *
 * <p>The loop runs callbacks ({@link Handle}s) from a ready queue, timers
 * ({@link TimerHandle}s) from a heap ordered by due time, and I/O readiness callbacks of
 * registered channels; {@link Task}s and {@link Future}s are built on those. Everything
 * runs on the thread that called {@link #runForever()} or {@link #runUntilComplete}; the
 * only entry from other threads is {@link #callSoonThreadsafe}.
 *
 * <pre>{@code
 * EventLoop loop = EventLoop.newEventLoop();
 * try {
 *     loop.callLater(0.1, () -> System.out.println("a tenth of a second later"));
 *     loop.runUntilComplete(loop.createTask(() -> AsyncIO.sleep(0.2)));
 * } finally {
 *     loop.close();
 * }
 * }</pre>
 *
 * <h2>Implementation overview</h2>
 * One iteration ({@link #runOnce()}):
 * <ol>
 *   <li>drop cancelled timers from the top of the heap, or rebuild the heap without them
 *       when they are the majority;
 *   <li>wait for I/O through the {@link IoDriver}: not at all when callbacks are ready
 *       (then the driver is only polled every {@value #BUSY_POLL_INTERVAL} iterations, or
 *       at once after an iteration that asked for it with {@link #pollSoon()}, and never
 *       when no channel is registered: a system call costs more than most callbacks),
 *       else until the nearest timer, else until woken;
 *   <li>move callbacks posted from other threads into the ready queue;
 *   <li>note the time: the timers due by then run in this iteration;
 *   <li>run exactly the entries that are in the ready queue now, then the due timers, in
 *       heap order, straight from the heap; callbacks they schedule wait for the next
 *       iteration, and so do timers they schedule: a due one scheduled in this iteration
 *       (its {@code seq} is past the one noted with the time) is set aside in
 *       {@code deferredTimers} and put back at the end of the iteration.
 * </ol>
 * This is asyncio's order (due timers are appended to the ready queue), without moving
 * each timer through the ready queue: a reference stored into the queue's array, an old
 * object once the queue is large, costs G1's card-marking barrier (with
 * {@code -XX:+UseParallelGC}, whose barrier is a plain card mark, {@code timers} ran 25%
 * faster; JDK 25).
 * The ready queue holds {@link Handle}s and the kernel's own entries: a task's next step
 * is the task itself, a future's done callback its registration ({@link #scheduleStep}),
 * so neither costs an allocation (a {@code Handle} and a method reference per step were
 * 48 bytes and a third of {@code task_switch}'s time above the bare continuation's,
 * measured on JDK 25). They run through the {@link TaskStepper} that {@link Task}
 * installs.
 * Cross-thread wake-up: {@code sleeping} is set before the loop blocks in the selector
 * and cleared after; {@link #callSoonThreadsafe} enqueues first, then wakes the selector
 * only if {@code sleeping} was set (and clears it, so a burst of posts makes one system
 * call). The loop re-checks the queue after setting {@code sleeping}, so a post is never
 * missed: volatile accesses order the two sides (the Dekker pattern).
 *
 * <p>Pending tasks are held strongly in {@code tasks} until they finish, so a
 * fire-and-forget task is never garbage collected half-way. {@code tasks} is an array,
 * and each task keeps its own index in it (through the {@link TaskStepper}): registering
 * appends, unregistering moves the last entry into the hole. An identity hash set did the
 * same with a hash and a probe per register and unregister, a table four times as large
 * and resizes: two thirds of {@code spawn}'s time (JFR, JDK 25).
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = System.getLogger("org.asyncio4j");
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /** The ready queue's first capacity, and how few entries it may hold when it is replaced. */
    private static final int READY_CAPACITY = 1024;
    /** An iteration of this many entries or more is a burst: the ready queue is replaced after it. */
    private static final int READY_BURST = 1 << 16;
    /** When callbacks are ready, poll the selector once per this many iterations. */
    private static final int BUSY_POLL_INTERVAL = 16;
    /** Rebuild the timer heap when cancelled timers are more than this and the majority. */
    private static final int MIN_CANCELLED_TO_REBUILD = 100;
    private static final double CLOCK_RESOLUTION = 1e-9;
    private static final java.lang.invoke.VarHandle SLEEPING;
    /** Written opaquely once per iteration (a plain store on x86), read by the blocked-loop watchdog. */
    private static final java.lang.invoke.VarHandle ITERATIONS;
    /** The time counters: written opaquely by the loop thread, read by any (JMX statistics). */
    private static final java.lang.invoke.VarHandle SELECT_NANOS;
    private static final java.lang.invoke.VarHandle RUN_NANOS;
    private static final java.lang.invoke.VarHandle RUN_START;
    private static final java.lang.invoke.VarHandle POLL_START;

    static {
        try {
            SLEEPING = java.lang.invoke.MethodHandles.lookup().findVarHandle(EventLoop.class, "sleeping", boolean.class);
            ITERATIONS = java.lang.invoke.MethodHandles.lookup().findVarHandle(EventLoop.class, "iterations", long.class);
            SELECT_NANOS = java.lang.invoke.MethodHandles.lookup().findVarHandle(EventLoop.class, "selectNanos", long.class);
            RUN_NANOS = java.lang.invoke.MethodHandles.lookup().findVarHandle(EventLoop.class, "runNanos", long.class);
            RUN_START = java.lang.invoke.MethodHandles.lookup().findVarHandle(EventLoop.class, "runStart", long.class);
            POLL_START = java.lang.invoke.MethodHandles.lookup().findVarHandle(EventLoop.class, "pollStart", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Closes the selectors of loops dropped without close(), as asyncio's ResourceWarning. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final Clock clock;
    private final SelectorDriver driver;
    /** Closes the driver: from close(), or with a warning once the loop is collected unclosed. */
    private final DriverRelease driverRelease;
    private final Cleaner.Cleanable driverCleanup;
    /**
     * Handles and kernel entries (a task stands for its next step), in the order they run;
     * a fresh small queue replaces it once it is nearly empty after a burst ({@link #giveBackReadyArray}).
     */
    private ArrayDeque<Object> ready = new ArrayDeque<>(READY_CAPACITY);
    /** The most entries one iteration ran since {@code ready} was last replaced. */
    private int readyPeak;
    private final TimerHeap timers = new TimerHeap();
    /** Due timers scheduled during the current iteration, held out of it (usually empty). */
    private final TimerHeap deferredTimers = new TimerHeap();
    /** Handles posted from other threads, moved to {@code ready} each iteration. */
    private final ConcurrentLinkedQueue<Handle> posted = new ConcurrentLinkedQueue<>();
    /** The registered tasks in {@code [0, taskCount)}; the task at {@code i} has registry index {@code i}. */
    private Task<?>[] tasks = new Task<?>[64];
    private int taskCount;
    private final Consumer<Handle> onReady = h -> ready.add(h);
    /** Runs the step of a task found in the ready queue; installed by {@link Task}. */
    private static TaskStepper stepper;

    /** The thread running the loop, or null when it is not running. */
    private volatile Thread thread;
    private volatile boolean closed;
    /** True while the loop is (about to be) blocked in the selector. */
    private volatile boolean sleeping;
    private boolean stopping;
    /** The next timer's sequence number; from 1, as a sleeping task stores 0 for "no timer". */
    private long timerSeq = 1;
    private int cancelledTimers;
    private int sinceIoPoll;
    /** {@link #pollSoon()} was called since the last poll. */
    private boolean pollRequested;
    /** The loop thread was interrupted while running; given back when runForever returns. */
    private boolean interruptedWhileRunning;
    private long iterations;
    /** Nanoseconds spent in the selector, over all runs. */
    private long selectNanos;
    /** Nanoseconds spent in runs that have ended. */
    private long runNanos;
    /** System.nanoTime() when the current run began; 0 while not running. */
    private long runStart;
    /** System.nanoTime() when the current poll began; 0 while not polling. */
    private long pollStart;
    private Task<?> currentTask;
    /** In debug mode, the task whose step the handle being timed ran, or null. */
    private Task<?> lastSteppedTask;
    private TaskFactory taskFactory;
    private ExceptionHandler exceptionHandler;
    private boolean debug = Boolean.getBoolean("asyncio4j.debug");
    private double slowCallbackDuration = 0.1;
    /** Read by the blocked-loop watchdog's thread; the loop itself never reads them. */
    private volatile boolean blockedLoopDetection = !"false".equals(System.getProperty("asyncio4j.blockedLoopDetection"));
    private volatile double blockedLoopThreshold = blockedLoopThresholdProperty();
    /** Whether the instrumentation seam was told this loop runs (once, at its first run). */
    private boolean instrumented;
    private ExecutorService defaultExecutor;
    /** Run by close(), in order (loop thread only). */
    private final ArrayList<Runnable> closeHooks = new ArrayList<>(0);
    private boolean executorShutdownCalled;

    /**
     * A loop on the system clock.
     *
     * @throws UncheckedIOException if no selector can be opened
     */
    public EventLoop() {
        this(Clock.system());
    }

    /**
     * A loop on the given clock; tests pass a virtual clock.
     *
     * @param clock the loop's time source
     * @throws UncheckedIOException if no selector can be opened
     */
    public EventLoop(Clock clock) {
        if (clock == null) {
            throw new NullPointerException("clock must not be null");
        }
        this.clock = clock;
        if (stepper == null) {
            // a future's done callback is a kernel entry that Task's stepper runs: a
            // program with futures and no task yet still needs it installed
            initializeTaskClass();
        }
        try {
            this.driver = new SelectorDriver();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the event loop", e);
        }
        this.driverRelease = new DriverRelease(driver, "<EventLoop@" + Integer.toHexString(System.identityHashCode(this))
                + " created on thread " + Thread.currentThread().getName() + ">");
        this.driverCleanup = CLEANER.register(this, driverRelease);
        // before any task is made on a loop, so an observer the instrumentation installs
        // (JFR task events) sees the first task of a program too (AsyncIO.run's main task)
        Instruments.load();
    }

    /**
     * The cleaning action of a loop: closes its I/O driver (the selector's two file
     * descriptors). Holds the driver, never the loop, so the loop can be collected; when it
     * is collected without close(), logs "unclosed event loop" as asyncio's
     * {@code ResourceWarning} does.
     */
    private static final class DriverRelease implements Runnable {
        private final IoDriver driver;
        private final String loopName;
        /** Set by close() before it runs this action, so no warning is logged then. */
        volatile boolean closedByOwner;

        DriverRelease(IoDriver driver, String loopName) {
            this.driver = driver;
            this.loopName = loopName;
        }

        @Override
        public void run() {
            if (!closedByOwner) {
                LOG.log(Level.WARNING, "unclosed event loop " + loopName + " was garbage collected; its selector is "
                        + "closed now. Call loop.close() (or use AsyncIO.run / Runner) when done with a loop");
            }
            try {
                driver.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "error closing the event loop's selector", e);
            }
        }
    }

    /** @return a new loop on the system clock (asyncio's {@code new_event_loop()}) */
    public static EventLoop newEventLoop() {
        return new EventLoop();
    }

    // ================================================================ the running loop

    /**
     * The loop running on the calling thread (asyncio's {@code get_running_loop()}).
     *
     * @return the running loop
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static EventLoop getRunningLoop() {
        EventLoop loop = RUNNING.get();
        if (loop == null) {
            throw new IllegalStateException("no running event loop on thread " + Thread.currentThread().getName()
                    + ": call this from a task or callback, e.g. inside AsyncIO.run(...)");
        }
        return loop;
    }

    /**
     * Low-level, for suspending library methods: the running loop, when the caller is one of
     * its tasks. Call it first, so a misplaced call fails before it changes anything.
     *
     * @param method the name of the suspending method, for the message, e.g. {@code "sockRecv"}
     * @return the running loop
     * @throws IllegalStateException naming {@code method} when no task of a running loop is
     *     the caller
     */
    public static EventLoop requireTask(String method) {
        EventLoop loop = RUNNING.get();
        if (loop == null || loop.currentTask() == null) {
            throw new IllegalStateException(method + "() suspends, so it can only run inside a task: run the code with "
                    + "AsyncIO.run(...) or loop.createTask(...)");
        }
        return loop;
    }

    /**
     * @return the loop running on the calling thread, or {@code null} (asyncio's
     *     {@code _get_running_loop()})
     */
    public static EventLoop peekRunningLoop() {
        return RUNNING.get();
    }

    /**
     * Low-level: declares {@code loop} as running on the calling thread (asyncio's
     * {@code _set_running_loop}). Coroutine engines that run a task's code on another
     * thread call it; applications never need to.
     *
     * @param loop the loop, or {@code null} to clear
     */
    public static void setRunningLoop(EventLoop loop) {
        RUNNING.set(loop);
    }

    // ================================================================ running and stopping

    /**
     * Runs the loop until {@link #stop()} is called (asyncio's {@code run_forever()}).
     *
     * @throws IllegalStateException if the loop is closed or already running, or another
     *     loop runs on this thread
     */
    public void runForever() {
        checkClosed();
        checkNotRunning();
        EventLoop other = RUNNING.get();
        if (other != null) {
            throw new IllegalStateException("cannot run the event loop while another loop is running on this thread");
        }
        thread = Thread.currentThread();
        RUNNING.set(this);
        if (!instrumented) {
            instrumented = true;
            Instruments.started(this);
        }
        long start = System.nanoTime() | 1; // never 0, which means "not running"
        RUN_START.setOpaque(this, start);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            // this order, and the readers' reverse one, make a racing read count a little less, not twice
            RUN_START.setOpaque(this, 0L);
            RUN_NANOS.setOpaque(this, runNanos + (System.nanoTime() - start));
            stopping = false;
            thread = null;
            RUNNING.set(null);
            if (interruptedWhileRunning) {
                interruptedWhileRunning = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs the loop until {@code future} is done and returns its result or rethrows its
     * exception (asyncio's {@code run_until_complete()}).
     *
     * @param future a future of this loop
     * @param <T> the result type
     * @return the future's result
     * @throws IllegalStateException if the loop is closed or already running (inside a
     *     task, await the future instead), or stopped before the future was done
     */
    public <T> T runUntilComplete(Future<T> future) {
        checkClosed();
        checkNotRunning();
        if (future.getLoop() != this) {
            throw new IllegalArgumentException("the future " + future + " is attached to a different loop");
        }
        Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            future.removeDoneCallback(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("the event loop stopped before the future completed: " + future);
        }
        return future.result();
    }

    /**
     * Wraps {@code coro} in a task and runs the loop until it is done.
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the coroutine's result
     * @see #runUntilComplete(Future)
     */
    public <T> T runUntilComplete(Coroutine<T> coro) {
        checkClosed();
        checkNotRunning();
        return runUntilComplete(createTask(coro));
    }

    /**
     * Runs {@code coro}, which returns nothing, until it is done.
     *
     * @param coro the coroutine
     * @see #runUntilComplete(Future)
     */
    public void runUntilComplete(VoidCoroutine coro) {
        runUntilComplete(Coroutine.of(coro));
    }

    /**
     * Stops the loop after the current iteration: callbacks already ready run first
     * (asyncio's {@code stop()}). If the loop is not running, the next
     * {@link #runForever()} runs one iteration and returns.
     */
    public void stop() {
        checkThread();
        stopping = true;
    }

    /** @return whether the loop is running */
    public boolean isRunning() {
        return thread != null;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: drops pending callbacks and timers, shuts the default executor down
     * without waiting and closes the selector (asyncio's {@code close()}). Idempotent. Each
     * task still pending is reported to the exception handler as "Task was destroyed but it
     * is pending!" (asyncio logs it when such a task is collected): its coroutine never
     * resumes, so its {@code finally} blocks do not run. A loop collected without
     * {@code close()} logs "unclosed event loop" and closes its selector then.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (isRunning()) {
            throw new IllegalStateException("cannot close a running event loop: call stop() and let runForever() return first");
        }
        if (closed) {
            return;
        }
        closed = true;
        ready.clear();
        timers.clear();
        posted.clear();
        for (Task<?> t : allTasks()) {
            // asyncio logs it from Task.__del__; the steps that would finish it are dropped here
            callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!", null, t, null, null));
        }
        for (int i = 0; i < taskCount; i++) {
            stepper.setRegistryIndex(tasks[i], -1);
        }
        tasks = new Task<?>[0];
        taskCount = 0;
        for (Runnable hook : closeHooks.toArray(Runnable[]::new)) {
            try {
                hook.run();
            } catch (Throwable e) {
                callExceptionHandler(new ExceptionContext("Unhandled exception in a close hook", e, null, null, null));
            }
        }
        closeHooks.clear();
        ExecutorService executor = defaultExecutor;
        if (executor != null) {
            defaultExecutor = null;
            executor.shutdown();
        }
        driverRelease.closedByOwner = true;
        driverCleanup.clean();
        if (instrumented) {
            Instruments.closed(this);
        }
    }

    /**
     * Registers {@code hook} to run when the loop closes, after pending tasks are reported
     * and before the default executor and the selector are released: for what a library
     * keeps outside the loop and must account for then (a child process still running is
     * reported by its transport). Hooks run on the closing thread in the order added; one
     * that throws is reported to the exception handler and the others still run. asyncio
     * has no counterpart.
     *
     * @param hook what to run at {@link #close()}
     * @throws IllegalStateException if the loop is closed, or this is not the loop's thread
     */
    public void addCloseHook(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        checkClosed();
        checkThread();
        closeHooks.add(hook);
    }

    /**
     * Takes back a hook added with {@link #addCloseHook}.
     *
     * @param hook the hook to remove
     * @return whether it was registered
     * @throws IllegalStateException if this is not the loop's thread
     */
    public boolean removeCloseHook(Runnable hook) {
        checkThread();
        return closeHooks.remove(hook);
    }

    // ================================================================ scheduling callbacks

    /**
     * @return the loop's current time in seconds, on its {@link Clock} (asyncio's
     *     {@code time()})
     */
    public double time() {
        return clock.time();
    }

    /** @return the loop's clock */
    public Clock clock() {
        return clock;
    }

    /**
     * Schedules {@code callback} for the next iteration, after the callbacks already
     * scheduled (FIFO), in a copy of the current context (asyncio's {@code call_soon()}).
     *
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws IllegalStateException if the loop is closed, or this is not the loop's thread
     *     (use {@link #callSoonThreadsafe} there)
     */
    public Handle callSoon(Runnable callback) {
        return callSoon(callback, null);
    }

    /**
     * Like {@link #callSoon(Runnable)}, running the callback in {@code context}.
     *
     * @param callback what to run
     * @param context where it runs, or {@code null} for a copy of the current context
     * @return a handle that can cancel it
     */
    public Handle callSoon(Runnable callback, Context context) {
        checkClosed();
        checkThread();
        Handle h = new Handle(this, requireCallback(callback), context);
        ready.add(h);
        return h;
    }

    /**
     * Schedules {@code callback} to run {@code delay} seconds from now (asyncio's
     * {@code call_later()}). A delay of zero or less runs it at the next iteration, after
     * callbacks already ready.
     *
     * @param delay seconds from now; not NaN
     * @param callback what to run
     * @return a handle that can cancel it
     * @throws IllegalArgumentException if {@code delay} is NaN
     */
    public TimerHandle callLater(double delay, Runnable callback) {
        return callLater(delay, callback, null);
    }

    /**
     * Like {@link #callLater(double, Runnable)} with a {@link java.time.Duration}.
     *
     * @param delay how long from now
     * @param callback what to run
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(java.time.Duration delay, Runnable callback) {
        return callLater(delay.toNanos() * 1e-9, callback, null);
    }

    /**
     * Like {@link #callLater(double, Runnable)}, running the callback in {@code context}.
     *
     * @param delay seconds from now; not NaN
     * @param callback what to run
     * @param context where it runs, or {@code null} for a copy of the current context
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(double delay, Runnable callback, Context context) {
        if (Double.isNaN(delay)) {
            throw new IllegalArgumentException("delay must be a number of seconds, got NaN");
        }
        return callAt(time() + delay, callback, context);
    }

    /**
     * Schedules {@code callback} at loop time {@code when} (asyncio's {@code call_at()}).
     * Timers run in {@code when} order, and timers with equal {@code when} in scheduling
     * order.
     *
     * @param when a loop time, in seconds (see {@link #time()}); not NaN
     * @param callback what to run
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback) {
        return callAt(when, callback, null);
    }

    /**
     * Like {@link #callAt(double, Runnable)}, running the callback in {@code context}.
     *
     * @param when a loop time, in seconds; not NaN
     * @param callback what to run
     * @param context where it runs, or {@code null} for a copy of the current context
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback, Context context) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("when must be a loop time in seconds, got NaN");
        }
        checkClosed();
        checkThread();
        TimerHandle t = new TimerHandle(this, requireCallback(callback),
                context, when, timerSeq++);
        t.scheduled = true;
        timers.add(t);
        return t;
    }

    /**
     * Schedules {@code callback} from any thread and wakes the loop if it is waiting (asyncio's
     * {@code call_soon_threadsafe()}). The only loop method that is safe to call from
     * another thread. The callback runs in a copy of the caller's context.
     *
     * @param callback what to run on the loop's thread
     * @return a handle; cancelling it from another thread is racy, as in asyncio
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        return callSoonThreadsafe(callback, null);
    }

    /**
     * Like {@link #callSoonThreadsafe(Runnable)}, running the callback in {@code context}.
     *
     * @param callback what to run on the loop's thread
     * @param context where it runs, or {@code null} for a copy of the caller's context
     * @return a handle
     */
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        checkClosed();
        Handle h = new Handle(this, requireCallback(callback), context);
        posted.add(h);
        if (sleeping && SLEEPING.compareAndSet(this, true, false)) {
            driver.wakeup();
        }
        return h;
    }

    private static Runnable requireCallback(Runnable callback) {
        if (callback == null) {
            throw new NullPointerException("callback must not be null");
        }
        return callback;
    }

    /** A scheduled timer was cancelled; counts towards the lazy heap rebuild. */
    void timerCancelled() {
        cancelledTimers++;
    }

    // ================================================================ one iteration

    private void runOnce() {
        dropCancelledTimers();
        if (!ready.isEmpty() || stopping || !posted.isEmpty()) {
            if (hasChannels() && (++sinceIoPoll >= BUSY_POLL_INTERVAL || pollRequested)) {
                poll(0);
            }
        } else {
            double timeout = timers.isEmpty() ? Double.POSITIVE_INFINITY : timers.peekWhen() - clock.time();
            poll(timeout > 0 ? clock.idle(timeout) : 0);
        }
        if (!posted.isEmpty()) {
            Handle h;
            while ((h = posted.poll()) != null) {
                ready.add(h);
            }
        }
        double end = timers.isEmpty() ? Double.NEGATIVE_INFINITY : clock.time() + CLOCK_RESOLUTION;
        long seqLimit = timerSeq;
        ITERATIONS.setOpaque(this, iterations + 1); // read by the blocked-loop watchdog
        int n = ready.size();
        if (n > readyPeak) {
            readyPeak = n;
        }
        try {
            if (debug) {
                runReadyTimed(n);
            } else {
                while (n-- > 0) {
                    Object e = ready.poll();
                    if (e instanceof Handle h) {
                        if (!h.cancelled) {
                            h.run();
                        }
                    } else {
                        stepper.runStep(e);
                    }
                }
            }
            while (!timers.isEmpty() && timers.peekWhen() < end) {
                long seq = timers.peekSeq();
                if (seq >= seqLimit) {
                    double when = timers.peekWhen();
                    deferredTimers.add(timers.poll(), when, seq);
                    continue;
                }
                Object e = timers.poll();
                if (e instanceof TimerHandle t) {
                    t.scheduled = false;
                    if (t.cancelled) {
                        cancelledTimers--;
                    } else if (debug) {
                        runTimed(t);
                    } else {
                        t.run();
                    }
                } else if (!stepper.wake((Task<?>) e, seq)) {
                    cancelledTimers--;
                }
            }
        } finally {
            while (!deferredTimers.isEmpty()) {
                double when = deferredTimers.peekWhen();
                long seq = deferredTimers.peekSeq();
                timers.add(deferredTimers.poll(), when, seq);
            }
            if (driver.releasePending()) {
                flushReleased();
            }
        }
        if (readyPeak >= READY_BURST && ready.size() <= READY_CAPACITY) {
            giveBackReadyArray();
        }
    }

    /** Closes the descriptors of the channels closeChannel released in this iteration. */
    private void flushReleased() {
        try {
            driver.flushReleased();
        } catch (IOException e) {
            callExceptionHandler(ExceptionContext.of("closing released channels failed; the loop goes on", e));
        }
    }

    /**
     * Moves the few entries left after a burst (a million tasks made at once) into a fresh
     * small queue. An {@code ArrayDeque} never shrinks: its array would stay as large as
     * the burst, megabytes held for good, and, as a humongous (old) object, make every
     * reference stored into it pay G1's card-marking barrier, a StoreLoad fence each
     * (JDK 25): the loop's ready queue is written at every step.
     */
    private void giveBackReadyArray() {
        ArrayDeque<Object> small = new ArrayDeque<>(READY_CAPACITY);
        small.addAll(ready);
        ready = small;
        readyPeak = 0;
    }

    private void runReadyTimed(int n) {
        while (n-- > 0) {
            Object e = ready.poll();
            if (!(e instanceof Handle h && h.cancelled)) {
                runTimed(e);
            }
        }
    }

    /** Runs a handle or kernel entry, and logs it when it took longer than slowCallbackDuration. */
    private void runTimed(Object e) {
        SlowCallbackEvent event = new SlowCallbackEvent();
        event.begin();
        long t0 = System.nanoTime();
        if (e instanceof Handle h) {
            h.run();
        } else {
            stepper.runStep(e);
        }
        double took = (System.nanoTime() - t0) * 1e-9;
        Task<?> stepped = lastSteppedTask;
        lastSteppedTask = null; // held only while its step is timed, so it can be collected
        if (took >= slowCallbackDuration) {
            String what = stepped != null ? describeStep(stepped) : String.valueOf(e);
            LOG.log(Level.WARNING, String.format("Executing %s took %.3f seconds", what, took));
            if (event.isEnabled()) {
                event.end();
                event.callback = what;
                event.commit();
            }
        }
    }

    /** A task step for the slow-callback log: the task and where its coroutine is written. */
    private static String describeStep(Task<?> task) {
        String coro = task.getCoro().getClass().getName();
        int lambda = coro.indexOf("$$Lambda");
        return "step of " + task + " (coroutine " + (lambda >= 0 ? "a lambda in " + coro.substring(0, lambda) : coro) + ")";
    }

    private void dropCancelledTimers() {
        if (cancelledTimers > MIN_CANCELLED_TO_REBUILD && cancelledTimers * 2 > timers.size()) {
            timers.removeCancelled();
            cancelledTimers = 0;
            return;
        }
        while (!timers.isEmpty() && timers.peekCancelled()) {
            TimerHeap.unscheduled(timers.poll());
            cancelledTimers--;
        }
    }

    /** Waits up to {@code timeout} seconds for I/O (0: only poll; infinite: until woken). */
    private void poll(double timeout) {
        sinceIoPoll = 0;
        pollRequested = false;
        // An interrupt status makes every select() return at once, so an idle loop would
        // spin at full CPU. The loop never uses interrupts (DESIGN §3): keep the status
        // aside and give it back to the caller when runForever() returns.
        if (Thread.interrupted()) {
            interruptedWhileRunning = true;
        }
        long t0 = System.nanoTime() | 1; // never 0, which means "not polling"
        POLL_START.setOpaque(this, t0);
        try {
            if (timeout <= 0) {
                driver.poll(0, onReady);
                return;
            }
            sleeping = true;
            try {
                driver.poll(posted.isEmpty() ? timeout : 0, onReady);
            } finally {
                sleeping = false;
            }
        } catch (IOException e) {
            callExceptionHandler(ExceptionContext.of("I/O polling failed; the loop goes on", e));
        } finally {
            POLL_START.setOpaque(this, 0L); // as at the end of a run
            SELECT_NANOS.setOpaque(this, selectNanos + (System.nanoTime() - t0));
        }
    }

    /** @return how many iterations the loop has run, for statistics; may be read from any thread */
    public long iterations() {
        return (long) ITERATIONS.getOpaque(this);
    }

    /**
     * @return nanoseconds the loop has spent in its selector, waiting for I/O, a timer or a
     *     wake-up, and gathering what is ready, over all its runs; for statistics, may be
     *     read from any thread
     */
    public long selectNanos() {
        long ended = (long) SELECT_NANOS.getOpaque(this);
        long start = (long) POLL_START.getOpaque(this);
        return start == 0 ? ended : ended + (System.nanoTime() - start);
    }

    /**
     * @return nanoseconds the loop has spent running ({@link #runForever()} and the methods
     *     built on it), its current run included, {@link #selectNanos()} included: the rest
     *     is time spent running callbacks, task steps and timers; for statistics, may be read
     *     from any thread
     */
    public long runNanos() {
        long ended = (long) RUN_NANOS.getOpaque(this);
        long start = (long) RUN_START.getOpaque(this);
        return start == 0 ? ended : ended + (System.nanoTime() - start);
    }

    /** @return how many callbacks are ready to run, for monitoring; on the loop's thread */
    public int readyQueueLength() {
        return ready.size();
    }

    /**
     * Low-level, for the blocked-loop watchdog: whether the loop is (about to be) blocked
     * waiting for I/O or a timer, which is idle, not blocked. May be read from any thread.
     *
     * @return whether the loop waits in its I/O driver
     */
    public boolean isWaitingForEvents() {
        return sleeping;
    }

    // ================================================================ I/O readiness

    /**
     * Calls {@code callback} every time {@code channel} is readable (or, for a server
     * channel, has a connection to accept) until {@link #removeReader} (asyncio's
     * {@code add_reader()}). Replaces a previous reader of the channel.
     *
     * @param channel a non-blocking channel
     * @param callback what to run
     * @return the handle the loop runs
     * @throws IllegalArgumentException if the channel is in blocking mode or cannot read
     * @throws IllegalStateException if the channel is closed
     */
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        return addReader(channel, callback, null);
    }

    /**
     * Like {@link #addReader(SelectableChannel, Runnable)}, running the callback in
     * {@code context} (transports pass the context they were made in).
     *
     * @param channel a non-blocking channel
     * @param callback what to run
     * @param context where it runs, or {@code null} for a copy of the current context
     * @return the handle the loop runs
     */
    public Handle addReader(SelectableChannel channel, Runnable callback, Context context) {
        int ops = channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        if (ops == 0) {
            throw new IllegalArgumentException("channel " + channel + " cannot be read from or accepted on");
        }
        return watch(channel, callback, context, ops, true);
    }

    /**
     * Stops watching {@code channel} for reading (asyncio's {@code remove_reader()}).
     *
     * @param channel the channel
     * @return whether a reader was registered
     */
    public boolean removeReader(SelectableChannel channel) {
        return unwatch(channel, SelectionKey.OP_READ | SelectionKey.OP_ACCEPT, true);
    }

    /**
     * Calls {@code callback} every time {@code channel} is writable (or, for a socket with
     * a connection in progress, connected) until {@link #removeWriter} (asyncio's
     * {@code add_writer()}). Replaces a previous writer of the channel.
     *
     * @param channel a non-blocking channel
     * @param callback what to run
     * @return the handle the loop runs
     * @throws IllegalArgumentException if the channel is in blocking mode or cannot write
     * @throws IllegalStateException if the channel is closed
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        return addWriter(channel, callback, null);
    }

    /**
     * Like {@link #addWriter(SelectableChannel, Runnable)}, running the callback in
     * {@code context}.
     *
     * @param channel a non-blocking channel
     * @param callback what to run
     * @param context where it runs, or {@code null} for a copy of the current context
     * @return the handle the loop runs
     */
    public Handle addWriter(SelectableChannel channel, Runnable callback, Context context) {
        int ops = channel.validOps() & SelectionKey.OP_WRITE;
        if (channel instanceof SocketChannel sc && sc.isConnectionPending()) {
            ops = SelectionKey.OP_CONNECT;
        }
        if (ops == 0) {
            throw new IllegalArgumentException("channel " + channel + " cannot be written to");
        }
        return watch(channel, callback, context, ops, false);
    }

    /**
     * Stops watching {@code channel} for writing (asyncio's {@code remove_writer()}).
     *
     * @param channel the channel
     * @return whether a writer was registered
     */
    public boolean removeWriter(SelectableChannel channel) {
        return unwatch(channel, SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT, false);
    }

    /** Installs the reader ({@code reading}) or writer callback of {@code channel}. */
    private Handle watch(SelectableChannel channel, Runnable callback, Context context, int ops, boolean reading) {
        checkClosed();
        checkThread();
        Handle h = new Handle(this, requireCallback(callback), context);
        Handle old = driver.watch(channel, h, ops, reading);
        if (old != null) {
            old.cancel();
        }
        return h;
    }

    /** Removes the reader ({@code reading}) or writer callback of {@code channel}, if any. */
    private boolean unwatch(SelectableChannel channel, int ops, boolean reading) {
        checkThread();
        Handle old = driver.unwatch(channel, ops, reading);
        if (old == null) {
            return false;
        }
        old.cancel();
        return true;
    }

    /**
     * Low-level, for transports: the next iteration polls for I/O before it runs its
     * callbacks, even if some are ready (which otherwise poll only every
     * {@value #BUSY_POLL_INTERVAL} iterations). A transport calls it after a write, so that
     * the peer's answer is read before the transport's next write. A poll costs about a
     * microsecond, a write tens; a child's stdin written again and again while its stdout
     * was not read cost the loop a quarter more CPU per byte (issue 13, bench/README.md,
     * findings).
     */
    public void pollSoon() {
        pollRequested = true;
    }

    /**
     * Low-level, for transports: stops watching {@code channel} and closes it (asyncio's
     * {@code remove_reader}, {@code remove_writer} and {@code sock.close()}). NIO closes the
     * descriptor of a channel registered with a selector only when a poll flushes it, so a
     * closed listening socket would still accept connections until then: a listening socket
     * is flushed at once (so is any channel while the loop is not running), any other
     * channel by the end of the current iteration, together with the others closed in it
     * (one flush polls every ready channel, so a flush per channel made closing thousands
     * of connections in one iteration quadratic).
     *
     * @param channel the channel to close
     * @throws IOException if closing it failed (it is closed all the same)
     */
    public void closeChannel(SelectableChannel channel) throws IOException {
        checkThread();
        if (closed) {
            channel.close();
            return;
        }
        // outside a run no iteration end would come to flush it
        for (Handle h : driver.release(channel, channel instanceof ServerSocketChannel || !isRunning())) {
            if (h != null) {
                h.cancel();
            }
        }
    }

    /** Whether any channel is registered: without one, polling could report nothing. */
    private boolean hasChannels() {
        return driver.hasRegistrations();
    }

    // ================================================================ futures and tasks

    /** @return a new pending future bound to this loop (asyncio's {@code create_future()}) */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Wraps {@code coro} in a task scheduled to start at the next iteration, through the
     * task factory if one is set (asyncio's {@code create_task()}).
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the loop is closed
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null, null);
    }

    /**
     * Like {@link #createTask(Coroutine)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @return the task
     */
    public Task<Void> createTask(VoidCoroutine coro) {
        return createTask(coro, null);
    }

    /**
     * Like {@link #createTask(Coroutine, String)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @param name the task's name, or {@code null} for {@code Task-N}
     * @return the task
     * @throws IllegalStateException if the loop is closed
     */
    public Task<Void> createTask(VoidCoroutine coro, String name) {
        if (taskFactory != null) {
            return createTask(Coroutine.of(coro), name, null);   // a factory takes a Coroutine
        }
        checkClosed();
        checkThread();
        return new Task<>(this, coro, name, null, false);   // no adapter: see Task's constructor
    }

    /**
     * Like {@link #createTask(Coroutine)} with a name.
     *
     * @param coro the coroutine
     * @param name the task's name, or {@code null} for {@code Task-N}
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return createTask(coro, name, null);
    }

    /**
     * Like {@link #createTask(Coroutine)} with a name and a context.
     *
     * @param coro the coroutine
     * @param name the task's name, or {@code null} for {@code Task-N}
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param <T> the result type
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        checkClosed();
        checkThread();
        TaskFactory factory = taskFactory;
        if (factory == null) {
            return new Task<>(this, coro, name, context, false);
        }
        Task<T> task = (Task<T>) factory.newTask(this, coro, name, context);
        if (task.getLoop() != this) {
            throw new IllegalStateException("the task factory returned " + task + ", which belongs to a different loop");
        }
        if (name != null && !name.equals(task.getName())) {
            task.setName(name);
        }
        return task;
    }

    /**
     * Sets the factory {@link #createTask} uses (asyncio's {@code set_task_factory()}).
     *
     * @param factory the factory, or {@code null} for plain {@link Task}s
     */
    public void setTaskFactory(TaskFactory factory) {
        checkThread();
        this.taskFactory = factory;
    }

    /** @return the task factory, or {@code null} (asyncio's {@code get_task_factory()}) */
    public TaskFactory getTaskFactory() {
        return taskFactory;
    }

    /**
     * @return the task running now, or {@code null} when the loop runs a plain callback
     *     (asyncio's {@code current_task()})
     */
    public Task<?> currentTask() {
        return currentTask;
    }

    /** @return a snapshot of the tasks of this loop that are not done (asyncio's {@code all_tasks()}) */
    public Set<Task<?>> allTasks() {
        Set<Task<?>> live = new LinkedHashSet<>();
        Task<?>[] all = tasks;
        for (int i = 0; i < taskCount; i++) {
            Task<?> t = all[i];
            if (!t.done()) {
                live.add(t);
            }
        }
        return live;
    }

    /**
     * Low-level, for task implementations: holds {@code task} strongly until
     * {@link #unregisterTask} (asyncio's {@code _register_task}).
     *
     * @param task a pending task of this loop
     */
    public void registerTask(Task<?> task) {
        if (task == null) {
            throw new NullPointerException("task must not be null");
        }
        int i = stepper.registryIndex(task);
        if (i >= 0 && i < taskCount && tasks[i] == task) {
            return;   // registered already
        }
        if (taskCount == tasks.length) {
            tasks = java.util.Arrays.copyOf(tasks, Math.max(64, taskCount * 2));
        }
        stepper.setRegistryIndex(task, taskCount);
        tasks[taskCount++] = task;
    }

    /**
     * Low-level, for task implementations: releases a finished task (asyncio's
     * {@code _unregister_task}).
     *
     * @param task the task
     */
    public void unregisterTask(Task<?> task) {
        Task<?>[] all = tasks;
        int i = stepper.registryIndex(task);
        if (i < 0 || i >= taskCount || all[i] != task) {
            return;   // not registered (or with another loop)
        }
        Task<?> last = all[--taskCount];
        all[i] = last;
        stepper.setRegistryIndex(last, i);
        all[taskCount] = null;
        stepper.setRegistryIndex(task, -1);
        if (all.length > 256 && taskCount < all.length >>> 3) {
            tasks = java.util.Arrays.copyOf(all, all.length >>> 1);   // give a spike's array back
        }
    }

    /**
     * Low-level, for task implementations: marks {@code task} as running (asyncio's
     * {@code _enter_task}).
     *
     * @param task the task about to run a step
     * @throws IllegalStateException if another task is running
     */
    public void enterTask(Task<?> task) {
        if (currentTask != null) {
            throw new IllegalStateException("cannot enter task " + task + " while task " + currentTask + " is running");
        }
        currentTask = task;
        if (debug) {
            lastSteppedTask = task;
        }
    }

    /**
     * Low-level, for task implementations: marks {@code task} as no longer running (asyncio's
     * {@code _leave_task}).
     *
     * @param task the task that ran a step
     * @throws IllegalStateException if {@code task} is not the running task
     */
    public void leaveTask(Task<?> task) {
        if (currentTask != task) {
            throw new IllegalStateException("leaving task " + task + ", which is not the running task " + currentTask);
        }
        currentTask = null;
    }

    /**
     * Low-level, for eager task starts: makes {@code task} the running task and returns the
     * previous one (asyncio's {@code _swap_current_task}).
     *
     * @param task the task to run, or {@code null}
     * @return the task that was running, or {@code null}
     */
    public Task<?> swapCurrentTask(Task<?> task) {
        Task<?> previous = currentTask;
        currentTask = task;
        return previous;
    }

    /**
     * Low-level, for {@link Task} and {@link Future}: puts a task's next step (the task
     * itself) or a future's done callback at the end of the ready queue, as
     * {@link #callSoon} would put a handle, without allocating one. A task's step runs only
     * if the task expects one; anything else the kernel did not schedule is skipped.
     *
     * @param entry the task, or the future's callback registration
     * @throws IllegalStateException if the loop is closed, or called from another thread
     *     while the loop runs
     */
    public void scheduleStep(Object entry) {
        checkClosed();
        checkThread();
        ready.add(entry);
    }

    /**
     * Low-level, for {@link Task}: takes back the step {@link #scheduleStep} just queued
     * (a suspension that failed right after scheduling it), so that it cannot run ahead of
     * the task's next one.
     *
     * @param task the task
     */
    public void unscheduleStep(Task<?> task) {
        checkThread();
        ready.removeLastOccurrence(task);   // the last entry: nothing ran since it was queued
    }

    /**
     * Low-level, for {@link Task}: a sleeping task's timer. At {@code when} the loop
     * schedules the task's next step, as a timer callback completing the future the task
     * awaits would, but without the future, the callback and the handle (the task itself
     * is the heap entry). The timer counts as cancelled once the task no longer sleeps on
     * the returned sequence number ({@link TaskStepper#sleepsOn}); the task then calls
     * {@link #stepTimerCancelled()}.
     *
     * @param when a loop time, in seconds; not NaN
     * @param task the task
     * @return the timer's sequence number
     * @throws IllegalStateException if the loop is closed, or called from another thread
     *     while the loop runs
     */
    public long scheduleStepAt(double when, Task<?> task) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("when must be a loop time in seconds, got NaN");
        }
        checkClosed();
        checkThread();
        long seq = timerSeq++;
        timers.add(task, when, seq);
        return seq;
    }

    /** Low-level, for {@link Task}: a timer of {@link #scheduleStepAt} was cancelled. */
    public void stepTimerCancelled() {
        cancelledTimers++;
    }

    static TaskStepper stepper() {
        return stepper;
    }

    /**
     * How the loop runs a kernel entry found in its ready queue ({@link #scheduleStep}):
     * in its context, reporting what escapes to the loop's exception handler, as
     * {@link Handle} does. Only {@link Task} implements it.
     */
    public interface TaskStepper {
        /**
         * Runs the step of a task (if the task expects one) or a future's done callback.
         *
         * @param entry an entry taken from the ready queue that is not a {@link Handle}
         */
        void runStep(Object entry);

        /**
         * @param task a task
         * @return the index the loop last gave {@code task} in its registry, or -1
         */
        int registryIndex(Task<?> task);

        /**
         * Stores the task's index in its loop's registry.
         *
         * @param task a task
         * @param index the index, or -1
         */
        void setRegistryIndex(Task<?> task, int index);

        /**
         * @param task a task
         * @param seq a timer's sequence number
         * @return whether {@code task} still sleeps on that timer of {@link #scheduleStepAt}
         */
        boolean sleepsOn(Task<?> task, long seq);

        /**
         * That timer is due: schedules the task's step if it still sleeps on it.
         *
         * @param task a task
         * @param seq the timer's sequence number
         * @return false if the timer was cancelled
         */
        boolean wake(Task<?> task, long seq);
    }

    /** Runs Task's class initializer, which installs the stepper. */
    private static void initializeTaskClass() {
        try {
            Class.forName(Task.class.getName(), true, Task.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the library's Task class is missing", e);
        }
    }

    /**
     * Installs the {@link TaskStepper}; only {@link Task}'s class initializer may, once.
     *
     * @param s the stepper
     * @throws IllegalStateException if called from elsewhere, or a second time
     */
    public static synchronized void installTaskStepper(TaskStepper s) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != Task.class || stepper != null) {
            throw new IllegalStateException("the task stepper is installed by Task only, once");
        }
        stepper = s;
    }

    // ================================================================ executors

    /**
     * Runs {@code fn} on {@code executor} and returns a future of this loop chained to it
     * in both directions (asyncio's {@code run_in_executor()}): the outcome flows back
     * through {@link #callSoonThreadsafe}; cancelling the returned future cancels the
     * executor's task if it has not started (a running call is never interrupted: a thread
     * interrupted in NIO loses its channel).
     *
     * @param executor where to run, or {@code null} for the default executor (a virtual
     *     thread per call)
     * @param fn the blocking call
     * @param <T> the result type
     * @return a future of this loop with {@code fn}'s outcome
     * @throws IllegalStateException if the loop is closed or its default executor was shut down
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        checkClosed();
        checkThread();
        if (fn == null) {
            throw new NullPointerException("fn must not be null");
        }
        Executor target = executor == null ? defaultExecutor() : executor;
        Future<T> result = createFuture();
        FutureTask<T> job = new FutureTask<>(fn) {
            @Override
            protected void done() {
                if (!closed) {
                    try {
                        callSoonThreadsafe(() -> copyOutcome(this, result));
                    } catch (IllegalStateException loopClosed) {
                        // the loop closed meanwhile: nobody can observe the result
                    }
                }
            }
        };
        result.addDoneCallback(f -> {
            if (f.cancelled()) {
                job.cancel(false);
            }
        });
        target.execute(job);
        return result;
    }

    /**
     * Like {@link #runInExecutor(Executor, Callable)} for a call without a result, which may
     * throw a checked exception (it surfaces, undeclared, where the future is awaited).
     *
     * @param executor where to run, or {@code null} for the default executor
     * @param fn the blocking call
     * @return a future of this loop completed with {@code null} when {@code fn} returns
     */
    public Future<Void> runInExecutor(Executor executor, CheckedRunnable<?> fn) {
        if (fn == null) {
            throw new NullPointerException("fn must not be null");
        }
        return runInExecutor(executor, CheckedCallable.of(fn)::call);
    }

    private static <T> void copyOutcome(FutureTask<T> job, Future<T> target) {
        if (target.done()) {
            return;
        }
        if (job.isCancelled()) {
            target.cancel();
            return;
        }
        try {
            target.setResult(job.get());
        } catch (java.util.concurrent.ExecutionException e) {
            target.setException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            target.cancel();
        }
    }

    private ExecutorService defaultExecutor() {
        if (executorShutdownCalled) {
            throw new IllegalStateException("the default executor was shut down (shutdownDefaultExecutor was called)");
        }
        ExecutorService e = defaultExecutor;
        if (e == null) {
            e = defaultExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("asyncio4j-executor-", 0).factory());
        }
        return e;
    }

    /**
     * Sets the executor {@code runInExecutor(null, ...)} uses (asyncio's
     * {@code set_default_executor()}).
     *
     * @param executor the executor
     */
    public void setDefaultExecutor(ExecutorService executor) {
        checkThread();
        if (executor == null) {
            throw new NullPointerException("executor must not be null");
        }
        this.defaultExecutor = executor;
    }

    /**
     * Shuts the default executor down and waits, in a task, for its calls to finish
     * (asyncio's {@code shutdown_default_executor()}). Later {@code runInExecutor(null, ...)}
     * calls fail.
     *
     * <p>Cancellation: the executor has been told to shut down; its calls go on and finish
     * on their own.
     *
     * @param timeout seconds to wait before giving up with a warning
     * @throws IllegalStateException if called outside a task
     */
    public void shutdownDefaultExecutor(double timeout) {
        checkThread();
        // A suspending call outside a task must fail before it changes anything (it used to
        // shut the executor down and only then fail in await()).
        if (currentTask == null || RUNNING.get() != this) {
            throw new IllegalStateException("shutdownDefaultExecutor() suspends, so it can only run inside a task of "
                    + "this loop, e.g. loop.runUntilComplete(loop.createTask(() -> loop.shutdownDefaultExecutor()))");
        }
        executorShutdownCalled = true;
        ExecutorService executor = defaultExecutor;
        if (executor == null) {
            return;
        }
        Future<Boolean> finished = createFuture();
        Thread.ofPlatform().daemon().name("asyncio4j-executor-shutdown").start(() -> {
            boolean done;
            executor.shutdown();
            try {
                done = executor.awaitTermination(Math.max(0, (long) (timeout * 1e9)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                done = false;
            }
            boolean d = done;
            if (!closed) {
                try {
                    callSoonThreadsafe(() -> {
                        if (!finished.done()) {
                            finished.setResult(d);
                        }
                    });
                } catch (IllegalStateException loopClosed) {
                    // nothing waits any more
                }
            }
        });
        if (!finished.await()) {
            LOG.log(Level.WARNING, "the default executor did not finish joining its threads within " + timeout + " seconds");
        }
    }

    /** {@link #shutdownDefaultExecutor(double)} with asyncio's default timeout, 300 seconds. */
    public void shutdownDefaultExecutor() {
        shutdownDefaultExecutor(300);
    }

    // ================================================================ errors

    /**
     * Sets the handler for errors that cannot propagate (asyncio's
     * {@code set_exception_handler()}).
     *
     * @param handler the handler, or {@code null} for {@link #defaultExceptionHandler}
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /** @return the handler, or {@code null} when the default is used */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports an error to the exception handler (asyncio's {@code call_exception_handler()}).
     * If the handler itself throws, both errors are logged.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (Throwable t) {
            defaultExceptionHandler(new ExceptionContext("unhandled error in the exception handler", t, null, null, null));
            defaultExceptionHandler(context);
        }
    }

    /**
     * Logs {@code context} at level ERROR on the {@code org.asyncio4j} {@link System.Logger}
     * (asyncio's {@code default_exception_handler()}).
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.future() != null) {
            sb.append("\nfuture: ").append(context.future());
        }
        if (context.handle() != null) {
            sb.append("\nhandle: ").append(context.handle());
        }
        if (context.source() != null) {
            sb.append("\nsource: ").append(context.source());
        }
        context.extra().forEach((key, value) -> sb.append('\n').append(key).append(": ").append(value));
        LOG.log(Level.ERROR, sb.toString(), context.exception());
    }

    // ================================================================ debug mode

    /** @return whether debug mode is on (asyncio's {@code get_debug()}) */
    public boolean getDebug() {
        return debug;
    }

    /**
     * Turns debug mode on or off (asyncio's {@code set_debug()}): callbacks that run longer
     * than {@link #slowCallbackDuration()} are logged (and recorded as the JFR event
     * {@code org.asyncio4j.SlowCallback}), and futures, tasks and handles made from then on
     * record where they were made ({@link Origin}), shown in their reprs and error reports.
     * Also on with {@code -Dasyncio4j.debug=true}.
     *
     * @param enabled the new mode
     */
    public void setDebug(boolean enabled) {
        this.debug = enabled;
    }

    /** @return the duration, in seconds, above which debug mode logs a callback as slow */
    public double slowCallbackDuration() {
        return slowCallbackDuration;
    }

    /**
     * @param seconds the duration above which debug mode logs a callback as slow
     */
    public void setSlowCallbackDuration(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("slowCallbackDuration must be >= 0 seconds, got " + seconds);
        }
        this.slowCallbackDuration = seconds;
    }

    // ================================================================ test seams

    /** Set only by test tools (schedule fuzzing); null in normal runs, so it costs one read. */
    private WakeUpHook wakeUpHook;

    /**
     * Low-level, for test tools: sets the hook that schedules the resumption of tasks whose
     * awaited future completed (see {@link WakeUpHook}), or {@code null} for the normal
     * {@link #callSoon}. No asyncio counterpart.
     *
     * @param hook the hook, or {@code null}
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public void setWakeUpHook(WakeUpHook hook) {
        checkThread("EventLoop.setWakeUpHook()");
        this.wakeUpHook = hook;
    }

    /** @return the hook set by {@link #setWakeUpHook}, or {@code null} (the normal case) */
    public WakeUpHook getWakeUpHook() {
        return wakeUpHook;
    }

    /**
     * Low-level, for test tools and diagnostics: the callbacks waiting to run, those ready
     * first (in the order they will run), then the timers, in no particular order; cancelled
     * ones are left out (asyncio's private {@code loop._ready} and {@code loop._scheduled}).
     * Task steps, sleeping tasks and futures' done callbacks are not handles and are not
     * listed (pending tasks are in {@link #allTasks()}).
     * Callbacks posted from other threads and not yet moved to the ready queue are included.
     *
     * @return a snapshot
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public java.util.List<Handle> scheduledHandles() {
        checkThread("EventLoop.scheduledHandles()");
        java.util.List<Handle> out = new java.util.ArrayList<>();
        for (Object e : ready) {
            if (e instanceof Handle h && !h.cancelled) {
                out.add(h);
            }
        }
        for (Handle h : posted) {
            if (!h.cancelled) {
                out.add(h);
            }
        }
        timers.forEach(e -> {
            if (e instanceof TimerHandle t && !t.cancelled) {
                out.add(t);
            }
        });
        return out;
    }

    /**
     * Low-level, for task dumps and the blocked-loop watchdog.
     *
     * @return the thread running the loop now, or {@code null} when it is not running
     */
    public Thread runningThread() {
        return thread;
    }

    /** @return whether the blocked-loop watchdog watches this loop (on unless turned off) */
    public boolean getBlockedLoopDetection() {
        return blockedLoopDetection;
    }

    /**
     * Turns blocked-loop detection on or off for this loop. When on (the default, unless
     * {@code -Dasyncio4j.blockedLoopDetection=false}), a watchdog thread shared by all loops
     * logs a warning, with the running task and its stack, when one loop iteration holds the
     * thread longer than {@link #blockedLoopThreshold()}, and again when it ends. It costs the
     * loop one plain store per iteration, whatever this setting.
     *
     * @param enabled the new setting
     */
    public void setBlockedLoopDetection(boolean enabled) {
        this.blockedLoopDetection = enabled;
    }

    /**
     * @return seconds one iteration may hold the loop's thread before the watchdog reports
     *     it; default 0.1, or {@code -Dasyncio4j.blockedLoopThreshold=SECONDS}
     */
    public double blockedLoopThreshold() {
        return blockedLoopThreshold;
    }

    /**
     * @param seconds seconds one iteration may hold the loop's thread before the watchdog
     *     reports it; the watchdog checks every half of the smallest threshold it watches
     * @throws IllegalArgumentException unless {@code seconds} is positive and finite
     */
    public void setBlockedLoopThreshold(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("blockedLoopThreshold must be a positive number of seconds, got " + seconds);
        }
        this.blockedLoopThreshold = seconds;
    }

    private static double blockedLoopThresholdProperty() {
        String p = System.getProperty("asyncio4j.blockedLoopThreshold");
        if (p == null) {
            return 0.1;
        }
        try {
            double d = Double.parseDouble(p);
            if (d > 0 && !Double.isInfinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.log(Level.WARNING, "ignoring -Dasyncio4j.blockedLoopThreshold=" + p + ": not a positive number of seconds; using 0.1");
        return 0.1;
    }

    /** The JVM's one task observer, or null (the normal case: a task start or finish costs one read). */
    private static volatile TaskObserver taskObserver;

    /**
     * Low-level, for instrumentation layers: installs the {@link TaskObserver} every loop of
     * this JVM tells when a task starts and finishes, replacing the one installed before, or
     * removes it with {@code null}. The debug layer installs its own while a JFR recording
     * runs. May be called from any thread; loops see the change at the next task start or
     * finish. No asyncio counterpart.
     *
     * @param observer the observer, or {@code null}
     */
    public static void setTaskObserver(TaskObserver observer) {
        taskObserver = observer;
    }

    /** @return the observer set by {@link #setTaskObserver}, or {@code null} (the normal case) */
    public static TaskObserver taskObserver() {
        return taskObserver;
    }

    /**
     * The instrumentation seam (DESIGN §4): the {@link LoopInstrumentation}s found by
     * {@link ServiceLoader} when the first loop is made, told when each loop first runs and
     * when it closes. Never on the hot path.
     */
    private static final class Instruments {
        private static final List<LoopInstrumentation> ALL = find();

        /** Finds the instrumentations, if not done yet (the class initializer does it). */
        static void load() {
        }

        private static List<LoopInstrumentation> find() {
            List<LoopInstrumentation> found = new ArrayList<>();
            try {
                ServiceLoader.load(LoopInstrumentation.class, EventLoop.class.getClassLoader()).forEach(found::add);
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING, "loop instrumentation could not be loaded; loops run without it", e);
            }
            return List.copyOf(found);
        }

        static void started(EventLoop loop) {
            tell(loop, LoopInstrumentation::loopStarted, "started");
        }

        static void closed(EventLoop loop) {
            tell(loop, LoopInstrumentation::loopClosed, "closed");
        }

        private static void tell(EventLoop loop, java.util.function.BiConsumer<LoopInstrumentation, EventLoop> call,
                String event) {
            for (LoopInstrumentation i : ALL) {
                try {
                    call.accept(i, loop);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "loop instrumentation " + i + " failed when a loop " + event, e);
                }
            }
        }
    }

    // ================================================================ checks

    private void checkClosed() {
        if (closed) {
            throw new IllegalStateException("the event loop is closed");
        }
    }

    private void checkNotRunning() {
        if (isRunning()) {
            throw new IllegalStateException("this event loop is already running; inside a task, await the future "
                    + "instead of running the loop again");
        }
        // As asyncio's _check_running: refuse before runUntilComplete(coro) creates a task
        // (or runUntilComplete(future) schedules its stopper) that would be left behind.
        if (RUNNING.get() != null) {
            throw new IllegalStateException("cannot run the event loop while another loop is running on this thread");
        }
    }

    /**
     * Low-level, for objects bound to this loop (futures, tasks, synchronizers): fails unless
     * called on the loop's thread (or a task's strand of it), or while the loop is not
     * running. Call it before changing any state, so a refused call changes nothing.
     *
     * @throws IllegalStateException naming both threads and {@link #callSoonThreadsafe}
     */
    public void checkThread() {
        checkThread("this event loop method");
    }

    /**
     * Low-level: {@link #checkThread()}, naming the refused operation in the message.
     *
     * @param operation what was called, e.g. {@code "Event.set()"}
     * @throws IllegalStateException naming the operation, both threads and {@link #callSoonThreadsafe}
     */
    public void checkThread(String operation) {
        Thread t = thread;
        if (t != null && t != Thread.currentThread() && RUNNING.get() != this) {
            throw new IllegalStateException(operation + " was called from thread " + Thread.currentThread().getName()
                    + " while its event loop runs on thread " + t.getName()
                    + "; nothing was changed: from other threads use loop.callSoonThreadsafe(...)");
        }
    }

    @Override
    public String toString() {
        return "<EventLoop running=" + isRunning() + " closed=" + closed + " debug=" + debug + " ready=" + ready.size()
                + " timers=" + timers.size() + ">";
    }
}
