package org.asyncio4j.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.LoopFixture;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.ContextVar;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Handle}: cancel, and the context a callback runs in. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandleTest extends LoopFixture {
    private static final ContextVar<String> VAR = new ContextVar<>("handle-test", "default");

    @Test
    void aCancelledHandleNeverRuns() {
        List<String> ran = new ArrayList<>();
        Handle h = loop.callSoon(() -> ran.add("cancelled one"));
        loop.callSoon(() -> ran.add("other"));
        assertFalse(h.cancelled());
        h.cancel();
        h.cancel(); // idempotent
        assertTrue(h.cancelled());
        runOnce();
        assertEquals(List.of("other"), ran);
    }

    @Test
    void aHandleCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun() {
        List<String> ran = new ArrayList<>();
        Handle[] later = new Handle[1];
        loop.callSoon(() -> {
            ran.add("first");
            later[0].cancel();
        });
        later[0] = loop.callSoon(() -> ran.add("second"));
        runOnce();
        assertEquals(List.of("first"), ran);
    }

    @Test
    void cancellingAHandleThatAlreadyRanHasNoEffect() {
        List<String> ran = new ArrayList<>();
        Handle h = loop.callSoon(() -> ran.add("ran"));
        runOnce();
        h.cancel();
        assertTrue(h.cancelled());
        runOnce();
        assertEquals(List.of("ran"), ran);
    }

    @Test
    void aCallbackRunsInACopyOfTheContextCapturedWhenItWasScheduled() {
        List<String> seen = new ArrayList<>();
        Context outer = Context.copyContext();
        outer.run(() -> {
            VAR.set("at schedule time");
            loop.callSoon(() -> {
                seen.add(VAR.get());
                VAR.set("changed by the callback");
            });
            VAR.set("changed after scheduling");
        });
        runOnce();
        assertEquals(List.of("at schedule time"), seen);
        assertEquals("changed after scheduling", outer.get(VAR, null), "the callback's change leaked out of its copy");
    }

    @Test
    void aCallbackGivenAContextRunsInThatVeryContext() {
        Context ctx = new Context();
        Handle h = loop.callSoon(() -> VAR.set("set inside"), ctx);
        assertSame(ctx, h.getContext());
        runOnce();
        assertEquals("set inside", ctx.get(VAR, null));
        assertEquals("default", VAR.get(), "the change must stay in the given context");
    }

    @Test
    void callbacksScheduledFromOneUnchangedContextKeepTheirChangesApart() {
        List<String> seen = new ArrayList<>();
        Handle first = loop.callSoon(() -> VAR.set("set by the first"));
        Handle second = loop.callSoon(() -> seen.add(VAR.get()));
        TimerHandle timer = loop.callAt(loop.time(), () -> {
            seen.add(VAR.get());
            VAR.set("set by the timer");
        });
        runOnce();
        runOnce();
        assertEquals(List.of("default", "default"), seen, "a sibling's change reached another callback");
        assertEquals("default", VAR.get(), "a callback's change leaked into the scheduler's context");
        assertEquals("set by the first", first.getContext().get(VAR, null));
        assertEquals("set by the timer", timer.getContext().get(VAR, null));
        assertEquals(null, second.getContext().get(VAR, null));
        assertSame(first.getContext(), first.getContext());
    }

    @Test
    void theContextGetContextHandsOutIsTheOneTheCallbackRunsIn() {
        List<String> seen = new ArrayList<>();
        Handle h = loop.callSoon(() -> {
            seen.add(VAR.get());
            VAR.set("set by the callback");
        });
        Handle sibling = loop.callSoon(() -> seen.add(VAR.get()));
        Context ctx = h.getContext();
        assertSame(ctx, h.getContext());
        ctx.run(() -> VAR.set("set through getContext"));
        runOnce();
        assertEquals(List.of("set through getContext", "default"), seen);
        assertEquals("set by the callback", ctx.get(VAR, null));
        assertSame(ctx, h.getContext());
        assertEquals(null, sibling.getContext().get(VAR, null));
    }

    @Test
    void aTaskCreatedByACallbackStartsFromTheCallbacksContextAtThatMoment() {
        List<String> seen = new ArrayList<>();
        loop.callSoon(() -> {
            loop.createTask(() -> {
                seen.add(VAR.get());
                VAR.set("set by the first task");
                return null;
            });
            VAR.set("set by the callback");
            loop.createTask(() -> {
                seen.add(VAR.get());
                return null;
            });
        });
        runOnce();
        runOnce();
        assertEquals(List.of("default", "set by the callback"), seen);
        assertEquals("default", VAR.get());
    }

    @Test
    void aCallbackThatSetsAVariableAndThrowsKeepsTheChangeInItsOwnContextAlone() {
        List<String> seen = new ArrayList<>();
        Handle thrower = loop.callSoon(() -> {
            VAR.set("set before the throw");
            throw new IllegalStateException("boom");
        });
        loop.callSoon(() -> seen.add(VAR.get()));
        runOnce();
        assertEquals(List.of("default"), seen);
        assertEquals("boom", handled.remove(0).exception().getMessage());
        assertEquals("default", VAR.get());
        assertEquals("set before the throw", thrower.getContext().get(VAR, null));
    }

    @Test
    void getContextAskedByTheRunningCallbackIsTheContextItGoesOnIn() {
        List<Object> seen = new ArrayList<>();
        Handle[] self = new Handle[2];
        self[0] = loop.callSoon(() -> {
            Context mine = self[0].getContext();
            VAR.set("set after getContext");
            seen.add(mine.get(VAR, null));
            seen.add(mine == self[0].getContext());
        });
        self[1] = loop.callSoon(() -> {
            VAR.set("set before getContext");
            Context mine = self[1].getContext();
            seen.add(mine.get(VAR, null));
            VAR.set("set after that");
            seen.add(mine.get(VAR, null));
        });
        Handle sibling = loop.callSoon(() -> seen.add(VAR.get()));
        runOnce();
        assertEquals(List.of("set after getContext", true, "set before getContext", "set after that", "default"), seen);
        assertEquals("set after that", self[1].getContext().get(VAR, null));
        assertEquals(null, sibling.getContext().get(VAR, null));
        assertEquals("default", VAR.get());
    }

    @Test
    void aCallbackGoesOnInItsOwnContextAfterRunningAnotherInside() {
        List<String> seen = new ArrayList<>();
        Context other = new Context();
        Handle h = loop.callSoon(() -> {
            other.run(() -> VAR.set("set in the other context"));
            seen.add(VAR.get());
            VAR.set("set by the callback");
            other.run(() -> seen.add(VAR.get()));
            seen.add(VAR.get());
        });
        runOnce();
        assertEquals(List.of("default", "set in the other context", "set by the callback"), seen);
        assertEquals("set by the callback", h.getContext().get(VAR, null));
        assertEquals("set in the other context", other.get(VAR, null));
    }

    @Test
    void anEagerTaskStartedByACallbackKeepsItsChangesAndTheCallbackKeepsItsOwn() {
        List<String> seen = new ArrayList<>();
        Task<?>[] eager = new Task<?>[2];
        Handle h = loop.callSoon(() -> {
            eager[0] = new Task<>(loop, () -> {
                VAR.set("the first eager task's");
                AsyncIO.sleep(0);
                seen.add(VAR.get());
                return null;
            }, null, null, true);
            seen.add(VAR.get());
            VAR.set("set by the callback");
            eager[1] = new Task<>(loop, () -> {
                seen.add(VAR.get());
                VAR.set("the second eager task's");
                AsyncIO.sleep(0);
                return null;
            }, null, null, true);
            seen.add(VAR.get());
        });
        runOnce();
        runOnce();
        assertEquals(List.of("default", "set by the callback", "set by the callback", "the first eager task's"), seen);
        assertEquals("set by the callback", h.getContext().get(VAR, null));
        assertEquals("the second eager task's", eager[1].getContext().get(VAR, null));
        assertEquals("default", VAR.get());
    }

    @Test
    void aDoneCallbackRunsInTheContextOfItsRegistrationAndKeepsItsChangesToItself() {
        List<String> seen = new ArrayList<>();
        Future<Integer> f = loop.createFuture();
        Context outer = new Context();
        outer.run(() -> {
            VAR.set("at registration");
            f.addDoneCallback(done -> {
                seen.add(VAR.get());
                VAR.set("set by the first");
            });
            f.addDoneCallback(done -> seen.add(VAR.get()));
            VAR.set("after registration");
        });
        f.setResult(1);
        runOnce();
        assertEquals(List.of("at registration", "at registration"), seen);
        assertEquals("after registration", outer.get(VAR, null));
    }

    @Test
    void toStringSaysWhetherTheHandleIsCancelled() {
        Handle h = loop.callSoon(() -> { });
        assertFalse(h.toString().contains("cancelled"), h.toString());
        h.cancel();
        assertTrue(h.toString().contains("cancelled"), h.toString());
    }
}
