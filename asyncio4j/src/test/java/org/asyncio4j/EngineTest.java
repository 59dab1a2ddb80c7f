package org.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.asyncio4j.future.ContextVar;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;

/** Each surefire execution pins the engine it expects; this test checks the automatic choice. */
class EngineTest {
    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final ContextVar<String> VAR = new ContextVar<>("engine-test-var", null);

    @Test
    void theExpectedEngineIsChosenAutomatically() {
        String expected = System.getProperty("asyncio4j.test.expectEngine");
        assumeTrue(expected != null, "run through the build, which sets asyncio4j.test.expectEngine");
        assertEquals(expected, AsyncIO.coroutineEngine());
    }

    /**
     * What the README's decision on ThreadLocal says: the continuation engine runs every task
     * on the loop's thread (one ThreadLocal value for all); the virtual-thread engine gives
     * each task a virtual thread of its own. A ContextVar behaves the same on both.
     */
    @Test
    void threadLocalsAndTheCurrentThreadDependOnTheEngineWhileContextVarsDoNot() {
        boolean continuation = "continuation".equals(AsyncIO.coroutineEngine());
        AsyncIO.run(() -> {
            Thread main = Thread.currentThread();
            LOCAL.set("main");
            VAR.set("main");
            Task<Thread> other = AsyncIO.createTask(() -> {
                assertEquals("main", VAR.get(), "a task starts in a copy of its creator's context");
                VAR.set("other");
                assertEquals(continuation ? "main" : null, LOCAL.get());
                LOCAL.set("other");
                return Thread.currentThread();
            });
            Thread otherThread = other.await();
            assertEquals("main", VAR.get(), "what a task sets stays in its context");
            if (continuation) {
                assertSame(main, otherThread, "every task runs on the loop's thread");
                assertEquals("other", LOCAL.get(), "one ThreadLocal value, shared by the loop's tasks");
            } else {
                assertNotSame(main, otherThread, "each task runs on a thread of its own");
                assertTrue(otherThread.isVirtual());
                assertEquals("main", LOCAL.get(), "a ThreadLocal is per task");
            }
            LOCAL.remove();
        });
        assertNull(LOCAL.get());
    }
}
