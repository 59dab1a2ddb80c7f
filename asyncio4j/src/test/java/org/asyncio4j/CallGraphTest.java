package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.asyncio4j.combinators.TaskGroup;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.FutureCallGraph;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.sync.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallGraphTest {

    private static void waitInHelper(Event e) {
        e.await();
    }

    private static boolean mentions(List<StackTraceElement> stack, String method) {
        return stack.stream().anyMatch(f -> f.getMethodName().equals(method));
    }

    @Test
    void aSuspendedTaskShowsItsOwnFramesAndWhoAwaitsItUpToTheRoot() {
        AsyncIO.run(() -> {
            Event e = new Event();
            Task<Object> leaf = AsyncIO.createTask(() -> {
                waitInHelper(e);
                return null;
            }, "leaf");
            Task<Object> middle = AsyncIO.createTask(() -> leaf.await(), "middle");
            AsyncIO.sleep(0);
            AsyncIO.sleep(0);
            FutureCallGraph g = AsyncIO.captureCallGraph(leaf);
            assertSame(leaf, g.future());
            // innermost first: the synchronizer, then the helper that called it, engine frames left out
            assertEquals(Event.class.getName(), g.callStack().get(0).getClassName(), g.format());
            assertEquals("waitInHelper", g.callStack().get(1).getMethodName(), g.format());
            assertEquals(1, g.awaitedBy().size(), g.format());
            FutureCallGraph m = g.awaitedBy().get(0);
            assertSame(middle, m.future());
            assertTrue(m.awaitedBy().isEmpty());
            String text = AsyncIO.formatCallGraph(leaf);
            assertTrue(text.contains("* Task(name='leaf'") && text.contains("+ Awaited by:")
                    && text.contains("   * Task(name='middle'"), text);
            e.set();
            middle.await();
        });
    }

    @Test
    void theCurrentTaskSeesItsCallerFramesAndNoGraphOutsideATask() {
        assertNull(AsyncIO.captureCallGraph());
        AsyncIO.run(() -> {
            FutureCallGraph g = AsyncIO.captureCallGraph();
            assertSame(AsyncIO.currentTask(), g.future());
            assertTrue(mentions(g.callStack(), "lambda$theCurrentTaskSeesItsCallerFramesAndNoGraphOutsideATask$0"),
                    g.format());
        });
    }

    @Test
    void gatherAndTaskGroupChildrenAreAwaitedByTheirParents() {
        AsyncIO.run(() -> {
            Event e = new Event();
            Task<?> main = AsyncIO.currentTask();
            Task<Object> child = AsyncIO.createTask(() -> {
                e.await();
                return null;
            }, "child");
            Future<List<Object>> all = AsyncIO.gather(child);
            Task<List<Object>> gatherer = AsyncIO.createTask(() -> all.await(), "gatherer");
            TaskGroup.run(tg -> {
                Task<Void> inGroup = tg.createTask(() -> e.await());
                AsyncIO.sleep(0);
                FutureCallGraph g = AsyncIO.captureCallGraph(inGroup);
                assertSame(main, g.awaitedBy().get(0).future(), g.format());
                FutureCallGraph c = AsyncIO.captureCallGraph(child);
                assertSame(all, c.awaitedBy().get(0).future(), c.format());
                assertSame(gatherer, c.awaitedBy().get(0).awaitedBy().get(0).future(), c.format());
                e.set();
            });
            gatherer.await();
            assertTrue(child.awaitedBy().isEmpty());
        });
    }

    @Test
    void discardFromAwaitedByTakesTheRecordBack() {
        AsyncIO.run(() -> {
            Future<Void> f = AsyncIO.getRunningLoop().createFuture();
            Future<Void> waiter = AsyncIO.getRunningLoop().createFuture();
            f.addToAwaitedBy(waiter);
            assertEquals(List.of(waiter), f.awaitedBy());
            assertTrue(f.toString().indexOf("callbacks") < 0, f.toString());
            f.discardFromAwaitedBy(waiter);
            assertEquals(List.of(), f.awaitedBy());
        });
    }

    @Test
    void aCycleOfTasksAwaitingEachOtherIsCutWhereItCloses() {
        // cancelling either task would recurse through the other (as in asyncio), so the
        // loop is closed with both pending instead
        EventLoop loop = new EventLoop();
        loop.setExceptionHandler((l, context) -> { });
        try {
            Task<?>[] other = new Task<?>[1];
            Task<Object> a = loop.createTask(() -> other[0].await(), "a");
            Task<Object> b = loop.createTask(() -> a.await(), "b");
            other[0] = b;
            loop.runUntilComplete(loop.createTask(() -> AsyncIO.sleep(0)));
            FutureCallGraph g = AsyncIO.captureCallGraph(a);
            assertSame(b, g.awaitedBy().get(0).future());
            assertSame(a, g.awaitedBy().get(0).awaitedBy().get(0).future());
            assertTrue(g.awaitedBy().get(0).awaitedBy().get(0).awaitedBy().isEmpty());
        } finally {
            loop.close();
        }
    }
}
