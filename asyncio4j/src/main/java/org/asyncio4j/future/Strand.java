package org.asyncio4j.future;

/**
 * One coroutine's execution, as a {@link CoroutineEngine} runs it: the internal interface
 * between a {@link Task} and the engine underneath.
 *
 * <p>Protocol: the loop side calls {@link #resume()}, which returns when the coroutine
 * side calls {@link #suspend()} or its body returns. Exactly one side runs at a time, so
 * the coroutine sees the loop's state as if it ran on the loop thread, and the loop sees
 * every write the coroutine made before it suspended.
 */
interface Strand {
    /** Loop side: runs the coroutine until it suspends or finishes. */
    void resume();

    /**
     * Coroutine side: gives control back to whoever called {@link #resume()}.
     *
     * @param debug whether the loop is in debug mode (then the continuation engine also
     *     refuses a suspension with a monitor held)
     * @throws IllegalStateException if the coroutine cannot suspend here: its stack is
     *     pinned (a class initializer or native frame), or it is out of stack; the
     *     coroutine then still has its turn, and nothing changed on the loop side
     */
    void suspend(boolean debug);

    /** @return whether the body has returned (normally or not) */
    boolean isDone();

    /**
     * Loop side, while the coroutine is suspended: its frames, innermost first (for call
     * graphs and task dumps; costs a stack walk, never paid unless asked).
     *
     * @return the frames, or an empty array once done
     */
    StackTraceElement[] stackTrace();

    /**
     * @return the thread the coroutine runs on when it is not the resumer's (the
     *     virtual-thread engine's own thread), else {@code null}
     */
    Thread thread();
}
