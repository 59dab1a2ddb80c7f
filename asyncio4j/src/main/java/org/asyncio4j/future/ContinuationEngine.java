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
    Strand newStrand(Runnable body) {
        return new ContinuationStrand(body);
    }

    /**
     * A continuation that is its own strand, so a parked task costs one object less.
     * Nested runs (an eager task started from inside another task) are the JDK's nested
     * continuations: {@code yield} returns to the innermost {@code run}.
     */
    private static final class ContinuationStrand extends Continuation implements Strand {
        ContinuationStrand(Runnable body) {
            super(SCOPE, body);
        }

        @Override
        public void resume() {
            run();
        }

        @Override
        public void suspend() {
            Continuation.yield(SCOPE);
        }

        @Override
        protected void onPinned(Continuation.Pinned reason) {
            throw new IllegalStateException("a task cannot suspend here: its stack is pinned (" + reason
                    + "), e.g. the await runs inside a native frame or a class initializer; move the await out of it");
        }
    }
}
