package org.asyncio4j.future;

import java.util.Optional;
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
 */
final class VirtualThreadEngine extends CoroutineEngine {
    private static final Thread.Builder BUILDER = Thread.ofVirtual().name("asyncio4j-task");

    VirtualThreadEngine() {
    }

    @Override
    String name() {
        return "virtual-thread";
    }

    @Override
    Strand newStrand(Runnable body) {
        return new VirtualThreadStrand(body);
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
        private Thread thread;
        private EventLoop startLoop;
        private Context startContext;

        VirtualThreadStrand(Runnable body) {
            this.body = body;
        }

        @Override
        public void resume() {
            resumer = Thread.currentThread();
            Thread t = thread;
            if (t == null) {
                startLoop = EventLoop.peekRunningLoop();
                startContext = Context.current();
                t = thread = BUILDER.unstarted(this::main);
                coroutineTurn = true;
                t.start();
            } else {
                coroutineTurn = true;
                LockSupport.unpark(t);
            }
            awaitBaton(false);
        }

        private void main() {
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
         * would ever run again), and too little stack for the park (a stack overflow after
         * the hand-over would leave two threads running the loop's state).
         */
        @Override
        public void suspend() {
            Optional<String> clinit = SuspendRefusal.classInitializer();
            if (clinit.isPresent()) {
                throw SuspendRefusal.insideClassInitializer(clinit.get());
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
    }
}
