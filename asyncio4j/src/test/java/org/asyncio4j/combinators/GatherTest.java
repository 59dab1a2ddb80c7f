package org.asyncio4j.combinators;

import static org.asyncio4j.combinators.Running.loop;
import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code gather} in all its modes (asyncio's {@code asyncio.gather}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatherTest {

    /** A task that yields {@code hops} times, then returns {@code value}. */
    private static <T> Task<T> after(int hops, T value) {
        return AsyncIO.createTask(() -> {
            for (int i = 0; i < hops; i++) {
                AsyncIO.sleep(0);
            }
            return value;
        });
    }

    /** A task that yields {@code hops} times, then throws {@code error}. */
    private static Task<String> failing(int hops, Throwable error) {
        Coroutine<String> c = () -> {
            for (int i = 0; i < hops; i++) {
                AsyncIO.sleep(0);
            }
            throw org.asyncio4j.future.Sneaky.rethrow(error);
        };
        return AsyncIO.createTask(c);
    }

    /** Installs a handler that records errors, so a test can check nothing was lost. */
    private static List<ExceptionContext> recordErrors() {
        List<ExceptionContext> handled = new ArrayList<>();
        loop().setExceptionHandler((l, c) -> handled.add(c));
        return handled;
    }

    @Test
    void resultsComeInArgumentOrderWhateverTheCompletionOrder() {
        List<String> r = AsyncIO.run(() -> AsyncIO.gather(after(3, "a"), after(1, "b"), after(2, "c")).await());
        assertEquals(List.of("a", "b", "c"), r);
    }

    @Test
    void gatherOfCoroutinesWrapsEachInATask() {
        List<Integer> r = AsyncIO.run(() -> {
            Coroutine<Integer> one = () -> 1;
            Coroutine<Integer> two = () -> {
                AsyncIO.sleep(0);
                return 2;
            };
            return AsyncIO.gather(one, two).await();
        });
        assertEquals(List.of(1, 2), r);
    }

    @Test
    void plainFuturesCanBeGatheredToo() {
        List<String> r = AsyncIO.run(() -> {
            Future<String> a = loop().createFuture();
            Future<String> b = loop().createFuture();
            loop().callSoon(() -> b.setResult("b"));
            loop().callSoon(() -> loop().callSoon(() -> a.setResult("a")));
            return AsyncIO.gather(a, b).await();
        });
        assertEquals(List.of("a", "b"), r);
    }

    @Test
    void theFirstExceptionPropagatesUnchangedAndTheOtherChildrenKeepRunning() {
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second");
        AsyncIO.run(() -> {
            List<ExceptionContext> handled = recordErrors();
            Task<String> slow = after(5, "slow");
            Task<String> fails = failing(1, first);
            Task<String> failsLater = failing(3, second);
            Future<List<String>> g = AsyncIO.gather(slow, fails, failsLater);
            assertSame(first, caught(g::await));
            assertFalse(slow.done(), "gather must not cancel the other children");
            assertFalse(slow.cancelled());
            assertEquals("slow", slow.await());
            assertSame(second, caught(failsLater::await));
            assertEquals(List.of(), handled);
        });
    }

    @Test
    void withReturnExceptionsEachFailureTakesItsChildsPlace() {
        IOException boom = new IOException("boom");
        List<Object> r = AsyncIO.run(() -> {
            Task<String> ok = after(2, "ok");
            Task<String> bad = failing(1, boom);
            Task<String> cancelled = after(3, "never");
            Future<List<Object>> g = AsyncIO.gather(true, ok, bad, cancelled);
            cancelled.cancel("dropped");
            return g.await();
        });
        assertEquals(3, r.size());
        assertEquals("ok", r.get(0));
        assertSame(boom, r.get(1));
        CancelledError ce = assertInstanceOf(CancelledError.class, r.get(2));
        assertEquals("dropped", ce.getMessage());
    }

    @Test
    void cancellingTheGatherCancelsEveryChildAndRaisesCancelledError() {
        AsyncIO.run(() -> {
            Task<Object> a = AsyncIO.createTask(() -> loop().createFuture().await());
            Task<Object> b = AsyncIO.createTask(() -> loop().createFuture().await());
            Task<String> done = after(0, "already done");
            done.await();
            Future<List<Object>> g = AsyncIO.gather(a, b, done);
            AsyncIO.sleep(0);
            assertTrue(g.cancel("stop all"));
            CancelledError e = assertThrowsWith(CancelledError.class, g::await);
            assertTrue(a.cancelled());
            assertTrue(b.cancelled());
            assertFalse(done.cancelled());
            assertEquals("stop all", e.getMessage());
        });
    }

    @Test
    void cancellingTheGatherRaisesCancelledErrorEvenWithReturnExceptions() {
        AsyncIO.run(() -> {
            Task<Object> a = AsyncIO.createTask(() -> loop().createFuture().await());
            Future<List<Object>> g = AsyncIO.gather(true, a);
            AsyncIO.sleep(0);
            assertTrue(g.cancel());
            assertThrowsWith(CancelledError.class, g::await);
            assertTrue(a.cancelled());
        });
    }

    @Test
    void cancellingTheTaskThatAwaitsTheGatherCancelsTheChildren() {
        AsyncIO.run(() -> {
            Task<Object> a = AsyncIO.createTask(() -> loop().createFuture().await());
            Task<Object> b = AsyncIO.createTask(() -> loop().createFuture().await());
            Task<List<Object>> waiter = AsyncIO.createTask(() -> AsyncIO.gather(List.of(a, b)).await());
            AsyncIO.sleep(0);
            AsyncIO.sleep(0);
            waiter.cancel();
            assertThrowsWith(CancelledError.class, waiter::await);
            assertTrue(waiter.cancelled());
            assertTrue(a.cancelled());
            assertTrue(b.cancelled());
        });
    }

    @Test
    void oneCancelledChildRaisesCancelledErrorOutOfGatherButDoesNotCancelIt() {
        AsyncIO.run(() -> {
            Task<String> victim = after(5, "victim");
            Task<String> other = after(3, "other");
            Future<List<String>> g = AsyncIO.gather(victim, other);
            AsyncIO.sleep(0);
            victim.cancel("just this one");
            CancelledError e = assertThrowsWith(CancelledError.class, g::await, "just this one");
            assertFalse(g.cancelled(), "asyncio: the gather future itself is not cancelled in this case");
            assertSame(e, g.exception());
            assertFalse(other.cancelled(), "the other children keep running");
            assertEquals("other", other.await());
        });
    }

    @Test
    void duplicatesAreAwaitedOnceAndAppearInEveryPlace() {
        AtomicInteger runs = new AtomicInteger();
        List<Object> r = AsyncIO.run(() -> {
            Task<String> a = AsyncIO.createTask(() -> "a" + runs.incrementAndGet());
            Task<String> b = after(1, "b");
            return AsyncIO.gather(a, b, a, a).await().stream().map(Object.class::cast).toList();
        });
        assertEquals(List.of("a1", "b", "a1", "a1"), r);
        assertEquals(1, runs.get());
    }

    @Test
    void anEmptyGatherIsDoneAtOnceWithAnEmptyList() {
        AsyncIO.run(() -> {
            Future<List<Object>> g = AsyncIO.gather(true, List.of());
            assertTrue(g.done());
            assertEquals(List.of(), g.result());
            assertEquals(List.of(), AsyncIO.gather(new Future<?>[0]).await());
        });
        assertThrowsWith(IllegalStateException.class, () -> AsyncIO.gather(List.of()), "no running event loop");
    }

    @Test
    void futuresOfDifferentLoopsAreRejected() {
        try (EventLoop other = new EventLoop()) {
            AsyncIO.run(() -> {
                Future<Object> mine = loop().createFuture();
                Future<Object> theirs = other.createFuture();
                assertThrowsWith(IllegalArgumentException.class, () -> AsyncIO.gather(mine, theirs), "different loop");
            });
        }
    }

    @Test
    void gatherTakesASnapshotOfTheListItIsGiven() {
        List<String> r = AsyncIO.run(() -> {
            List<Future<String>> children = new ArrayList<>(List.of(after(1, "a"), after(1, "b")));
            Future<List<String>> g = AsyncIO.gather(children);
            children.clear();
            children.add(after(0, "added later"));
            return g.await();
        });
        assertEquals(List.of("a", "b"), r);
    }

    @Test
    void theResultListIsUnmodifiable() {
        List<String> r = AsyncIO.run(() -> AsyncIO.gather(after(0, "a")).await());
        assertError(UnsupportedOperationException.class, caught(() -> r.add("b")));
    }
}
