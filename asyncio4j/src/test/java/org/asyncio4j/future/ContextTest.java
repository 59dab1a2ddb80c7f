package org.asyncio4j.future;

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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Runner;
import org.asyncio4j.Steps;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Context}: run, copy, copyContext, and asyncio's rules: a task copies the context
 * when it is created and its changes stay in it; callbacks run in the context captured when
 * they were scheduled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContextTest {
    private static final ContextVar<String> VAR = new ContextVar<>("context-test", "default");

    @Test
    void runMakesTheContextCurrentAndKeepsItsChangesInside() {
        Context ctx = new Context();
        ctx.run(() -> VAR.set("inside"));
        assertEquals("inside", ctx.get(VAR, null));
        assertTrue(ctx.contains(VAR));
        assertEquals(1, ctx.size());
        assertEquals(Set.of(VAR), ctx.vars());
        new Context().run(() -> assertEquals("default", VAR.get()));
        ctx.run(() -> assertEquals("inside", VAR.get(), "a later run sees the earlier change"));
    }

    @Test
    void callReturnsTheResultAndRethrowsTheVeryException() {
        Context ctx = new Context();
        assertEquals("r", ctx.call(() -> "r"));
        IOException boom = new IOException("boom");
        assertSame(boom, caught(() -> ctx.call(() -> {
            throw boom;
        })));
        // the context was left even though the action threw
        ctx.run(() -> { });
    }

    @Test
    void aContextCannotBeEnteredTwice() {
        Context ctx = new Context();
        ctx.run(() -> assertThrowsWith(IllegalStateException.class, () -> ctx.run(() -> { }), "already entered"));
        ctx.run(() -> { }); // entering again after leaving is fine
    }

    @Test
    void copyContextIsASnapshotThatChangesIndependently() {
        new Context().run(() -> {
            VAR.set("before");
            Context snapshot = Context.copyContext();
            VAR.set("after");
            assertEquals("before", snapshot.get(VAR, null));
            snapshot.run(() -> VAR.set("changed in the copy"));
            assertEquals("after", VAR.get());
            Context copy = snapshot.copy();
            assertEquals("changed in the copy", copy.get(VAR, null));
        });
    }

    @Test
    void getOnAContextDoesNotUseTheVariablesDefault() {
        Context empty = new Context();
        assertNull(empty.get(VAR, null));
        assertEquals("mine", empty.get(VAR, "mine"));
        assertFalse(empty.contains(VAR));
        assertEquals(0, empty.size());
    }

    @Test
    void aTaskCopiesTheContextAtCreationAndItsChangesStayInTheTask() {
        new Context().run(() -> AsyncIO.run(() -> {
            VAR.set("creator, before");
            Task<String> t = AsyncIO.createTask(() -> {
                String seen = VAR.get();
                VAR.set("task's own");
                AsyncIO.sleep(0);
                return seen + " / " + VAR.get();
            });
            VAR.set("creator, after");
            assertEquals("creator, before / task's own", t.await());
            assertEquals("creator, after", VAR.get(), "the task's change leaked into its creator");
        }));
    }

    @Test
    void interleavedTasksEachKeepTheirOwnValuesAcrossAwaits() {
        int n = 20;
        List<String> mismatches = new ArrayList<>();
        AsyncIO.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String mine = "task " + i;
                tasks.add(AsyncIO.createTask(() -> {
                    VAR.set(mine);
                    for (int round = 0; round < 10; round++) {
                        AsyncIO.sleep(0);
                        if (!mine.equals(VAR.get())) {
                            mismatches.add(mine + " saw " + VAR.get());
                        }
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertEquals("default", VAR.get());
        });
        assertEquals(List.of(), mismatches);
    }

    @Test
    void aTaskGivenAContextRunsInThatVeryContext() {
        Context ctx = new Context();
        AsyncIO.run(() -> {
            Task<Void> t = AsyncIO.getRunningLoop().createTask(Coroutine.of(() -> VAR.set("set by the task")), null, ctx);
            assertSame(ctx, t.getContext());
            t.await();
            assertEquals("default", VAR.get());
        });
        assertEquals("set by the task", ctx.get(VAR, null));
    }

    @Test
    void runnerRunUsesTheGivenContext() {
        Context ctx = new Context();
        try (Runner runner = new Runner()) {
            runner.run(CheckedCallable.of(() -> VAR.set("into ctx")), ctx);
        }
        assertEquals("into ctx", ctx.get(VAR, null));
    }

    @Test
    void callbacksRunInTheContextCapturedWhenScheduledEvenFromATask() {
        List<String> seen = new ArrayList<>();
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Future<Void> ran = loop.createFuture();
            Task<Void> t = AsyncIO.createTask(() -> {
                VAR.set("task's");
                loop.callSoon(() -> {
                    seen.add(VAR.get());
                    VAR.set("callback's");
                    ran.setResult(null);
                });
                ran.await();
                seen.add(VAR.get());
            });
            t.await();
        });
        assertEquals(List.of("task's", "task's"), seen, "the callback's change must stay in its copy");
    }

    @Test
    void aCoroutineMaySuspendInsideContextRunAndResumesInThatContext() {
        Steps s = new Steps();
        AsyncIO.run(() -> {
            VAR.set("task");
            Context other = new Context();
            Task<Void> interloper = AsyncIO.createTask(() -> {
                s.expect(2);
                assertEquals("task", VAR.get(), "the interloper copied the creator's context");
                VAR.set("interloper");
            });
            s.expect(1);
            other.run(() -> {
                VAR.set("other");
                AsyncIO.sleep(0);
                s.expect(3);
                assertEquals("other", VAR.get());
            });
            assertEquals("task", VAR.get());
            assertEquals("other", other.get(VAR, null));
            interloper.await();
            s.expect(4);
        });
        s.finish(5);
    }

    // ---------------------------------------------------------------- tasks share their creator's copy until they write

    @Test
    void tasksCreatedFromOneUnchangedContextStillKeepTheirChangesApart() {
        AsyncIO.run(() -> {
            VAR.set("creator");
            Future<Void> gate = AsyncIO.getRunningLoop().createFuture();
            Task<String> writer = AsyncIO.createTask(() -> {
                VAR.set("writer's");
                gate.await();
                return VAR.get();
            });
            Task<String> reader = AsyncIO.createTask(() -> {
                gate.await();
                return VAR.get();
            });
            AsyncIO.sleep(0);
            VAR.set("creator, after");
            Task<String> later = AsyncIO.createTask(() -> VAR.get());
            gate.setResult(null);
            assertEquals("writer's", writer.await());
            assertEquals("creator", reader.await(), "a sibling's change, or the creator's after creation, leaked in");
            assertEquals("creator, after", later.await());
            assertEquals("creator, after", VAR.get());
        });
    }

    @Test
    void aTaskOfATaskThatSetNothingStillStartsFromASnapshot() {
        AsyncIO.run(() -> {
            VAR.set("main");
            Task<String> parent = AsyncIO.createTask(() -> {
                Task<String> child = AsyncIO.createTask(() -> VAR.get());
                VAR.set("parent, after");
                return child.await() + " / " + VAR.get();
            });
            assertEquals("main / parent, after", parent.await());
            assertEquals("main", VAR.get());
        });
    }

    @Test
    void getContextOfATaskIsItsOwnAndChangesMadeInItReachTheTaskAlone() {
        AsyncIO.run(() -> {
            Future<Void> gate = AsyncIO.getRunningLoop().createFuture();
            Task<String> t = AsyncIO.createTask(() -> {
                gate.await();
                String seen = VAR.get();
                VAR.set("the task's");
                return seen;
            });
            Task<String> sibling = AsyncIO.createTask(() -> {
                gate.await();
                return VAR.get();
            });
            AsyncIO.sleep(0);
            Context ctx = t.getContext();
            assertSame(ctx, t.getContext());
            ctx.run(() -> VAR.set("from outside"));
            gate.setResult(null);
            assertEquals("from outside", t.await());
            assertEquals("the task's", ctx.get(VAR, null), "the task ran in another context than getContext()'s");
            assertEquals("default", sibling.await());
            assertEquals("default", VAR.get());
        });
    }

    @Test
    void getContextCalledByTheTaskItselfIsTheEnteredContextItRunsIn() {
        AsyncIO.run(() -> {
            Task<Void> t = AsyncIO.createTask(() -> {
                Context mine = AsyncIO.currentTask().getContext();
                VAR.set("mine");
                assertEquals("mine", mine.get(VAR, null));
                assertThrowsWith(IllegalStateException.class, () -> mine.run(() -> { }), "already entered");
                AsyncIO.sleep(0);
                assertSame(mine, AsyncIO.currentTask().getContext());
                assertEquals("mine", VAR.get());
            });
            t.await();
            assertEquals("mine", t.getContext().get(VAR, null));
            assertEquals("default", VAR.get());
        });
    }

    @Test
    void aTaskSuspendedInsideContextRunComesBackToTheContextGetContextGaveOut() {
        AsyncIO.run(() -> {
            Future<Void> gate = AsyncIO.getRunningLoop().createFuture();
            Context other = new Context();
            Task<String> t = AsyncIO.createTask(() -> {
                other.run(() -> gate.await());
                return VAR.get();
            });
            AsyncIO.sleep(0);
            t.getContext().run(() -> VAR.set("set while it waited"));
            gate.setResult(null);
            assertEquals("set while it waited", t.await());
        });
    }

    @Test
    void anEagerTaskStartedInTheSameSnapshotKeepsItsChangesFromItsCreator() {
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Task<String> parent = AsyncIO.createTask(() -> {
                Task<String> eager = new Task<>(loop, () -> {
                    VAR.set("eager's");
                    AsyncIO.sleep(0);
                    return VAR.get();
                }, null, null, true);
                String seen = VAR.get();
                return seen + " / " + eager.await() + " / " + VAR.get();
            });
            assertEquals("default / eager's / default", parent.await());
        });
    }

    @Test
    void aTokenOfATaskThatTookItsOwnCopyResetsAcrossAwaits() {
        AsyncIO.run(() -> {
            Task<String> t = AsyncIO.createTask(() -> {
                ContextVar.Token<String> token = VAR.set("for a while");
                AsyncIO.sleep(0);
                String during = VAR.get();
                VAR.reset(token);
                return during + " / " + VAR.get();
            });
            assertEquals("for a while / default", t.await());
        });
    }
}
