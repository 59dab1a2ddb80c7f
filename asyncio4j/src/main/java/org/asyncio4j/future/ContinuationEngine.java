package org.asyncio4j.future;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The default engine: each task's coroutine is a {@code jdk.internal.vm.Continuation}
 * that runs on the loop thread itself. Suspending copies the coroutine's frames into a
 * heap stack chunk; resuming copies them back lazily. Loaded only reflectively (see
 * {@link CoroutineEngine}), so nothing links this class unless the package is exported.
 */
final class ContinuationEngine extends CoroutineEngine {
    private static final ContinuationScope SCOPE = new ContinuationScope("asyncio4j");

    ContinuationEngine() {
    }

    @Override
    String name() {
        return "continuation";
    }

    @Override
    Strand newStrand(Task<?> task) {
        return new ContinuationStrand(task);
    }

    /** The task of the innermost continuation mounted on this thread: the one running (eager tasks nest). */
    @Override
    Task<?> currentTask() {
        return Continuation.getCurrentContinuation(SCOPE) instanceof ContinuationStrand s ? s.task : null;
    }

    /**
     * The body of every continuation: it runs the task of the continuation it runs in. One
     * shared body instead of a method reference per task saves 16 bytes per task (the
     * {@code task} field below fits in the padding of {@code Continuation}'s layout).
     */
    private static final Runnable BODY = () ->
            ((ContinuationStrand) Continuation.getCurrentContinuation(SCOPE)).task.body();

    /**
     * A continuation that is its own strand, so a parked task costs one object less.
     * Nested runs (an eager task started from inside another task) are the JDK's nested
     * continuations: {@code yield} returns to the innermost {@code run}.
     */
    private static final class ContinuationStrand extends Continuation implements Strand {
        private final Task<?> task;

        ContinuationStrand(Task<?> task) {
            super(SCOPE, BODY);
            this.task = task;
        }

        @Override
        public void resume() {
            run();
        }

        /**
         * Yields to the loop. A yield that fails leaves the continuation mounted and
         * running: the JVM refuses it before freezing anything (a pinned stack, reported
         * through {@link #onPinned}), or it overflows the stack, which the JVM reports
         * before the frames are frozen (JDK 25, measured: the continuation goes on).
         */
        @Override
        public void suspend(boolean debug) {
            if (debug) {
                // JDK 25 yields with a monitor held (and no cheap query says so); the
                // next task to enter it would block the loop thread forever
                SuspendRefusal.checkNoMonitorHeld();
            }
            try {
                Continuation.yield(SCOPE);
            } catch (StackOverflowError e) {
                throw SuspendRefusal.outOfStack(e);
            }
        }

        @Override
        public StackTraceElement[] stackTrace() {
            // Continuation's own walk reads the frozen frames of an unmounted continuation
            return isDone() ? new StackTraceElement[0] : getStackTrace();
        }

        @Override
        public Thread thread() {
            return null; // mounted on the resumer's thread
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            if (reason == Continuation.Pinned.MONITOR) {
                throw SuspendRefusal.monitorHeld();
            }
            throw SuspendRefusal.pinned();
        }
    }
}
