package org.asyncio4j.future;

import static org.asyncio4j.Errors.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 7: a suspension that cannot happen (a class initializer on the stack, too little
 * stack, a held monitor) throws a clear exception at the await, takes back the wake-up it
 * registered, and leaves the task and the loop running: the task's next await waits for
 * its own future, not for a stale wake-up.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SuspensionRefusedTest {

    /** A class whose initializer awaits a pending future; records what the await threw. */
    static final class AwaitsInInitializer {
        static final Throwable THROWN;

        static {
            Throwable thrown = null;
            try {
                AsyncIO.getRunningLoop().createFuture().await();
            } catch (Throwable t) {
                thrown = t;
            }
            THROWN = thrown;
        }

        private AwaitsInInitializer() {
        }
    }

    /** A class whose initializer yields with sleep(0); records what it threw. */
    static final class SleepsInInitializer {
        static final Throwable THROWN;

        static {
            Throwable thrown = null;
            try {
                AsyncIO.sleep(0);
            } catch (Throwable t) {
                thrown = t;
            }
            THROWN = thrown;
        }

        private SleepsInInitializer() {
        }
    }

    /**
     * A class whose initializer suspends through {@link #sleepCatching()}, a frame the task's
     * stack has already shown at clean suspensions; records what the sleep threw.
     */
    static final class SleepsThroughKnownFrames {
        static final Throwable THROWN = sleepCatching();

        private SleepsThroughKnownFrames() {
        }
    }

    /** sleep(0), returning what it threw (null if it suspended). */
    private static Throwable sleepCatching() {
        try {
            AsyncIO.sleep(0);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** An await the task makes after the failed one: it must wait for its own future. */
    private static String awaitALaterResult() {
        EventLoop loop = AsyncIO.getRunningLoop();
        Future<String> later = loop.createFuture();
        AsyncIO.createTask(() -> {
            AsyncIO.sleep(0);
            AsyncIO.sleep(0);
            later.setResult("later");
        });
        return later.await();
    }

    @Test
    void anAwaitInsideAClassInitializerFailsClearlyAndTheTaskGoesOn() {
        String after = AsyncIO.run(() -> {
            Throwable thrown = AwaitsInInitializer.THROWN;
            assertError(IllegalStateException.class, thrown, "class initializer", AwaitsInInitializer.class.getName());
            return awaitALaterResult();
        });
        assertEquals("later", after);
    }

    @Test
    void aSleepInsideAClassInitializerFailsClearlyAndTheTaskGoesOn() {
        String after = AsyncIO.run(() -> {
            Throwable thrown = SleepsInInitializer.THROWN;
            assertError(IllegalStateException.class, thrown, "class initializer", SleepsInInitializer.class.getName());
            return awaitALaterResult();
        });
        assertEquals("later", after);
    }

    @Test
    void anInitializerBelowFramesThatSuspendedCleanlyBeforeIsStillRefused() {
        // the virtual-thread engine names a stack's frames only when a class on it is new
        // to the task: the same frames, now above an initializer, must not pass as known
        String after = AsyncIO.run(() -> {
            for (int i = 0; i < 3; i++) {
                assertEquals(null, sleepCatching());
            }
            Throwable thrown = SleepsThroughKnownFrames.THROWN;
            assertError(IllegalStateException.class, thrown, "class initializer",
                    SleepsThroughKnownFrames.class.getName());
            assertEquals(null, sleepCatching());
            return awaitALaterResult();
        });
        assertEquals("later", after);
    }

    /**
     * Recurses until the stack overflows, then tries sleep(0) on the way back up, one frame
     * higher each time its own code overflows too, until it suspends or is refused.
     */
    private static Throwable sleepNearTheEndOfTheStack(List<Throwable> refusals) {
        try {
            return sleepNearTheEndOfTheStack(refusals);
        } catch (StackOverflowError e) {
            try {
                AsyncIO.sleep(0);
                return null;
            } catch (IllegalStateException refused) {
                refusals.add(refused);
                return refused;
            }
        }
    }

    @Test
    void aSleepThatOverflowsTheStackFailsClearlyAndTheTaskGoesOn() {
        AsyncIO.run(() -> {
            for (int round = 0; round < 5; round++) {
                List<Throwable> refusals = new ArrayList<>();
                Throwable last = sleepNearTheEndOfTheStack(refusals);
                for (Throwable r : refusals) {
                    assertError(IllegalStateException.class, r, "out of stack");
                }
                if (last != null) {
                    assertTrue(refusals.contains(last));
                }
                assertEquals("later", awaitALaterResult(), "after round " + round);
            }
        });
    }

    /** The object whose monitor the task holds; its class must be named in the error. */
    static final class SharedState {
    }

    @Test
    void inDebugModeATaskHoldingAMonitorIsRefusedAndTheErrorNamesItsClass() {
        // the virtual-thread engine sees a virtual thread's monitors only through the live
        // stack walker: its test run opens java.lang to the library, the continuation run
        // does not, so both ways of looking are tested
        assertTrue(Task.engineName().equals("continuation") || HeldMonitors.seesVirtualThreads(),
                "the virtual-thread engine's test run must open java.lang (pom.xml)");
        SharedState state = new SharedState();
        AsyncIO.run(() -> {
            Throwable thrown = null;
            synchronized (state) {
                try {
                    AsyncIO.sleep(0);
                } catch (IllegalStateException e) {
                    thrown = e;
                }
            }
            assertError(IllegalStateException.class, thrown, "holds a monitor", SharedState.class.getName(),
                    "org.asyncio4j.sync.Lock");
            // nothing is left behind: another task can enter the monitor, and this one await
            Task<String> other = AsyncIO.createTask(() -> {
                synchronized (state) {
                    return "entered";
                }
            });
            assertEquals("entered", other.await());
            assertEquals("later", awaitALaterResult());
        }, true);
    }
}
