package org.asyncio4j.combinators;

import static org.asyncio4j.combinators.Running.after;
import static org.asyncio4j.combinators.Running.now;
import static org.asyncio4j.combinators.Running.loop;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** {@code AsyncIO.wait} (asyncio's {@code asyncio.wait}). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitTest {

    private static Task<String> failingAfter(double seconds, Exception error) {
        return AsyncIO.createTask(() -> {
            AsyncIO.sleep(seconds);
            throw error;
        });
    }

    @Test
    void allCompletedReturnsWhenEveryFutureIsDone() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> a = after(3, "a");
            Task<String> b = after(1, "b");
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(a, b));
            assertEquals(List.of(a, b), new ArrayList<>(r.done()), "in the order given");
            assertTrue(r.pending().isEmpty());
            assertEquals(3.0, now());
        });
    }

    @Test
    void firstCompletedReturnsAfterTheFirstAndTheOthersKeepRunning() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> slow = after(5, "slow");
            Task<String> fast = after(1, "fast");
            Task<String> slower = after(9, "slower");
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(slow, fast, slower), AsyncIO.FIRST_COMPLETED);
            assertEquals(Set.of(fast), r.done());
            assertEquals(List.of(slow, slower), new ArrayList<>(r.pending()));
            assertEquals(1.0, now());
            assertEquals("slow", slow.await(), "pending futures are not cancelled");
        });
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailure() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> ok = after(1, "ok");
            Task<String> bad = failingAfter(2, new IOException("bad"));
            Task<String> slow = after(10, "slow");
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(ok, bad, slow), AsyncIO.FIRST_EXCEPTION);
            assertEquals(List.of(ok, bad), new ArrayList<>(r.done()));
            assertEquals(Set.of(slow), r.pending());
            assertEquals(2.0, now());
        });
    }

    @Test
    void firstExceptionIgnoresCancelledFuturesAndWithoutFailureWaitsForAll() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> cancelled = after(10, "never");
            Task<String> ok = after(3, "ok");
            loop().callLater(1, cancelled::cancel);
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(cancelled, ok), AsyncIO.FIRST_EXCEPTION);
            assertEquals(2, r.done().size());
            assertEquals(3.0, now());
        });
    }

    @Test
    void aTimeoutReturnsThePendingFuturesAndCancelsNothing() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> a = after(1, "a");
            Task<String> b = after(10, "b");
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(a, b), 5);
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            assertEquals(5.0, now());
            assertFalse(b.cancelled());
            assertEquals("b", b.await());
        });
    }

    @Test
    void theTimeoutAndReturnWhenCombine() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> a = after(7, "a");
            Task<String> b = after(8, "b");
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(a, b), 5, AsyncIO.FIRST_COMPLETED);
            assertTrue(r.done().isEmpty());
            assertEquals(2, r.pending().size());
            assertEquals(5.0, now());
            r = AsyncIO.wait(List.of(a, b), 5, AsyncIO.FIRST_COMPLETED);
            assertEquals(Set.of(a), r.done());
            assertEquals(7.0, now());
        });
    }

    @Test
    void aZeroOrNegativeTimeoutReturnsAtTheNextIterationWithWhatIsDone() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> done = loop().createFuture();
            done.setResult("x");
            Task<String> slow = after(1, "slow");
            WaitResult<Future<String>> r = AsyncIO.wait(List.of(done, slow), -1);
            assertEquals(Set.of(done), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertEquals(0.0, now());
        });
    }

    @Test
    void itNeverRaisesTheFuturesExceptions() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("kept in the future");
            Task<String> bad = failingAfter(1, io);
            WaitResult<Task<String>> r = AsyncIO.wait(List.of(bad));
            assertSame(io, r.done().iterator().next().exception());
        });
    }

    @Test
    void futuresAlreadyDoneAreReportedDoneAndDuplicatesCountOnce() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            f.setResult("x");
            WaitResult<Future<String>> r = AsyncIO.wait(List.of(f, f, f));
            assertEquals(Set.of(f), r.done());
            assertThrows(UnsupportedOperationException.class, () -> r.done().clear(), "the sets are unmodifiable");
        });
    }

    @Test
    void cancellingTheWaitingTaskRaisesCancelledErrorAndLeavesTheFuturesRunning() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> a = after(10, "a");
            Task<WaitResult<Task<String>>> waiter = AsyncIO.createTask(() -> AsyncIO.wait(List.of(a)));
            AsyncIO.sleep(1);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertFalse(a.done());
            assertEquals("a", a.await());
        });
    }

    @Test
    void aCancellationArrivingWithTheFirstCompletionStillRaisesCancelledError() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            Task<WaitResult<Future<String>>> waiter = AsyncIO.createTask(() -> AsyncIO.wait(List.of(f), AsyncIO.FIRST_COMPLETED));
            AsyncIO.sleep(0);
            loop().callLater(1, () -> {
                f.setResult("done");
                waiter.cancel();
            });
            assertThrows(CancelledError.class, waiter::await);
            assertEquals("done", f.result());
        });
    }

    @Test
    void badInputIsRejectedWithAClearError() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.wait(List.<Future<String>>of()), "empty");
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.wait(List.of(f), (ReturnWhen) null),
                    "returnWhen", "FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED");
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.wait(List.of(f), Double.NaN), "timeout", "NaN");
            List<Future<String>> withNull = new ArrayList<>();
            withNull.add(null);
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.wait(withNull), "null");
            try (EventLoop other = EventLoop.newEventLoop()) {
                Future<String> foreign = other.createFuture();
                assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.wait(List.of(f, foreign)), "different loop");
            }
            f.setResult("x");
        });
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            Future<String> f = vt.loop().createFuture();
            assertThrowsWith(IllegalStateException.class, () -> AsyncIO.wait(List.of(f)), "wait()", "inside a task");
        }
    }
}
