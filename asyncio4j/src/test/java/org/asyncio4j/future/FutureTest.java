package org.asyncio4j.future;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.LoopFixture;
import org.asyncio4j.Steps;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.loop.TimerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Future}: its state machine, callbacks, await, unretrieved exceptions and interop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FutureTest extends LoopFixture {
    private static final ContextVar<String> VAR = new ContextVar<>("future-test", "default");

    // ---------------------------------------------------------------- the state machine

    @Test
    void aNewFutureIsPendingAndItsResultAndExceptionAreNotReadyYet() {
        Future<String> f = loop.createFuture();
        assertFalse(f.done());
        assertFalse(f.cancelled());
        assertSame(loop, f.getLoop());
        assertThrowsWith(InvalidStateError.class, f::result, "pending", "await");
        assertThrowsWith(InvalidStateError.class, f::exception, "pending");
        assertTrue(f.toString().contains("pending"), f.toString());
    }

    @Test
    void setResultFinishesTheFuture() {
        Future<String> f = loop.createFuture();
        f.setResult("value");
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertEquals("value", f.result());
        assertNull(f.exception());
        assertTrue(f.toString().contains("finished") && f.toString().contains("result=value"), f.toString());
    }

    @Test
    void aNullResultIsAResult() {
        Future<String> f = loop.createFuture();
        f.setResult(null);
        assertTrue(f.done());
        assertNull(f.result());
    }

    @Test
    void setExceptionFinishesTheFutureAndResultRethrowsTheVeryObjectEvenWhenChecked() {
        Future<String> f = loop.createFuture();
        IOException boom = new IOException("boom");
        f.setException(boom);
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertSame(boom, f.exception());
        assertSame(boom, caught(f::result));
        assertSame(boom, caught(f::result), "the same object every time");
        assertThrowsWith(NullPointerException.class, () -> loop.createFuture().setException(null), "exception");
    }

    @Test
    void cancelCancelsAPendingFutureOnly() {
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel("because"));
        assertTrue(f.done());
        assertTrue(f.cancelled());
        assertFalse(f.cancel(), "already cancelled");
        CancelledError e = assertThrowsWith(CancelledError.class, f::result, "because");
        assertSame(e, caught(f::exception), "result() and exception() raise the same CancelledError");
        assertTrue(f.toString().contains("cancelled"), f.toString());

        Future<String> finished = loop.createFuture();
        finished.setResult("x");
        assertFalse(finished.cancel(), "a finished future cannot be cancelled");
        assertFalse(finished.cancelled());
    }

    @Test
    void aFutureCompletesOnlyOnceAndSaysWhyNot() {
        Future<String> f = loop.createFuture();
        f.setResult("first");
        assertThrowsWith(InvalidStateError.class, () -> f.setResult("second"), "already done");
        assertThrowsWith(InvalidStateError.class, () -> f.setException(new RuntimeException()), "already done");
        assertEquals("first", f.result());

        Future<String> c = loop.createFuture();
        c.cancel();
        assertThrowsWith(InvalidStateError.class, () -> c.setResult("late"), "already done");
        assertTrue(c.cancelled());

        Future<String> e = loop.createFuture();
        e.setException(new IllegalStateException("x"));
        e.exception(); // retrieved
        assertThrowsWith(InvalidStateError.class, () -> e.setResult("late"), "already done");
    }

    @Test
    void invalidStateErrorIsAnIllegalStateException() {
        assertTrue(IllegalStateException.class.isAssignableFrom(InvalidStateError.class));
    }

    @Test
    void aFutureNeedsALoop() {
        assertThrowsWith(NullPointerException.class, () -> new Future<>(null), "loop");
    }

    // ---------------------------------------------------------------- done callbacks

    @Test
    void doneCallbacksAreScheduledNotCalledInlineAndRunInRegistrationOrder() {
        Future<String> f = loop.createFuture();
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            f.addDoneCallback(done -> ran.add(n + ":" + done.result()));
        }
        f.setResult("r");
        assertEquals(List.of(), ran, "a done callback ran inline");
        runOnce();
        assertEquals(List.of("0:r", "1:r", "2:r", "3:r", "4:r"), ran);
    }

    @Test
    void aCallbackAddedToADoneFutureIsScheduledNotCalledInline() {
        Future<String> f = loop.createFuture();
        f.setResult("r");
        List<String> ran = new ArrayList<>();
        f.addDoneCallback(done -> ran.add("late"));
        assertEquals(List.of(), ran);
        runOnce();
        assertEquals(List.of("late"), ran);
    }

    @Test
    void doneCallbacksRunWhenTheFutureFailsOrIsCancelledToo() {
        Future<String> failed = loop.createFuture();
        Future<String> cancelled = loop.createFuture();
        List<String> ran = new ArrayList<>();
        failed.addDoneCallback(f -> ran.add("failed:" + f.exception().getMessage()));
        cancelled.addDoneCallback(f -> ran.add("cancelled:" + f.cancelled()));
        failed.setException(new RuntimeException("x"));
        cancelled.cancel();
        runOnce();
        assertEquals(List.of("failed:x", "cancelled:true"), ran);
    }

    /**
     * A failed future keeps the report of its unretrieved exception where its callbacks
     * were: none of that may show as a callback, a waiter or a reason to refuse.
     */
    @Test
    void aFailedFutureWhoseExceptionIsUnretrievedHasNoCallbacksLeftAndIsRefusedAsDone() {
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> callback = x -> { };
        f.addDoneCallback(callback);
        assertTrue(f.toString().contains("callbacks=1"), f.toString());
        f.setException(new RuntimeException("kept"));
        assertFalse(f.toString().contains("callbacks="), f.toString());
        assertEquals(List.of(), f.awaitedBy());
        assertEquals(0, f.removeDoneCallback(callback));
        runOnce();
        loop.close();
        // done, so InvalidStateError: not the closed loop's refusal of a pending future
        assertThrowsWith(InvalidStateError.class, () -> f.setResult("again"), "already done");
        assertFalse(f.cancel());
        assertEquals("kept", f.exception().getMessage());
    }

    @Test
    void doneCallbacksRunInTheContextCapturedWhenAddedOrInTheOneGiven() {
        Future<String> f = loop.createFuture();
        List<String> seen = new ArrayList<>();
        Context adder = Context.copyContext();
        adder.run(() -> {
            VAR.set("at add time");
            f.addDoneCallback(done -> seen.add("captured:" + VAR.get()));
            VAR.set("changed after");
        });
        Context given = new Context();
        given.run(() -> VAR.set("given"));
        f.addDoneCallback(done -> {
            seen.add("given:" + VAR.get());
            VAR.set("changed by the callback");
        }, given);
        f.setResult("r");
        runOnce();
        assertEquals(List.of("captured:at add time", "given:given"), seen);
        assertEquals("changed by the callback", given.get(VAR, null), "a callback given a context runs in that very context");
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
        Future<String> f = loop.createFuture();
        List<String> ran = new ArrayList<>();
        Consumer<Future<String>> twice = done -> ran.add("twice");
        Consumer<Future<String>> kept = done -> ran.add("kept");
        f.addDoneCallback(twice);
        f.addDoneCallback(kept);
        f.addDoneCallback(twice);
        assertEquals(2, f.removeDoneCallback(twice));
        assertEquals(0, f.removeDoneCallback(twice));
        f.setResult("r");
        runOnce();
        assertEquals(List.of("kept"), ran);

        Future<String> single = loop.createFuture();
        single.addDoneCallback(twice);
        assertEquals(1, single.removeDoneCallback(twice));
        single.setResult("r");
        runOnce();
        assertEquals(List.of("kept"), ran);
        assertThrowsWith(NullPointerException.class, () -> single.addDoneCallback(null), "callback");
    }

    @Test
    void aCallbackThatThrowsGoesToTheExceptionHandlerAndTheOthersStillRun() {
        Future<String> f = loop.createFuture();
        RuntimeException boom = new RuntimeException("boom");
        List<String> ran = new ArrayList<>();
        f.addDoneCallback(done -> {
            throw boom;
        });
        f.addDoneCallback(done -> ran.add("second"));
        f.setResult("r");
        runOnce();
        assertEquals(List.of("second"), ran);
        assertEquals(1, handled.size());
        assertSame(boom, handled.remove(0).exception());
    }

    // ---------------------------------------------------------------- await

    @Test
    void awaitingADoneFutureDoesNotYield() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            EventLoop l = AsyncIO.getRunningLoop();
            s.expect(1);
            Future<Integer> f = l.createFuture();
            f.setResult(5);
            l.callSoon(() -> s.expect(3));
            assertEquals(5, f.await());
            s.expect(2);
            AsyncIO.sleep(0);
            s.finish(4);
        });
    }

    @Test
    void awaitingAPendingFutureSuspendsUntilItIsDone() {
        Steps s = new Steps();
        String result = AsyncIO.run(() -> {
            EventLoop l = AsyncIO.getRunningLoop();
            s.expect(1);
            Future<String> f = l.createFuture();
            l.callSoon(() -> {
                s.expect(2);
                f.setResult("set by a callback");
            });
            String r = f.await();
            s.expect(3);
            return r;
        });
        s.finish(4);
        assertEquals("set by a callback", result);
    }

    @Test
    void awaitRethrowsTheVeryExceptionEvenWhenChecked() {
        IOException boom = new IOException("boom");
        Throwable e = caught(() -> AsyncIO.run(() -> {
            Future<String> f = AsyncIO.getRunningLoop().createFuture();
            AsyncIO.getRunningLoop().callSoon(() -> f.setException(boom));
            return f.await();
        }));
        assertSame(boom, e);
    }

    @Test
    void awaitOutsideATaskFailsAtOnceWithAClearMessage() {
        Future<String> pending = loop.createFuture();
        // on a thread without a loop
        assertThrowsWith(IllegalStateException.class, pending::await, "inside a task", "AsyncIO.run");
        // in a plain callback of a running loop: fails, does not block the loop
        Throwable[] inCallback = new Throwable[1];
        loop.callSoon(() -> inCallback[0] = caught(pending::await));
        runOnce();
        assertError(IllegalStateException.class, inCallback[0], "inside a task", "addDoneCallback");
        assertFalse(pending.done());
        // the loop is still usable, and the future too
        pending.setResult("ok");
        assertEquals("ok", loop.runUntilComplete(pending));
    }

    @Test
    void awaitingADoneFutureOutsideATaskJustReturnsItsResult() {
        Future<String> f = loop.createFuture();
        f.setResult("done");
        assertEquals("done", f.await());
    }

    @Test
    void awaitingAFutureOfAnotherLoopFailsClearlyAndTheTaskGoesOn() {
        try (EventLoop other = new EventLoop()) {
            Future<String> foreign = other.createFuture();
            String after = AsyncIO.run(() -> {
                Throwable e = caught(foreign::await);
                assertError(IllegalStateException.class, e, "different loop");
                AsyncIO.sleep(0);
                return "still running";
            });
            assertEquals("still running", after);
            assertFalse(foreign.done());
        }
    }

    /**
     * A future belongs to its loop's thread: completing, cancelling or adding a callback
     * from another thread while the loop runs fails at once and changes nothing, so the
     * task waiting on it can still be woken the right way (through callSoonThreadsafe).
     */
    @Test
    void touchingAFutureFromAnotherThreadWhileTheLoopRunsFailsAndLeavesItIntact() throws InterruptedException {
        String r = AsyncIO.run(() -> {
            EventLoop l = AsyncIO.getRunningLoop();
            Future<String> f = l.createFuture();
            Task<String> waiter = AsyncIO.createTask(() -> f.await());
            AsyncIO.sleep(0); // the waiter parks on f
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread other = Thread.ofPlatform().name("other").start(() -> {
                errors.add(caught(() -> f.setResult("wrong way")));
                errors.add(caught(() -> f.setException(new RuntimeException("wrong way"))));
                errors.add(caught(() -> f.cancel()));
                errors.add(caught(() -> waiter.cancel()));
                errors.add(caught(() -> f.addDoneCallback(done -> { })));
            });
            other.join(); // blocks the loop briefly; the other thread does not need it
            assertEquals(5, errors.size());
            for (Throwable e : errors) {
                assertError(IllegalStateException.class, e, "called from thread other", "callSoonThreadsafe");
            }
            assertFalse(f.done(), "a refused setResult completed the future anyway");
            assertFalse(waiter.done());
            Thread.ofPlatform().start(() -> l.callSoonThreadsafe(() -> f.setResult("right way")));
            return waiter.await();
        });
        assertEquals("right way", r);
    }

    // ---------------------------------------------------------------- unretrieved exceptions

    /** Fails a future and drops every reference to it. */
    private static void failAndDrop(EventLoop loop, Throwable error, boolean retrieve) {
        Future<String> f = loop.createFuture();
        f.setException(error);
        if (retrieve) {
            f.exception();
        }
    }

    /** Collects garbage and runs the loop until {@code until} reaches the handler, at most ~100 times. */
    private void collectUntilReported(Throwable until) {
        loop.setExceptionHandler((l, c) -> {
            handled.add(c);
            l.stop();
        });
        for (int i = 0; i < 100 && handled.stream().noneMatch(c -> c.exception() == until); i++) {
            System.gc();
            // wait for the cleaner's post, or 20 ms, whichever comes first
            TimerHandle timeout = loop.callLater(0.02, loop::stop);
            loop.runForever();
            timeout.cancel();
        }
    }

    @Test
    void anExceptionNobodyRetrievedIsReportedToTheExceptionHandlerWhenTheFutureIsCollected() {
        RuntimeException lost = new RuntimeException("lost");
        RuntimeException retrieved = new RuntimeException("retrieved");
        failAndDrop(loop, retrieved, true);
        failAndDrop(loop, lost, false);
        collectUntilReported(lost);
        // a few more collections: the retrieved one must never show up
        for (int i = 0; i < 3; i++) {
            System.gc();
            loop.stop();
            loop.runForever();
        }
        List<Throwable> reported = handled.stream().map(ExceptionContext::exception).toList();
        assertEquals(List.of(lost), reported);
        ExceptionContext c = handled.remove(0);
        assertTrue(c.message().contains("exception was never retrieved"), c.message());
        assertTrue(c.message().contains("lost"), "the message shows the future: " + c.message());
    }

    // ---------------------------------------------------------------- interop

    @Test
    void toCompletableFutureCompletesWithTheResult() throws Exception {
        Future<String> f = loop.createFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertFalse(cf.isDone());
        f.setResult("r");
        runOnce();
        assertEquals("r", cf.get(5, TimeUnit.SECONDS));
    }

    @Test
    void toCompletableFutureCompletesWithTheVeryException() {
        Future<String> f = loop.createFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        IOException boom = new IOException("boom");
        f.setException(boom);
        runOnce();
        ExecutionException e = assertError(ExecutionException.class, caught(() -> cf.get(5, TimeUnit.SECONDS)));
        assertSame(boom, e.getCause());
    }

    @Test
    void cancellingTheFutureCancelsTheCompletableFuture() {
        Future<String> f = loop.createFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        f.cancel("stop");
        runOnce();
        assertTrue(cf.isCancelled());
        assertError(CancellationException.class, caught(cf::join));
    }

    @Test
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheFuture() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            Future<String> f = AsyncIO.getRunningLoop().createFuture();
            CompletableFuture<String> cf = f.toCompletableFuture();
            s.expect(1);
            Thread.ofPlatform().start(() -> cf.cancel(true));
            assertThrowsWith(CancelledError.class, f::await);
            assertTrue(f.cancelled());
            s.expect(2);
        });
        s.finish(3);
    }
}
