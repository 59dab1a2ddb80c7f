package org.asyncio4j.debug;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.asyncio4j.loop.EventLoop;

/**
 * Runs a read of a loop's state on the loop's thread, from any thread, and waits for the
 * answer (task dumps, the JMX view). A loop that does not take the read up within a
 * timeout is blocked: the error then carries the stack of what holds it. Once the loop has
 * taken it up, the read is waited for to its end, however long (the snapshot of a million
 * tasks takes a moment), since the loop is known to answer.
 */
final class OnLoopThread {
    private OnLoopThread() {
    }

    /**
     * @param loop the loop
     * @param what what to read; runs on the loop's thread, or here if the loop is not
     *     running or this is its thread
     * @param timeout how long to wait for the loop to start {@code what}
     * @param <T> the result type
     * @return what {@code what} returned
     * @throws IllegalStateException if the loop does not start {@code what} in time (with
     *     the stack of what holds it), if it is closed, or if {@code what} failed
     */
    static <T> T call(EventLoop loop, Supplier<T> what, Duration timeout) {
        Thread loopThread = loop.runningThread();
        if (loopThread == null || EventLoop.peekRunningLoop() == loop) {
            return what.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        loop.callSoonThreadsafe(() -> {
            started.set(true);
            try {
                answer.complete(what.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            try {
                return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (started.get()) {
                    return answer.get(); // the loop answers; the read itself is long
                }
                throw e;
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the event loop did not answer within " + timeout.toMillis()
                    + " ms: a callback or task step is holding its thread " + loopThread.getName() + ", at:"
                    + LoopStack.of(loop, loopThread));
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the event loop's state failed on its thread", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loop to answer", e);
        }
    }
}
