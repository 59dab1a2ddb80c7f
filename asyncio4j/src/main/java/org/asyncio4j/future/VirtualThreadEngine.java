package org.asyncio4j.future;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.asyncio4j.loop.EventLoop;

/**
 * The fallback engine, on public APIs only: each task's coroutine runs on its own virtual
 * thread, and a baton passes between that thread and whoever resumes it, so only one of
 * them runs at a time.
 *
 * <p>Implementation overview: {@code coroutineTurn} is the baton. {@code resume()} sets it,
 * wakes (or first starts) the coroutine's thread and parks until it is cleared;
 * {@code suspend()} clears it, wakes the resumer and parks until it is set again. The
 * volatile writes and reads of the baton order every other access, so the two threads
 * never touch the loop's state at the same time. Both loops tolerate spurious wake-ups.
 * The coroutine's thread inherits the resumer's running loop and current context when it
 * starts, so {@code getRunningLoop()} and context variables work inside it.
 *
 * <p>Garbage: a thread started with {@code Thread.start()} is kept in the JDK's root thread
 * container (for thread dumps; {@code jdk.trackAllThreads} defaults to true) until it
 * ends, so the parked thread of a task still pending when its loop was closed would keep
 * the task and all its coroutine holds reachable forever. The threads of one loop's tasks
 * are therefore started in a thread-per-task executor of that loop's own, a thread
 * container the JDK registers only weakly: it is reachable from its threads (each refers
 * to its container) and not from the loop, so once the loop and its tasks are dropped,
 * the parked threads, their container and their stacks are one island of garbage.
 * {@code CONTAINERS} finds a loop's executor; its keys and values are both weak, so it
 * keeps neither alive.
 */
final class VirtualThreadEngine extends CoroutineEngine {
    private static final Thread.Builder BUILDER = Thread.ofVirtual().name("asyncio4j-task");
    private static final ThreadFactory FACTORY = BUILDER.factory();
    /** Each loop's container of task threads (see the overview); guarded by itself. */
    private static final Map<EventLoop, WeakReference<ExecutorService>> CONTAINERS = new WeakHashMap<>();

    VirtualThreadEngine() {
    }

    @Override
    String name() {
        return "virtual-thread";
    }

    @Override
    Strand newStrand(Task<?> task) {
        return new VirtualThreadStrand(task::body);
    }

    /** Not known here: the loop's current task is (see {@link Task#current}). */
    @Override
    Task<?> currentTask() {
        return null;
    }

    /**
     * Starts {@code main} on a new virtual thread in {@code loop}'s container of task
     * threads, made at the first call for that loop.
     */
    private static void start(EventLoop loop, Runnable main) {
        if (loop == null) {
            BUILDER.start(main);
            return;
        }
        if (!completedOne) {
            completeOne();
        }
        ExecutorService container;
        synchronized (CONTAINERS) {
            WeakReference<ExecutorService> ref = CONTAINERS.get(loop);
            container = ref == null ? null : ref.get();
            if (container == null) {
                container = Executors.newThreadPerTaskExecutor(FACTORY);
                CONTAINERS.put(loop, new WeakReference<>(container));
            }
        }
        container.execute(main);
    }

    /** Whether {@link #completeOne} ran; a race only runs it twice. */
    private static volatile boolean completedOne;

    /**
     * Runs one empty task to completion in a thread-per-task executor, so that the JDK's
     * {@code ThreadPerTaskExecutor$TaskRunner.run()}, the bottom frame of every task thread,
     * has resolved its call to {@code taskComplete} before the JIT compiles it. Otherwise,
     * when a first burst of tasks all park before any finishes, the JIT compiles that call
     * as a trap (reason "unloaded"), and every frozen compiled frame is deoptimized one by
     * one as its task returns: a million tasks woken from one Event took 7.2 s instead of
     * about 2 s on the first round (bench WakeAll).
     */
    private static void completeOne() {
        try (ExecutorService warm = Executors.newThreadPerTaskExecutor(FACTORY)) {
            warm.execute(() -> { });
        }
        completedOne = true;
    }

    /**
     * Frames of {@link #probeStack} a suspension must be able to push before it hands the
     * baton over: more than unpark and park need (about 30 small frames on JDK 25).
     */
    private static final int STACK_PROBE_FRAMES = 96;

