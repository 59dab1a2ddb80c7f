package org.asyncio4j.future;

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
            while (coroutineTurn) {
                LockSupport.park(this);
            }
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

        @Override
        public void suspend() {
            Thread r = resumer;
            coroutineTurn = false;
            LockSupport.unpark(r);
            while (!coroutineTurn) {
                LockSupport.park(this);
            }
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }
}
