package org.asyncio4j.debug;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.asyncio4j.loop.EventLoop;

/**
 * Runs a read of a loop's state on the loop's thread, from any thread, and waits for the
 * answer up to a timeout (task dumps, the JMX view). A loop that does not answer is blocked:
 * the error then carries the stack of what holds it.
 */
final class OnLoopThread {
    private OnLoopThread() {
    }

    /**
     * @param loop the loop
     * @param what what to read; runs on the loop's thread, or here if the loop is not
     *     running or this is its thread
     * @param timeout how long to wait for the loop
     * @param <T> the result type
     * @return what {@code what} returned
     * @throws IllegalStateException if the loop does not answer in time (with the stack of
     *     what holds it), if it is closed, or if {@code what} failed
     */
    static <T> T call(EventLoop loop, Supplier<T> what, Duration timeout) {
        Thread loopThread = loop.runningThread();
        if (loopThread == null || EventLoop.peekRunningLoop() == loop) {
            return what.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                answer.complete(what.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
