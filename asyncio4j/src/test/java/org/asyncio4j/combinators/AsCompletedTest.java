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
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** {@code AsyncIO.asCompleted} (asyncio's {@code asyncio.as_completed}). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsCompletedTest {

    @Test
    void aPlainForLoopSeesTheFuturesInCompletionOrderEachAsSoonAsItIsDone() {
        VirtualTimeLoop.runMain(() -> {
            List<String> seen = new ArrayList<>();
            for (Task<String> t : AsyncIO.asCompleted(List.of(after(3, "c"), after(1, "a"), after(2, "b")))) {
                assertTrue(t.done());
                seen.add(t.result() + "@" + now());
            }
            assertEquals(List.of("a@1.0", "b@2.0", "c@3.0"), seen);
        });
    }

    @Test
    void futuresAlreadyDoneComeFirstInTheOrderGiven() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> x = loop().createFuture();
            Future<String> y = loop().createFuture();
            Task<String> later = after(1, "later");
            y.setResult("y");
            x.setResult("x");
            List<Future<String>> order = new ArrayList<>();
            for (Future<String> f : AsyncIO.asCompleted(List.of(later, x, y))) {
                order.add(f);
            }
            assertEquals(List.of(x, y, later), order);
        });
    }

    @Test
    void anExceptionStaysInItsFutureAndComesOutOfResult() {
        VirtualTimeLoop.runMain(() -> {
            IOException io = new IOException("bad");
            Task<String> bad = AsyncIO.createTask(() -> {
                AsyncIO.sleep(1);
                throw io;
            });
            Iterator<Task<String>> it = AsyncIO.asCompleted(List.of(bad)).iterator();
            Task<String> t = it.next();
            assertSame(bad, t);
            assertSame(io, assertThrows(IOException.class, t::result));
            assertFalse(it.hasNext());
        });
    }

    @Test
    void afterTheTimeoutEachRemainingStepRaisesTimeoutErrorAndNothingIsCancelled() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> fast = after(1, "fast");
            Task<String> slow = after(5, "slow");
            Task<String> slower = after(6, "slower");
            AsCompleted<Task<String>> it = AsyncIO.asCompleted(List.of(slow, fast, slower), 2);
            assertSame(fast, it.next());
            assertThrows(TimeoutError.class, it::next);
            assertEquals(2.0, now());
            assertTrue(it.hasNext());
            assertThrows(TimeoutError.class, it::next);
            assertFalse(it.hasNext());
            assertEquals(2.0, now());
            assertFalse(slow.cancelled());
            assertEquals("slower", slower.await());
        });
    }

    @Test
    void theTimeoutCountsFromTheCallNotFromTheFirstStep() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> t = after(5, "t");
            AsCompleted<Task<String>> it = AsyncIO.asCompleted(List.of(t), 3);
            AsyncIO.sleep(4);
            assertThrows(TimeoutError.class, it::next);
            assertEquals(4.0, now(), "already timed out: no wait");
        });
    }

    @Test
    void anEmptyCollectionIteratesNothingAndDuplicatesCountOnce() {
        VirtualTimeLoop.runMain(() -> {
            assertFalse(AsyncIO.asCompleted(List.<Future<String>>of(), 1).hasNext());
            Task<String> t = after(1, "t");
            int n = 0;
            for (Task<String> ignored : AsyncIO.asCompleted(List.of(t, t))) {
                n++;
            }
            assertEquals(1, n);
        });
    }

    @Test
    void itCanBeIteratedOnlyOnceAndNextAfterTheEndIsAnError() {
        VirtualTimeLoop.runMain(() -> {
            AsCompleted<Task<String>> it = AsyncIO.asCompleted(List.of(after(1, "t")));
            it.iterator();
            assertThrowsWith(IllegalStateException.class, it::iterator, "only once");
            it.next();
            assertThrowsWith(NoSuchElementException.class, it::next, "handed out");
        });
    }

    @Test
    void aCancelledStepConsumesNothing() {
        VirtualTimeLoop.runMain(() -> {
            Task<String> a = after(2, "a");
            Task<String> b = after(3, "b");
            AsCompleted<Task<String>> it = AsyncIO.asCompleted(List.of(a, b));
            Task<Task<String>> stepper = AsyncIO.createTask(it::next);
            AsyncIO.sleep(1);
            stepper.cancel();
            assertThrows(CancelledError.class, stepper::await);
            List<String> rest = new ArrayList<>();
            while (it.hasNext()) {
                rest.add(it.next().result());
            }
            assertEquals(List.of("a", "b"), rest);
            assertFalse(a.cancelled());
        });
    }

    @Test
    void badInputIsRejectedWithAClearError() {
        VirtualTimeLoop.runMain(() -> {
            Future<String> f = loop().createFuture();
            assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.asCompleted(List.of(f), Double.NaN), "timeout", "NaN");
            try (EventLoop other = EventLoop.newEventLoop()) {
                Future<String> foreign = other.createFuture();
                assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.asCompleted(List.of(foreign)), "different loop");
            }
        });
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.asCompleted(List.<Future<String>>of()), "no running event loop");
    }
}
