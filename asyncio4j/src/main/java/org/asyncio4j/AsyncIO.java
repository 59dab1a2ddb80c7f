package org.asyncio4j;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.asyncio4j.combinators.Gather;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Sleep;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.VoidCoroutine;
import org.asyncio4j.loop.EventLoop;

/**
 * asyncio's module-level functions, as static methods: the usual entry point.
 *
 * <pre>{@code
 * import static org.asyncio4j.AsyncIO.*;
 *
 * public static void main(String[] args) {
 *     run(() -> {
 *         Task<String> a = createTask(() -> { sleep(1); return "a"; });
 *         Task<String> b = createTask(() -> { sleep(1); return "b"; });
 *         System.out.println(gather(a, b).await());   // [a, b] after one second
 *     });
 * }
 * }</pre>
 *
 * <p>Every method marked <em>suspending</em> must be called inside a task (for example
 * inside {@link #run}); called elsewhere it fails at once with an
 * {@link IllegalStateException} and never blocks the thread.
 */
public final class AsyncIO {
    private AsyncIO() {
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs {@code main} on a new event loop and returns its result (asyncio's
     * {@code asyncio.run}): creates the loop, runs {@code main} as a task, then cancels the
     * tasks left over, waits for them, shuts the default executor down and closes the loop.
     * Exceptions of {@code main} are rethrown unchanged.
     *
     * @param main the main coroutine
     * @param <T> the result type
     * @return what {@code main} returned
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, false);
    }

    /**
     * {@link #run(Coroutine)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     */
    public static void run(VoidCoroutine main) {
        run(Coroutine.of(main), false);
    }

    /**
     * {@link #run(Coroutine)}, with the loop in debug mode if {@code debug}.
     *
     * @param main the main coroutine
     * @param debug whether to run the loop in debug mode
     * @param <T> the result type
     * @return what {@code main} returned
     */
    public static <T> T run(Coroutine<T> main, boolean debug) {
        if (EventLoop.peekRunningLoop() != null) {
            throw new IllegalStateException("AsyncIO.run() cannot be called from a running event loop; "
                    + "inside a task, use createTask(...) and await it");
        }
        try (Runner runner = new Runner(debug)) {
            return runner.run(main);
        }
    }

    /**
     * {@link #run(Coroutine, boolean)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     * @param debug whether to run the loop in debug mode
     */
    public static void run(VoidCoroutine main, boolean debug) {
        run(Coroutine.of(main), debug);
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * Suspending: pauses the current task for {@code delay} seconds (asyncio's
     * {@code asyncio.sleep}). {@code sleep(0)} yields to the loop for exactly one iteration.
     *
     * <p>Cancellation: raises {@link org.asyncio4j.future.CancelledError} here; the timer is
     * cancelled and nothing is left behind.
     *
     * @param delay seconds; not NaN
     * @throws IllegalStateException if called outside a task
     */
    public static void sleep(double delay) {
        Sleep.sleep(delay, null);
    }

    /**
     * Suspending: {@link #sleep(double)}, then returns {@code result}.
     *
     * @param delay seconds; not NaN
     * @param result what to return
     * @param <T> the result type
     * @return {@code result}
     */
    public static <T> T sleep(double delay, T result) {
        return Sleep.sleep(delay, result);
    }

    /**
     * Suspending: {@link #sleep(double)} with a {@link Duration}.
     *
     * @param delay how long
     */
    public static void sleep(Duration delay) {
        Sleep.sleep(delay.toNanos() * 1e-9, null);
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Wraps {@code coro} in a task of the running loop (asyncio's {@code asyncio.create_task}).
     * The loop holds the task until it finishes, so it is never lost.
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the task, scheduled to start at the next iteration
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coro) {
        return EventLoop.getRunningLoop().createTask(coro);
    }

    /**
     * {@link #createTask(Coroutine)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @return the task
     */
    public static Task<Void> createTask(VoidCoroutine coro) {
        return EventLoop.getRunningLoop().createTask(coro);
    }

    /**
     * {@link #createTask(Coroutine)} with a name.
     *
     * @param coro the coroutine
     * @param name the task's name
     * @param <T> the result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return EventLoop.getRunningLoop().createTask(coro, name);
    }

    /**
     * Returns {@code future} itself (asyncio's {@code ensure_future} on a future).
     *
     * @param future a future or task
     * @param <T> the result type
     * @return {@code future}
     */
    public static <T> Future<T> ensureFuture(Future<T> future) {
        if (future == null) {
            throw new NullPointerException("future must not be null");
        }
        return future;
    }

    /**
     * Wraps {@code coro} in a task of the running loop (asyncio's {@code ensure_future} on a
     * coroutine).
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the task
     */
    public static <T> Future<T> ensureFuture(Coroutine<T> coro) {
        return createTask(coro);
    }

    /**
     * @return the task running on this thread, or {@code null} (asyncio's
     *     {@code asyncio.current_task})
     */
    public static Task<?> currentTask() {
        EventLoop loop = EventLoop.peekRunningLoop();
        return loop == null ? null : loop.currentTask();
    }

    /**
     * @return the running loop's tasks that are not done (asyncio's {@code asyncio.all_tasks})
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static Set<Task<?>> allTasks() {
        return EventLoop.getRunningLoop().allTasks();
    }

    // ---------------------------------------------------------------- loops

    /**
     * @return the loop running on this thread (asyncio's {@code asyncio.get_running_loop})
     * @throws IllegalStateException if none is
     */
    public static EventLoop getRunningLoop() {
        return EventLoop.getRunningLoop();
    }

    /** @return a new event loop (asyncio's {@code asyncio.new_event_loop}) */
    public static EventLoop newEventLoop() {
        return EventLoop.newEventLoop();
    }

    /**
     * @return the coroutine engine of this JVM: {@code "continuation"} (the fast default,
     *     needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}) or
     *     {@code "virtual-thread"} (the fallback); no asyncio counterpart
     */
    public static String coroutineEngine() {
        return Task.engineName();
    }

    // ---------------------------------------------------------------- gather

    /**
     * Suspending when awaited: a future of the results of {@code futures}, in order
     * (asyncio's {@code asyncio.gather}). The first failure fails the whole; the other
     * children keep running. Cancelling the returned future cancels every child.
     *
     * @param futures futures or tasks of one loop
     * @param <T> the common result type
     * @return the gathering future
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return Gather.gather(futures);
    }

    /**
     * {@link #gather(Future[])} for a list.
     *
     * @param futures futures or tasks of one loop
     * @param <T> the common result type
     * @return the gathering future
     */
    public static <T> Future<List<T>> gather(List<? extends Future<? extends T>> futures) {
        return Gather.gather(futures);
    }

    /**
     * {@code gather(..., return_exceptions=...)}: with {@code returnExceptions}, each child's
     * exception (or {@link org.asyncio4j.future.CancelledError}) takes its place in the
     * results instead of failing the whole.
     *
     * @param returnExceptions whether to return exceptions as results
     * @param futures futures or tasks of one loop
     * @return the gathering future
     */
    public static Future<List<Object>> gather(boolean returnExceptions, List<? extends Future<?>> futures) {
        return Gather.gather(returnExceptions, futures);
    }

    /**
     * {@link #gather(boolean, List)} for an array of futures.
     *
     * @param returnExceptions whether to return exceptions as results
     * @param futures futures or tasks of one loop
     * @return the gathering future
     */
    public static Future<List<Object>> gather(boolean returnExceptions, Future<?>... futures) {
        return Gather.gather(returnExceptions, List.of(futures));
    }

    /**
     * Wraps each coroutine in a task and gathers their results (asyncio's
     * {@code gather(coro1, coro2, ...)}).
     *
     * @param coros the coroutines
     * @param <T> the common result type
     * @return the gathering future
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Coroutine<? extends T>... coros) {
        return Gather.gatherCoroutines(coros);
    }

    // ---------------------------------------------------------------- threads and interop

    /**
     * Submits {@code coro} to {@code loop} from any other thread and returns a
     * {@link CompletableFuture} of its result (asyncio's {@code run_coroutine_threadsafe}).
     * Cancelling the returned future cancels the task.
     *
     * @param coro the coroutine
     * @param loop a loop running on another thread
     * @param <T> the result type
     * @return a future completed with the task's outcome
     * @throws IllegalStateException if the loop is closed
     */
    public static <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coro, EventLoop loop) {
        if (coro == null || loop == null) {
            throw new NullPointerException("coro and loop must not be null");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return;
            }
            Task<T> task;
            try {
                task = loop.createTask(coro);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                throw t;
            }
            CompletableFuture<T> chained = task.toCompletableFuture();
            chained.whenComplete((v, e) -> {
                if (e == null) {
                    result.complete(v);
                } else {
                    result.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
            });
            result.whenComplete((v, e) -> {
                if (result.isCancelled() && !loop.isClosed()) {
                    loop.callSoonThreadsafe(task::cancel);
                }
            });
        });
        return result;
    }

    /**
     * A future of the running loop that completes when {@code cf} does (asyncio's
     * {@code wrap_future}). Cancelling the returned future cancels {@code cf}; cancelling
     * {@code cf} cancels it.
     *
     * @param cf a CompletableFuture completed by any thread
     * @param <T> the result type
     * @return a future of the running loop
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> Future<T> wrapFuture(CompletableFuture<T> cf) {
        EventLoop loop = EventLoop.getRunningLoop();
        Future<T> f = loop.createFuture();
        f.addDoneCallback(done -> {
            if (done.cancelled()) {
                cf.cancel(false);
            }
        });
        cf.whenComplete((v, e) -> {
            if (!loop.isClosed()) {
                try {
                    loop.callSoonThreadsafe(() -> copy(cf, f));
                } catch (IllegalStateException closed) {
                    // the loop closed meanwhile; nobody can await f any more
                }
            }
        });
        return f;
    }

    private static <T> void copy(CompletableFuture<T> cf, Future<T> target) {
        if (target.done()) {
            return;
        }
        try {
            target.setResult(cf.join());
        } catch (CancellationException e) {
            target.cancel(e.getMessage());
        } catch (CompletionException e) {
            target.setException(e.getCause() == null ? e : e.getCause());
        }
    }
}
