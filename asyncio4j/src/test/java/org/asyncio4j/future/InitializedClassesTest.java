package org.asyncio4j.future;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What a strand trusts when it skips naming the frames of a suspending stack: the classes
 * it learned itself, and the classes any strand learned before it was made, never those
 * learned after (their thread may be one that was initializing such a class then).
 */
class InitializedClassesTest {

    /** Classes no other test puts on a stack: each test walks from frames of its own. */
    static final class FreshA {
        private FreshA() {
        }

        static boolean covers(InitializedClasses set) {
            return set.coverStack();
        }

        static void learn(InitializedClasses set) {
            set.learnStack();
        }
    }

    static final class FreshB {
        private FreshB() {
        }

        static boolean covers(InitializedClasses set) {
            return set.coverStack();
        }

        static void learn(InitializedClasses set) {
            set.learnStack();
        }
    }

    @Test
    void aStrandTrustsWhatItLearnedOnItsOwnStack() {
        InitializedClasses set = new InitializedClasses();
        assertFalse(FreshA.covers(set), "nothing learned yet");
        FreshA.learn(set);
        assertTrue(FreshA.covers(set));
    }

    @Test
    void aStrandTrustsSharedClassesLearnedBeforeItWasMadeAndNoneAfter() {
        InitializedClasses early = new InitializedClasses();
        InitializedClasses learner = new InitializedClasses();
        FreshB.learn(learner);
        InitializedClasses late = new InitializedClasses();
        assertTrue(FreshB.covers(late), "learned by another strand before this one was made");
        assertFalse(FreshB.covers(early), "learned by another strand after this one was made");
        assertTrue(FreshB.covers(learner));
    }
}
