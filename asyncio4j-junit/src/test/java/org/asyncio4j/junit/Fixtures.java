package org.asyncio4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.testing.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Test classes that {@link AsyncIOExtensionTest} runs through JUnit's engine test kit, most
 * of them failing on purpose. Nested, so that Surefire (which skips nested classes) never
 * runs them by itself.
 */
final class Fixtures {
    private Fixtures() {
    }

    static final class Passes {
        @AsyncIOTest
        void sleepsAnHourInVirtualTimeOnTheInjectedLoop(EventLoop loop, VirtualClock clock) {
            assertSame(loop, AsyncIO.getRunningLoop());
            AsyncIO.sleep(3600);
            assertEquals(3600.0, clock.time());
        }
    }

    static final class LeavesATaskPending {
        @AsyncIOTest
        void forgetsATask(EventLoop loop) {
            loop.createTask(() -> AsyncIO.sleep(10, "late"), "forgotten-task");
        }
    }

    static final class LeavesATimer {
        @AsyncIOTest
        void forgetsATimer(EventLoop loop) {
            loop.callLater(5, () -> { });
        }
    }

    static final class ACallbackFails {
        @AsyncIOTest
        void aCallbackThrows(EventLoop loop) {
            loop.callSoon(() -> {
                throw new IllegalStateException("boom in a callback");
            });
            AsyncIO.sleep(0);
        }
    }

    static final class WaitsForever {
        @AsyncIOTest(timeout = 5)
        void awaitsAFutureNobodyCompletes(EventLoop loop) {
            loop.createFuture().await();
        }
    }

    static final class BlocksTheLoop {
        @AsyncIOTest(realTimeLimit = 0.5)
        void sleepsForReal() throws InterruptedException {
            Thread.sleep(30_000);
        }
    }

    static final class WaitsForeverWithoutATimer {
        @AsyncIOTest(realTimeLimit = 0.5)
        void awaitsAFutureNobodyCompletes(EventLoop loop) {
            loop.createFuture().await();
        }
    }

    static final class RunsItsOwnLoop {
        @AsyncIOTest
        void callsAsyncIORun() {
            AsyncIO.run(() -> AsyncIO.sleep(1));
        }
    }

    static final class RealTime {
        @AsyncIOTest(realTime = true)
        void sleepsOnTheSystemClock(EventLoop loop) {
            double t0 = loop.time();
            long n0 = System.nanoTime();
            AsyncIO.sleep(0.05);
            assertTrue(loop.time() - t0 >= 0.05);
            assertTrue(System.nanoTime() - n0 >= 50_000_000L);
        }
    }

    static final class RealTimeWithAVirtualClock {
        @AsyncIOTest(realTime = true)
        void asksForAClock(VirtualClock clock) {
        }
    }

    @ExtendWith(AsyncIOExtension.class)
    static final class ExtendedWithDefaults {
        @Test
        void runsOnTheLoopInVirtualTime(EventLoop loop) {
            assertSame(loop, EventLoop.getRunningLoop());
            AsyncIO.sleep(100);
            assertEquals(100.0, loop.time());
        }
    }

    /**
     * A check-then-act race across an await: two withdrawals of the whole balance. The second
     * comes two iterations after the first and sees the debit only because the approval
     * answers within one iteration; an approval one iteration slower lets both through.
     */
    static void withdrawTwice() {
        EventLoop loop = AsyncIO.getRunningLoop();
        int[] balance = {10};
        org.asyncio4j.future.VoidCoroutine withdraw = () -> {
            if (balance[0] >= 10) {
                Future<Void> approved = loop.createFuture();
                loop.callSoon(() -> approved.setResult(null));
                approved.await();
                balance[0] -= 10;
            }
        };
        Task<Void> first = loop.createTask(withdraw);
        Task<Void> second = loop.createTask(() -> {
            AsyncIO.sleep(0);
            AsyncIO.sleep(0);
            withdraw.run();
        });
        AsyncIO.gather(first, second).await();
        assertEquals(0, balance[0], "the balance went negative");
    }

    static final class RacePlain {
        @AsyncIOTest
        void withdrawsOnce() {
            withdrawTwice();
        }
    }

    static final class RaceFuzzed {
        @AsyncIOTest(seeds = 100)
        void withdrawsOnce() {
            withdrawTwice();
        }
    }

    static final class RaceReplayed {
        @AsyncIOTest(seed = AsyncIOExtensionTest.FIRST_FAILING_SEED)
        void withdrawsOnce() {
            withdrawTwice();
        }
    }

    /** Fails on its first run only: what decides the outcome is not the schedule seed. */
    static final class FailsOnce {
        static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

        @AsyncIOTest(seeds = 5)
        void failsTheFirstTime() {
            assertEquals(2, RUNS.incrementAndGet(), "outside state decides this");
        }
    }
}
