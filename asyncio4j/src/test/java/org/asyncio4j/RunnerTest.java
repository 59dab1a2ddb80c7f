package org.asyncio4j;

import static org.asyncio4j.Errors.assertError;
import static org.asyncio4j.Errors.assertThrowsWith;
import static org.asyncio4j.Errors.caught;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Runner}: several coroutines on one loop, then a clean shutdown. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunnerTest {

    @Test
    void aRunnerRunsSeveralCoroutinesOnOneLoop() {
        try (Runner runner = new Runner()) {
            EventLoop first = runner.run(AsyncIO::getRunningLoop);
            EventLoop second = runner.run(AsyncIO::getRunningLoop);
            assertSame(first, second);
            assertSame(first, runner.getLoop());
            assertEquals(3, runner.run(() -> 1 + 2));
            AtomicBoolean ran = new AtomicBoolean();
            runner.run(() -> ran.set(true));
            assertTrue(ran.get());
        }
    }

    @Test
    void aTaskStartedInOneRunGoesOnInTheNext() {
        try (Runner runner = new Runner()) {
            AtomicReference<Task<String>> background = new AtomicReference<>();
            runner.run(() -> background.set(AsyncIO.createTask(() -> {
                AsyncIO.sleep(0);
                AsyncIO.sleep(0);
                return "finished later";
            })));
            assertFalse(background.get().done());
            assertEquals("finished later", runner.run(() -> background.get().await()));
        }
    }

    @Test
    void runRethrowsTheVeryExceptionAndTheRunnerStaysUsable() {
        IOException boom = new IOException("boom");
        try (Runner runner = new Runner()) {
            Coroutine<String> fails = () -> {
                throw boom;
            };
            assertSame(boom, caught(() -> runner.run(fails)));
            assertEquals("usable", runner.run(() -> "usable"));
        }
    }

    @Test
    void closeCancelsLeftoverTasksAndClosesTheLoop() {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        Runner runner = new Runner();
        runner.run(() -> {
            AsyncIO.createTask(() -> {
                try {
                    AsyncIO.getRunningLoop().createFuture().await();
                } finally {
                    cleanedUp.set(true);
                }
            });
            AsyncIO.sleep(0);
        });
        EventLoop loop = runner.getLoop();
        runner.close();
        assertTrue(cleanedUp.get());
        assertTrue(loop.isClosed());
        assertTrue(runner.toString().contains("closed"), runner.toString());
        runner.close(); // idempotent
    }

    @Test
    void aClosedRunnerRefusesWithAClearMessage() {
        Runner runner = new Runner();
        runner.close(); // never used: closes at once
        assertThrowsWith(IllegalStateException.class, () -> runner.run(() -> 1), "runner is closed");
        assertThrowsWith(IllegalStateException.class, runner::getLoop, "runner is closed");

        Runner used = new Runner();
        used.run(() -> 1);
        used.close();
        assertThrowsWith(IllegalStateException.class, () -> used.run(() -> 1), "runner is closed");
        assertThrowsWith(NullPointerException.class, () -> new Runner().run((Coroutine<Object>) null), "coro");
    }

    @Test
    void runInsideARunningLoopFailsClearlyAndLeavesTheOuterLoopUsable() {
        try (Runner outer = new Runner(); Runner inner = new Runner()) {
            String r = outer.run(() -> {
                assertError(IllegalStateException.class, caught(() -> inner.run(() -> 1)),
                        "cannot be called from a running event loop", "createTask");
                AsyncIO.sleep(0);
                return "outer went on";
            });
            assertEquals("outer went on", r);
            assertEquals(2, inner.run(() -> 2), "the refused runner is still usable afterwards");
        }
    }

    @Test
    void aRunnerInDebugModeRunsItsLoopInDebugMode() {
        try (Runner runner = new Runner(true)) {
            assertTrue(runner.getLoop().getDebug());
            assertTrue(runner.toString().contains("debug=true"), runner.toString());
        }
        try (Runner runner = new Runner()) {
            assertEquals(Boolean.getBoolean("asyncio4j.debug"), runner.getLoop().getDebug());
        }
    }
}