    /** Recurses {@code n} frames, to fail with a stack overflow where that is still harmless. */
    private static int probeStack(int n) {
        return n == 0 ? 0 : probeStack(n - 1) + 1;
    }

    private static final class VirtualThreadStrand implements Strand {
        private final Runnable body;
        /** The baton: true while the coroutine's thread may run. */
        private volatile boolean coroutineTurn;
        private volatile boolean done;
        /** The thread waiting in {@link #resume()}; changes between resumes (eager tasks). */
        private volatile Thread resumer;
        /** The coroutine's thread; set by that thread as it starts, read after the baton comes back. */
        private Thread thread;
        private boolean started;
        private EventLoop startLoop;
        private Context startContext;
        /** When this strand was made, before its thread started ({@link InitializedClasses#now()}). */
        private final long born = InitializedClasses.now();
        /** The classes this coroutine's own stack showed with no initializer on it. */
        private Class<?>[] learnedClasses = InitializedClasses.NONE;

        VirtualThreadStrand(Runnable body) {
            this.body = body;
        }

        @Override
        public void resume() {
            resumer = Thread.currentThread();
            if (!started) {
                started = true;
                EventLoop loop = EventLoop.peekRunningLoop();
                startLoop = loop;
                startContext = Context.current();
                coroutineTurn = true;
                start(loop, this::main);
            } else {
                coroutineTurn = true;
                LockSupport.unpark(thread);
            }
            awaitBaton(false);
        }

        private void main() {
            thread = Thread.currentThread();
            EventLoop.setRunningLoop(startLoop);
            Context.slot().current = startContext;
            startLoop = null;
            startContext = null;
            try {
                body.run();
            } finally {
                done = true;
                coroutineTurn = false;
                LockSupport.unpark(resumer);
            }
        }

        /**
         * Hands the baton back and parks. Everything that can fail comes before the baton
         * is handed over: a class initializer on the stack (it pins the carrier, and when
         * the loop runs on a virtual thread of the same one-carrier scheduler, nothing
         * would ever run again), a held monitor (checked in debug mode only), and too
         * little stack for the park (a stack overflow after the hand-over would leave two
         * threads running the loop's state). The stack's frames are named only when a class
         * on it is not yet known to hold no initializer there ({@link InitializedClasses}).
         */
        @Override
        public void suspend(boolean debug) {
            if (!InitializedClasses.coverStack(born, learnedClasses)) {
                Optional<String> clinit = SuspendRefusal.classInitializer();
                if (clinit.isPresent()) {
                    throw SuspendRefusal.insideClassInitializer(clinit.get());
                }
                learnedClasses = InitializedClasses.learnStack(learnedClasses);
            }
            if (debug) {
                // JEP 491 unmounts a virtual thread that parks with a monitor held; the next
                // task to enter it would wait forever, and the loop with it
                SuspendRefusal.checkNoMonitorHeld();
            }
            try {
                probeStack(STACK_PROBE_FRAMES);
            } catch (StackOverflowError e) {
                throw SuspendRefusal.outOfStack(e);
            }
            Thread r = resumer;
            coroutineTurn = false;
            LockSupport.unpark(r);
            awaitBaton(true);
        }

        /**
         * Parks until the baton is on the side asked for. Both sides wait here, in one
         * method, on purpose: its loop test is then profiled with both outcomes. Were the
         * coroutine side's loop its own, the JIT would see it only ever park (while tasks
         * park in bulk, none has come back yet), compile the exit as an uncommon trap, and
         * every frozen compiled frame would be deoptimized one by one when its task woke:
         * a million tasks parked on one Event took 7.4-10 s to wake instead of about 2 s
         * (jdk.Deoptimization, reason unstable_if, one per task; bench WakeAll).
         *
         * @param coroutineSide true to wait for the coroutine's turn, false for the resumer's
         */
        private void awaitBaton(boolean coroutineSide) {
            while (coroutineTurn != coroutineSide) {
                LockSupport.park(this);
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Thread thread() {
            return thread;
        }

        @Override
        public StackTraceElement[] stackTrace() {
            Thread t = thread;
            // a parked virtual thread's stack can be walked from any thread
            return t == null || done ? new StackTraceElement[0] : t.getStackTrace();
        }
    }
}
