package org.asyncio4j.combinators;

import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/** Shorthands the combinator tests share; all of them must be called inside a task. */
final class Running {
    private Running() {
    }

    /** @return the running loop */
    static EventLoop loop() {
        return AsyncIO.getRunningLoop();
    }

    /** @return the running loop's (virtual) time */
    static double now() {
        return loop().time();
    }

    /** @return a task that returns {@code value} after {@code seconds} */
    static Task<String> after(double seconds, String value) {
        return AsyncIO.createTask(() -> AsyncIO.sleep(seconds, value));
    }
}
