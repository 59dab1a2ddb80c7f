package org.asyncio4j.combinators;

import static org.asyncio4j.combinators.Running.now;
import static org.asyncio4j.combinators.Running.loop;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** {@code AsyncIO.shield} (asyncio's {@code asyncio.shield}). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShieldTest {

    @Test
    void theResultAndTheExceptionPassThroughUnchanged() {
        VirtualTimeLoop.runMain(() -> {
            assertEquals("r", AsyncIO.shield(AsyncIO.createTask(() -> AsyncIO.sleep(1, "r"))).await());
            IOException io = new IOException("boom");
            Coroutine<String> failing = () -> {
                AsyncIO.sleep(1);
                throw io;
            };
            assertSame(io, assertThrows(IOException.class, () -> AsyncIO.shield(failing).await()));
        });
    }

    @Test
    void cancellingTheTaskBlockedInShieldLeavesTheInnerTaskRunning() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            Task<String> inner = AsyncIO.createTask(() -> {
                AsyncIO.sleep(2);
                s.expect(3);
                return "finished anyway";
            });
            Task<String> outer = AsyncIO.createTask(() -> {
                try {
                    return AsyncIO.shield(inner).await();
                } catch (CancelledError e) {
                    s.expect(2);
                    throw e;
                }
            });
            AsyncIO.sleep(1);
            s.expect(1);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertEquals(1.0, now(), "the outer task is cancelled at once");
            assertFalse(inner.done());
            assertEquals("finished anyway", inner.await());
            s.finish(4);
        });
    }

    @Test
    void cancellingTheInnerFutureCancelsTheOuterOne() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> inner = AsyncIO.createTask(() -> AsyncIO.sleep(5, "x"));
            Future<String> outer = AsyncIO.shield(inner);
            loop().callLater(1, inner::cancel);
            assertThrows(CancelledError.class, outer::await);
            assertTrue(outer.cancelled());
        });
    }

    @Test
    void aFutureThatIsAlreadyDoneIsReturnedItself() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> done = loop().createFuture();
            done.setResult("x");
            assertSame(done, AsyncIO.shield(done));
            Future<String> pending = loop().createFuture();
            assertNotSame(pending, AsyncIO.shield(pending));
        });
    }

    @Test
    void aCancellationArrivingWithTheInnerResultCancelsOnlyTheOuterFuture() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> inner = loop().createFuture();
            Future<String> outer = AsyncIO.shield(inner);
            Task<String> waiter = AsyncIO.createTask(outer::await);
            AsyncIO.sleep(0);
            loop().callLater(1, () -> {
                inner.setResult("kept");
                waiter.cancel();
            });
            assertThrows(CancelledError.class, waiter::await);
            assertTrue(outer.cancelled());
            assertEquals("kept", inner.result());
        });
    }

    @Test
    void aShieldedTaskSurvivesATimeoutAroundIt() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> inner = AsyncIO.createTask(() -> AsyncIO.sleep(3, "late"));
            assertThrows(org.asyncio4j.future.TimeoutError.class,
                    () -> AsyncIO.timeout(1, () -> AsyncIO.shield(inner).await()));
            assertEquals("late", inner.await());
            assertEquals(3.0, now());
        });
    }

    @Test
    void nullIsRejected() {
        VirtualTimeLoop.runMain(() -> {
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.shield((Future<String>) null), "future");
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.shield((Coroutine<String>) null), "coroutine");
        });
    }
}
