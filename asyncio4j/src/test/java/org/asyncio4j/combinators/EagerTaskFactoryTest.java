package org.asyncio4j.combinators;

import static org.asyncio4j.Errors.assertThrowsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Steps;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.ContextVar;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.testing.VirtualTimeLoop;
import org.junit.jupiter.api.Test;

/** Eager tasks: {@code AsyncIO.eagerTaskFactory}, {@code createEagerTaskFactory} (asyncio 3.12). */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class EagerTaskFactoryTest {

    private static EventLoop loop() {
        return AsyncIO.getRunningLoop();
    }

    private static void eager() {
        loop().setTaskFactory(AsyncIO.eagerTaskFactory());
    }

    @Test
    void theCoroutineRunsInsideCreateTaskUntilItsFirstSuspension() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            eager();
            s.expect(1);
            Task<String> t = AsyncIO.createTask(() -> {
                s.expect(2);
                AsyncIO.sleep(1);
                s.expect(4);
                return "x";
            });
            s.expect(3);
            assertFalse(t.done());
            assertEquals("x", t.await());
            s.finish(5);
        });
    }

    @Test
    void aTaskThatFinishesWithoutSuspendingIsDoneWhenCreateTaskReturns() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            eager();
            loop().callSoon(() -> s.expect(3)); // scheduled first, runs later
            s.expect(1);
            Task<String> t = AsyncIO.createTask(() -> "cached");
            assertTrue(t.done());
            assertEquals("cached", t.result());
            assertEquals("cached", t.await(), "awaiting it does not suspend");
            s.expect(2);
            AsyncIO.sleep(0);
            s.finish(4);
        });
    }

    @Test
    void aTaskThatFailsWithoutSuspendingIsDoneWithItsException() {
        VirtualTimeLoop.runMain(() -> {
            eager();
            IOException io = new IOException("at once");
            Task<Object> t = AsyncIO.createTask(() -> {
                throw io;
            });
            assertTrue(t.done());
            assertSame(io, t.exception());
        });
    }

    @Test
    void insideTheEagerStepTheCurrentTaskIsTheNewTaskAndAfterwardsTheCreator() {
        VirtualTimeLoop.runMain(() -> {
            eager();
            Task<?> self = AsyncIO.currentTask();
            List<Task<?>> seen = new ArrayList<>();
            Task<Void> t = AsyncIO.createTask(() -> {
                seen.add(AsyncIO.currentTask());
            });
            assertSame(t, seen.get(0));
            assertSame(self, AsyncIO.currentTask());
        });
    }

    @Test
    void theEagerStepRunsInTheTasksOwnCopyOfTheContext() {
        ContextVar<String> v = new ContextVar<>("v");
        VirtualTimeLoop.runMain(() -> {
            eager();
            v.set("parent");
            String[] inside = new String[1];
            AsyncIO.createTask(() -> {
                inside[0] = v.get(null);
                v.set("child");
            });
            assertEquals("parent", inside[0]);
            assertEquals("parent", v.get(null), "the child's change stays in its copy");
        });
    }

    @Test
    void awaitingADoneFutureDoesNotSuspendButAPendingOneDoes() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            eager();
            Future<String> ready = loop().createFuture();
            ready.setResult("r");
            Future<String> pending = loop().createFuture();
            Task<String> t = AsyncIO.createTask(() -> {
                s.expect(1);
                String a = ready.await();
                s.expect(2);
                String b = pending.await();
                s.expect(4);
                return a + b;
            });
            s.expect(3);
            pending.setResult("p");
            assertEquals("rp", t.await());
            s.finish(5);
        });
    }

    @Test
    void anEagerTaskCanBeCancelledAtItsFirstSuspension() {
        VirtualTimeLoop.runMain(() -> {
            eager();
            Task<Void> t = AsyncIO.createTask(() -> AsyncIO.sleep(10));
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertEquals(0.0, loop().time());
        });
    }

    @Test
    void eagerTasksNest() {
        Steps s = new Steps();
        VirtualTimeLoop.runMain(() -> {
            eager();
            s.expect(1);
            Task<String> outer = AsyncIO.createTask(() -> {
                s.expect(2);
                Task<String> inner = AsyncIO.createTask(() -> {
                    s.expect(3);
                    AsyncIO.sleep(1);
                    s.expect(6);
                    return "inner";
                });
                s.expect(4);
                return inner.await() + "+outer";
            });
            s.expect(5);
            assertEquals("inner+outer", outer.await());
            s.finish(7);
        });
    }

    @Test
    void anEagerTaskCreatedFromAPlainCallbackStartsAtOnceToo() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            vt.loop().setTaskFactory(AsyncIO.eagerTaskFactory());
            Object[] seen = new Object[3];
            vt.loop().callSoon(() -> {
                Task<String> t = vt.loop().createTask(() -> "now");
                seen[0] = t.done();
                seen[1] = vt.loop().currentTask();
            });
            vt.runUntilIdle();
            assertEquals(Boolean.TRUE, seen[0]);
            assertNull(seen[1], "no task is current again after the eager step");
        }
    }

    @Test
    void outsideARunningLoopTasksStartLazily() {
        try (VirtualTimeLoop vt = new VirtualTimeLoop()) {
            vt.loop().setTaskFactory(AsyncIO.eagerTaskFactory());
            boolean[] ran = new boolean[1];
            Task<Void> t = vt.loop().createTask(() -> {
                ran[0] = true;
            });
            assertFalse(ran[0]);
            vt.runUntilIdle();
            assertTrue(ran[0] && t.done());
        }
    }

    @Test
    void aCustomTaskConstructorIsAskedForAnEagerTaskWithTheNameGiven() {
        VirtualTimeLoop.runMain(() -> {
            List<String> calls = new ArrayList<>();
            loop().setTaskFactory(AsyncIO.createEagerTaskFactory((l, coro, name, ctx, eagerStart) -> {
                calls.add(name + ":" + eagerStart);
                return new Task<>(l, coro, name, ctx, eagerStart);
            }));
            Task<String> t = AsyncIO.createTask(() -> "custom", "mine");
            assertTrue(t.done());
            assertEquals("mine", t.getName());
            assertEquals(List.of("mine:true"), calls);
            assertThrowsWith(NullPointerException.class, () -> AsyncIO.createEagerTaskFactory(null), "constructor");
        });
    }
}
