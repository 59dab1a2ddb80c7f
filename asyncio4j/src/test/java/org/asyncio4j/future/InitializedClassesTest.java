package org.asyncio4j.future;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a strand trusts when it skips naming the frames of a suspending stack: the classes
 * it learned itself, and the classes any strand learned before it was made, never those
 * learned after (their thread may be one that was initializing such a class then).
 */
class InitializedClassesTest {

    /** Frames of classes no other test puts on a stack: each test walks from one of its own. */
    static final class FreshA {
        static <T> T on(Supplier<T> body) {
            return body.get();
        }
    }

    /** As {@link FreshA}, for the other test. */
    static final class FreshB {
        static <T> T on(Supplier<T> body) {
            return body.get();
        }
    }

    /** A strand's state, as a strand keeps it. */
    private static final class StrandState {
        final long born = InitializedClasses.now();
        Class<?>[] learned = InitializedClasses.NONE;

        boolean coverStack() {
            return InitializedClasses.coverStack(born, learned);
        }

        Void learnStack() {
            learned = InitializedClasses.learnStack(learned);
            return null;
        }
    }

    @Test
    void aStrandTrustsWhatItLearnedOnItsOwnStack() {
        StrandState set = new StrandState();
        assertFalse(FreshA.on(set::coverStack), "nothing learned yet");
        FreshA.on(set::learnStack);
        assertTrue(FreshA.on(set::coverStack));
    }

    @Test
    void aStrandTrustsSharedClassesLearnedBeforeItWasMadeAndNoneAfter() {
        StrandState early = new StrandState();
        StrandState learner = new StrandState();
        FreshB.on(learner::learnStack);
        StrandState late = new StrandState();
        assertTrue(FreshB.on(late::coverStack), "learned by another strand before this one was made");
        assertFalse(FreshB.on(early::coverStack), "learned by another strand after this one was made");
        assertTrue(FreshB.on(learner::coverStack));
    }
}
