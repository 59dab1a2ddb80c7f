package org.asyncio4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.asyncio4j.combinators.AsCompleted;
import org.asyncio4j.combinators.EagerTaskFactory;
import org.asyncio4j.combinators.Gather;
import org.asyncio4j.combinators.ReturnWhen;
import org.asyncio4j.combinators.Shield;
import org.asyncio4j.combinators.Timeout;
import org.asyncio4j.combinators.ToThread;
import org.asyncio4j.combinators.Wait;
import org.asyncio4j.combinators.WaitFor;
import org.asyncio4j.combinators.WaitResult;
import org.asyncio4j.future.CheckedCallable;
import org.asyncio4j.future.CheckedRunnable;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.FutureCallGraph;
import org.asyncio4j.future.Sleep;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.VoidCoroutine;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.TaskFactory;
import org.asyncio4j.net.BaseProtocol;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.ConnectionOptions;
import org.asyncio4j.net.DatagramOptions;
import org.asyncio4j.net.DatagramProtocol;
import org.asyncio4j.net.DatagramTransport;
import org.asyncio4j.net.Network;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.net.Transport;
import org.asyncio4j.stream.ClientConnected;
import org.asyncio4j.stream.StreamPair;
import org.asyncio4j.stream.Streams;
import org.asyncio4j.net.nio.Datagram;
import org.asyncio4j.net.nio.Sendfile;
import org.asyncio4j.net.nio.SocketOps;
import org.asyncio4j.net.Protocol;
import org.asyncio4j.net.ReadTransport;
import org.asyncio4j.process.Pipes;
import org.asyncio4j.process.Process;
import org.asyncio4j.process.Signal;
import org.asyncio4j.process.SignalHandlers;
import org.asyncio4j.process.Subprocess;
import org.asyncio4j.process.SubprocessOptions;
import org.asyncio4j.process.SubprocessProtocol;
import org.asyncio4j.process.SubprocessTransport;

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
     * Exceptions of {@code main} are rethrown unchanged, and {@code throws E} declares its
     * checked exception, inferred from the lambda ({@link CheckedCallable}), so a
     * {@code catch} of it compiles. On the main thread, Ctrl-C cancels {@code main} and then
     * throws {@link org.asyncio4j.process.KeyboardInterrupt}, as asyncio 3.11+ (see
     * {@link Runner}).
     *
     * @param main the main coroutine
     * @param <T> the result type
     * @param <E> the checked exception {@code main} may throw
     * @return what {@code main} returned
     * @throws E what {@code main} threw
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T, E extends Exception> T run(CheckedCallable<T, E> main) throws E {
        return run(main, false);
    }

    /**
     * {@link #run(CheckedCallable)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     * @param <E> the checked exception {@code main} may throw
     * @throws E what {@code main} threw
     */
    public static <E extends Exception> void run(CheckedRunnable<E> main) throws E {
        run(CheckedCallable.of(main), false);
    }

    /**
     * {@link #run(CheckedCallable)}, with the loop in debug mode if {@code debug}.
     *
     * @param main the main coroutine
     * @param debug whether to run the loop in debug mode
     * @param <T> the result type
     * @param <E> the checked exception {@code main} may throw
     * @return what {@code main} returned
     * @throws E what {@code main} threw
     */
    public static <T, E extends Exception> T run(CheckedCallable<T, E> main, boolean debug) throws E {
        if (EventLoop.peekRunningLoop() != null) {
            throw new IllegalStateException("AsyncIO.run() cannot be called from a running event loop; "
                    + "inside a task, use createTask(...) and await it");
        }
        try (Runner runner = new Runner(debug)) {
            return runner.run(main);
        }
    }

    /**
     * {@link #run(CheckedCallable, boolean)} for a main coroutine that returns nothing.
     *
     * @param main the main coroutine
     * @param debug whether to run the loop in debug mode
     * @param <E> the checked exception {@code main} may throw
     * @throws E what {@code main} threw
     */
    public static <E extends Exception> void run(CheckedRunnable<E> main, boolean debug) throws E {
        run(CheckedCallable.of(main), debug);
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
        Sleep.sleep(delay); // five bytes of bytecode, so inlined at any call site: see Sleep.sleep(double, Object)
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
        Sleep.sleep(seconds(delay, "delay"));
    }

    /**
     * Suspending: {@link #sleep(double, Object)} with a {@link Duration}.
     *
     * @param delay how long
     * @param result what to return
     * @param <T> the result type
     * @return {@code result}
     */
    public static <T> T sleep(Duration delay, T result) {
        return Sleep.sleep(seconds(delay, "delay"), result);
    }

    /** A {@link Duration} in seconds, as the {@code double} overloads take (unlike {@code toNanos()}, never overflows). */
    private static double seconds(Duration d, String name) {
        if (d == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return d.getSeconds() + d.getNano() * 1e-9;
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
     * {@link #createTask(Coroutine, String)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @param name the task's name
     * @return the task
     */
    public static Task<Void> createTask(VoidCoroutine coro, String name) {
        if (coro == null) {
            throw new NullPointerException("coro must not be null");
        }
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
     *     needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} on the class path,
     *     {@code =org.asyncio4j} on the module path) or
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
     * {@link #runCoroutineThreadsafe(Coroutine, EventLoop)} for a coroutine that returns
     * nothing: the returned future completes with {@code null}.
     *
     * @param coro the coroutine
     * @param loop a loop running on another thread
     * @return a future completed with the task's outcome
     * @throws IllegalStateException if the loop is closed
     */
    public static CompletableFuture<Void> runCoroutineThreadsafe(VoidCoroutine coro, EventLoop loop) {
        if (coro == null) {
            throw new NullPointerException("coro and loop must not be null");
        }
        return runCoroutineThreadsafe(Coroutine.of(coro), loop);
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

    // ---------------------------------------------------------------- waiting, timeouts, structured concurrency
    // wait, waitFor, asCompleted, shield, timeout/timeoutAt, eager tasks, toThread (issue 3).
    // Implementations live in org.asyncio4j.combinators; TaskGroup is used directly.

    /** {@link #wait(Collection, double, ReturnWhen)} returns when any future is done (asyncio's {@code FIRST_COMPLETED}). */
    public static final ReturnWhen FIRST_COMPLETED = ReturnWhen.FIRST_COMPLETED;
    /** {@link #wait(Collection, double, ReturnWhen)} returns when any future raises, or all are done (asyncio's {@code FIRST_EXCEPTION}). */
    public static final ReturnWhen FIRST_EXCEPTION = ReturnWhen.FIRST_EXCEPTION;
    /** {@link #wait(Collection, double, ReturnWhen)} returns when every future is done (asyncio's {@code ALL_COMPLETED}). */
    public static final ReturnWhen ALL_COMPLETED = ReturnWhen.ALL_COMPLETED;

    /**
     * Suspending: waits until {@code returnWhen} holds for {@code futures} or
     * {@code timeout} seconds pass, and returns the done and the pending futures (asyncio's
     * {@code asyncio.wait}). Never cancels anything, never raises {@code TimeoutError}.
     * Call it qualified ({@code AsyncIO.wait}): inside a class, an unqualified {@code wait}
     * means {@link Object#wait()}.
     *
     * <p>Cancellation: {@link org.asyncio4j.future.CancelledError} is raised here; the
     * futures keep running and carry no callback of {@code wait}.
     *
     * @param futures futures or tasks of the running loop; not empty
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param returnWhen {@link #FIRST_COMPLETED}, {@link #FIRST_EXCEPTION} or {@link #ALL_COMPLETED}
     * @param <F> the future type
     * @return the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty or {@code timeout} is NaN
     * @throws NullPointerException if {@code returnWhen} is null
     * @see Wait
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures, double timeout,
            ReturnWhen returnWhen) {
        return Wait.wait(futures, timeout, returnWhen);
    }

    /**
     * Suspending: {@link #wait(Collection, double, ReturnWhen)} with {@link #ALL_COMPLETED}.
     * Cancellation: as there; the futures keep running.
     *
     * @param futures futures or tasks of the running loop; not empty
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none
     * @param <F> the future type
     * @return the done and the pending futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures, double timeout) {
        return Wait.wait(futures, timeout, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Suspending: {@link #wait(Collection, double, ReturnWhen)} with a {@link Duration}.
     * Cancellation: as there; the futures keep running.
     *
     * @param futures futures or tasks of the running loop; not empty
     * @param timeout how long
     * @param returnWhen when to return
     * @param <F> the future type
     * @return the done and the pending futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures, Duration timeout,
            ReturnWhen returnWhen) {
        return Wait.wait(futures, seconds(timeout, "timeout"), returnWhen);
    }

    /**
     * Suspending: {@link #wait(Collection, double)} with a {@link Duration}.
     * Cancellation: as there; the futures keep running.
     *
     * @param futures futures or tasks of the running loop; not empty
     * @param timeout how long
     * @param <F> the future type
     * @return the done and the pending futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures, Duration timeout) {
        return Wait.wait(futures, seconds(timeout, "timeout"), ReturnWhen.ALL_COMPLETED);
    }

    /**
     * Suspending: {@link #wait(Collection, double, ReturnWhen)} without timeout.
     * Cancellation: as there; the futures keep running.
     *
     * @param futures futures or tasks of the running loop; not empty
     * @param returnWhen when to return
     * @param <F> the future type
     * @return the done and the pending futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures, ReturnWhen returnWhen) {
        return Wait.wait(futures, Double.POSITIVE_INFINITY, returnWhen);
    }

    /**
     * Suspending: {@link #wait(Collection, double, ReturnWhen)} until all are done, without timeout.
     * Cancellation: as there; the futures keep running.
     *
     * @param futures futures or tasks of the running loop; not empty
     * @param <F> the future type
     * @return the done futures (all of them) and an empty pending set
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<? extends F> futures) {
        return Wait.wait(futures);
    }

    /**
     * Suspending: awaits {@code fut} for at most {@code timeout} seconds (asyncio's
     * {@code asyncio.wait_for}, Python 3.12 semantics): on timeout the future is cancelled,
     * waited for, and {@link org.asyncio4j.future.TimeoutError} is raised; a result that
     * arrived in the same iteration as the timeout is returned instead.
     *
     * <p>Cancellation: the future is cancelled too; once it is done,
     * {@link org.asyncio4j.future.CancelledError} is raised here.
     *
     * @param fut a future or task of the running loop
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none; zero or negative:
     *     already expired; not NaN
     * @param <T> the result type
     * @return the future's result
     * @see WaitFor
     */
    public static <T> T waitFor(Future<T> fut, double timeout) {
        return WaitFor.waitFor(fut, timeout);
    }

    /**
     * Suspending: {@link #waitFor(Future, double)} with a {@link Duration}. Cancellation: as
     * there; the future is cancelled too.
     *
     * @param fut a future or task of the running loop
     * @param timeout how long
     * @param <T> the result type
     * @return the future's result
     */
    public static <T> T waitFor(Future<T> fut, Duration timeout) {
        return WaitFor.waitFor(fut, seconds(timeout, "timeout"));
    }

    /**
     * Suspending: runs {@code coro} in the current task under a deadline {@code timeout}
     * seconds away (asyncio's {@code asyncio.wait_for(coro, timeout)}).
     *
     * <p>Cancellation: the coroutine sees it at its current await; what it does about it
     * propagates here.
     *
     * @param coro the coroutine
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param <T> the result type
     * @param <E> the checked exception {@code coro} may throw (see {@link CheckedCallable})
     * @return what {@code coro} returned
     * @throws E what {@code coro} threw, unchanged
     * @see WaitFor#waitFor(CheckedCallable, double)
     */
    public static <T, E extends Exception> T waitFor(CheckedCallable<T, E> coro, double timeout) throws E {
        return WaitFor.waitFor(coro, timeout);
    }

    /**
     * Suspending: {@link #waitFor(CheckedCallable, double)} for a coroutine that returns
     * nothing. Cancellation: as there.
     *
     * @param coro the coroutine
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param <E> the checked exception {@code coro} may throw
     * @throws E what {@code coro} threw, unchanged
     */
    public static <E extends Exception> void waitFor(CheckedRunnable<E> coro, double timeout) throws E {
        WaitFor.waitFor(CheckedCallable.of(coro), timeout);
    }

    /**
     * Suspending: {@link #waitFor(CheckedCallable, double)} with a {@link Duration}.
     * Cancellation: as there.
     *
     * @param coro the coroutine
     * @param timeout how long
     * @param <T> the result type
     * @param <E> the checked exception {@code coro} may throw
     * @return what {@code coro} returned
     * @throws E what {@code coro} threw, unchanged
     */
    public static <T, E extends Exception> T waitFor(CheckedCallable<T, E> coro, Duration timeout) throws E {
        return WaitFor.waitFor(coro, seconds(timeout, "timeout"));
    }

    /**
     * Suspending: {@link #waitFor(CheckedRunnable, double)} with a {@link Duration}.
     * Cancellation: as there.
     *
     * @param coro the coroutine
     * @param timeout how long
     * @param <E> the checked exception {@code coro} may throw
     * @throws E what {@code coro} threw, unchanged
     */
    public static <E extends Exception> void waitFor(CheckedRunnable<E> coro, Duration timeout) throws E {
        WaitFor.waitFor(CheckedCallable.of(coro), seconds(timeout, "timeout"));
    }

    /**
     * The futures in completion order, for a plain {@code for} loop inside a task (asyncio's
     * {@code asyncio.as_completed}, in Python 3.13's {@code async for} form: each element is
     * the original future, done). Each step of the loop suspends until the next one is done.
     *
     * <pre>{@code
     * for (Task<String> t : AsyncIO.asCompleted(tasks)) { use(t.result()); }
     * }</pre>
     *
     * @param futures futures or tasks of the running loop
     * @param <F> the future type
     * @return a one-shot iterable
     * @see AsCompleted
     */
    public static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<? extends F> futures) {
        return new AsCompleted<>(futures, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #asCompleted(Collection)} with a timeout, counted from now: once it passes,
     * each remaining step raises {@link org.asyncio4j.future.TimeoutError}; nothing is cancelled.
     *
     * @param futures futures or tasks of the running loop
     * @param timeout seconds; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param <F> the future type
     * @return a one-shot iterable
     */
    public static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<? extends F> futures, double timeout) {
        return new AsCompleted<>(futures, timeout);
    }

    /**
     * {@link #asCompleted(Collection, double)} with a {@link Duration}.
     *
     * @param futures futures or tasks of the running loop
     * @param timeout how long, counted from now
     * @param <F> the future type
     * @return a one-shot iterable
     */
    public static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<? extends F> futures, Duration timeout) {
        return new AsCompleted<>(futures, seconds(timeout, "timeout"));
    }

    /**
     * A future that completes like {@code fut} but whose cancellation does not reach it
     * (asyncio's {@code asyncio.shield}): a task awaiting it can be cancelled while
     * {@code fut} runs on.
     *
     * @param fut the future or task to protect
     * @param <T> the result type
     * @return {@code fut} if done, else the outer future
     * @see Shield
     */
    public static <T> Future<T> shield(Future<T> fut) {
        return Shield.shield(fut);
    }

    /**
     * Wraps {@code coro} in a task and shields it (asyncio's {@code asyncio.shield(coro)}).
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the outer future
     */
    public static <T> Future<T> shield(Coroutine<T> coro) {
        return Shield.shield(coro);
    }

    /**
     * {@link #shield(Coroutine)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @return the outer future, completed with {@code null}
     */
    public static Future<Void> shield(VoidCoroutine coro) {
        if (coro == null) {
            throw new NullPointerException("shield(): the coroutine must not be null");
        }
        return Shield.shield(Coroutine.of(coro));
    }

    /**
     * A deadline scope expiring {@code delay} seconds from now (asyncio's
     * {@code asyncio.timeout(delay)}); enter it with {@link Timeout#run}. Use this form
     * when the body needs the {@link Timeout} object ({@code reschedule}, {@code expired}).
     *
     * @param delay seconds; {@link Double#POSITIVE_INFINITY} for none; zero or negative:
     *     expires at the next iteration after entry; not NaN
     * @return the scope, not yet entered
     * @throws IllegalStateException if no loop is running on this thread
     * @see Timeout
     */
    public static Timeout timeout(double delay) {
        return Timeout.after(delay);
    }

    /**
     * {@link #timeout(double)} with a {@link Duration}.
     *
     * @param delay how long
     * @return the scope, not yet entered
     */
    public static Timeout timeout(Duration delay) {
        return Timeout.after(seconds(delay, "delay"));
    }

    /**
     * Suspending: runs {@code body} in the current task with a deadline {@code delay}
     * seconds away (asyncio's {@code async with asyncio.timeout(delay): ...}). On expiry the
     * task is cancelled, and the {@code CancelledError} the body ends with becomes a
     * {@link org.asyncio4j.future.TimeoutError}. This lambda form, rather than
     * try-with-resources, is the Java shape of {@code async with} here because
     * {@code close()} could not replace the body's exception (see {@link Timeout}).
     *
     * <pre>{@code
     * String page = AsyncIO.timeout(10, () -> fetch(url));
     * }</pre>
     *
     * <p>Cancellation: a cancellation from outside propagates as
     * {@link org.asyncio4j.future.CancelledError}, never as a timeout.
     *
     * @param delay seconds; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param body the code under the deadline
     * @param <T> the result type
     * @param <E> the checked exception {@code body} may throw (see {@link CheckedCallable})
     * @return what {@code body} returned
     * @throws E what {@code body} threw, unchanged
     */
    public static <T, E extends Exception> T timeout(double delay, CheckedCallable<T, E> body) throws E {
        return Timeout.after(delay).run(body);
    }

    /**
     * Suspending: {@link #timeout(double, CheckedCallable)} for a body that returns nothing.
     * Cancellation: as there.
     *
     * @param delay seconds; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param body the code under the deadline
     * @param <E> the checked exception {@code body} may throw
     * @throws E what {@code body} threw, unchanged
     */
    public static <E extends Exception> void timeout(double delay, CheckedRunnable<E> body) throws E {
        Timeout.after(delay).run(body);
    }

    /**
     * Suspending: {@link #timeout(double, CheckedCallable)} with a {@link Duration}.
     * Cancellation: as there.
     *
     * @param delay how long
     * @param body the code under the deadline
     * @param <T> the result type
     * @param <E> the checked exception {@code body} may throw
     * @return what {@code body} returned
     * @throws E what {@code body} threw, unchanged
     */
    public static <T, E extends Exception> T timeout(Duration delay, CheckedCallable<T, E> body) throws E {
        return Timeout.after(seconds(delay, "delay")).run(body);
    }

    /**
     * Suspending: {@link #timeout(double, CheckedRunnable)} with a {@link Duration}.
     * Cancellation: as there.
     *
     * @param delay how long
     * @param body the code under the deadline
     * @param <E> the checked exception {@code body} may throw
     * @throws E what {@code body} threw, unchanged
     */
    public static <E extends Exception> void timeout(Duration delay, CheckedRunnable<E> body) throws E {
        Timeout.after(seconds(delay, "delay")).run(body);
    }

    /**
     * A deadline scope expiring at loop time {@code when} (asyncio's
     * {@code asyncio.timeout_at(when)}).
     *
     * @param when a loop time ({@link EventLoop#time()}); {@link Double#POSITIVE_INFINITY}
     *     for none; not NaN
     * @return the scope, not yet entered
     */
    public static Timeout timeoutAt(double when) {
        return new Timeout(when);
    }

    /**
     * Suspending: {@link #timeout(double, CheckedCallable)} with a deadline in loop time
     * (asyncio's {@code async with asyncio.timeout_at(when): ...}). Cancellation: as there.
     *
     * @param when a loop time; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param body the code under the deadline
     * @param <T> the result type
     * @param <E> the checked exception {@code body} may throw
     * @return what {@code body} returned
     * @throws E what {@code body} threw, unchanged
     */
    public static <T, E extends Exception> T timeoutAt(double when, CheckedCallable<T, E> body) throws E {
        return new Timeout(when).run(body);
    }

    /**
     * Suspending: {@link #timeoutAt(double, CheckedCallable)} for a body that returns nothing.
     * Cancellation: as there.
     *
     * @param when a loop time; {@link Double#POSITIVE_INFINITY} for none; not NaN
     * @param body the code under the deadline
     * @param <E> the checked exception {@code body} may throw
     * @throws E what {@code body} threw, unchanged
     */
    public static <E extends Exception> void timeoutAt(double when, CheckedRunnable<E> body) throws E {
        new Timeout(when).run(body);
    }

    /**
     * The task factory whose tasks start eagerly, running synchronously inside
     * {@code createTask} until their first suspension (asyncio's
     * {@code asyncio.eager_task_factory}, Python 3.12). Install it with
     * {@code getRunningLoop().setTaskFactory(AsyncIO.eagerTaskFactory())}.
     *
     * @return the factory
     * @see EagerTaskFactory
     */
    public static TaskFactory eagerTaskFactory() {
        return EagerTaskFactory.eagerTaskFactory();
    }

    /**
     * An eager task factory making tasks with {@code constructor} (asyncio's
     * {@code asyncio.create_eager_task_factory}).
     *
     * @param constructor makes tasks of a custom class, honouring {@code eagerStart}
     * @return the factory
     */
    public static TaskFactory createEagerTaskFactory(EagerTaskFactory.TaskConstructor constructor) {
        return EagerTaskFactory.createEagerTaskFactory(constructor);
    }

    /**
     * Suspending: runs blocking {@code fn} on a virtual thread, in a copy of the current
     * context, and returns its result (asyncio's {@code asyncio.to_thread}).
     *
     * <p>Cancellation: raised here at once; a call already started runs on to its end (it
     * is never interrupted) and its result is dropped.
     *
     * @param fn the blocking call
     * @param <T> the result type
     * @param <E> the checked exception {@code fn} may throw (see {@link CheckedCallable})
     * @return what {@code fn} returned
     * @throws E what {@code fn} threw, unchanged
     * @see ToThread
     */
    public static <T, E extends Exception> T toThread(CheckedCallable<T, E> fn) throws E {
        return ToThread.toThread(fn);
    }

    /**
     * Suspending: {@link #toThread(CheckedCallable)} for a call without a result.
     * Cancellation: as there; a started call runs to its end.
     *
     * @param fn the blocking call
     * @param <E> the checked exception {@code fn} may throw
     * @throws E what {@code fn} threw, unchanged
     */
    public static <E extends Exception> void toThread(CheckedRunnable<E> fn) throws E {
        ToThread.toThread(fn);
    }

    // ---------------------------------------------------------------- networking (low level)

    /**
     * Suspending: opens a TCP connection on the running loop (asyncio's
     * {@code loop.create_connection(protocol_factory, host, port)}); see
     * {@link Network#createConnection(Supplier, String, int, ConnectionOptions)} for the
     * details and the cancellation behaviour.
     *
     * @param factory makes the connection's protocol
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param <P> the protocol type
     * @return the transport and the protocol, after {@code connectionMade} ran
     * @throws IOException if the name cannot be resolved or no address accepts
     */
    public static <P extends BaseProtocol> Connection<Transport, P> createConnection(Supplier<P> factory, String host,
            int port) throws IOException {
        return Network.createConnection(factory, host, port);
    }

    /**
     * Suspending: {@link #createConnection(Supplier, String, int)} with options (local
     * address, {@code TCP_NODELAY}, connect timeout).
     *
     * @param factory makes the connection's protocol
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param options the options
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException if the name cannot be resolved or no address accepts
     */
    public static <P extends BaseProtocol> Connection<Transport, P> createConnection(Supplier<P> factory, String host,
            int port, ConnectionOptions options) throws IOException {
        return Network.createConnection(factory, host, port, options);
    }

    /**
     * Suspending: listens on {@code host}:{@code port} (asyncio's {@code loop.create_server()});
     * see {@link Network#createServer(Supplier, String, int, ServerOptions)}.
     *
     * @param factory makes a protocol per connection
     * @param host a name or an IP literal, or {@code null} for every interface
     * @param port 0 to 65535; 0 picks a free port
     * @return the server, accepting
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server createServer(Supplier<? extends BaseProtocol> factory, String host, int port)
            throws IOException {
        return Network.createServer(factory, host, port);
    }

    /**
     * Suspending: {@link #createServer(Supplier, String, int)} with options (backlog, reuse,
     * start serving).
     *
     * @param factory makes a protocol per connection
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @param options the options
     * @return the server
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server createServer(Supplier<? extends BaseProtocol> factory, String host, int port,
            ServerOptions options) throws IOException {
        return Network.createServer(factory, host, port, options);
    }

    /**
     * Suspending: connects to a Unix-domain socket (asyncio's {@code loop.create_unix_connection()}).
     *
     * @param factory makes the connection's protocol
     * @param path the socket file
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if nothing listens there
     */
    public static <P extends BaseProtocol> Connection<Transport, P> createUnixConnection(Supplier<P> factory, Path path)
            throws IOException {
        return Network.createUnixConnection(factory, path);
    }

    /**
     * Suspending: listens on a Unix-domain socket (asyncio's {@code loop.create_unix_server()}).
     *
     * @param factory makes a protocol per connection
     * @param path the socket file, removed when the server closes
     * @return the server
     * @throws IOException if the path cannot be bound
     */
    public static Server createUnixServer(Supplier<? extends BaseProtocol> factory, Path path) throws IOException {
        return Network.createUnixServer(factory, path);
    }

    /**
     * Suspending: upgrades a live connection to TLS (asyncio's {@code loop.start_tls()}); see
     * {@link Network#startTls(Transport, BaseProtocol, javax.net.ssl.SSLContext, boolean, String)}.
     *
     * @param transport the plain transport; not to be used afterwards
     * @param protocol the protocol that goes on receiving, now decrypted
     * @param sslContext the TLS configuration
     * @param serverSide whether this side is the TLS server
     * @param serverHostname the name to check (client side), {@code ""} for no check
     * @return the TLS transport, after the handshake
     * @throws IOException if the handshake fails
     */
    public static Transport startTls(Transport transport, BaseProtocol protocol, javax.net.ssl.SSLContext sslContext,
            boolean serverSide, String serverHostname) throws IOException {
        return Network.startTls(transport, protocol, sslContext, serverSide, serverHostname);
    }

    /**
     * Suspending: opens a UDP endpoint (asyncio's {@code loop.create_datagram_endpoint()}).
     *
     * @param factory makes the endpoint's protocol
     * @param options local and remote address, broadcast, port reuse
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if the socket cannot be bound or connected
     */
    public static <P extends DatagramProtocol> Connection<DatagramTransport, P> createDatagramEndpoint(
            Supplier<P> factory, DatagramOptions options) throws IOException {
        return Network.createDatagramEndpoint(factory, options);
    }

    /**
     * Suspending: wraps a socket connected outside the loop (asyncio's
     * {@code loop.connect_accepted_socket()}); see
     * {@link Network#connectAcceptedSocket(Supplier, NetworkChannel)}.
     *
     * @param factory makes the connection's protocol
     * @param socket a connected {@link SocketChannel}; switched to non-blocking mode
     * @param <P> the protocol type
     * @return the transport and protocol, after {@code connectionMade} ran
     * @throws IOException if the socket cannot be set up
     */
    public static <P extends BaseProtocol> Connection<Transport, P> connectAcceptedSocket(Supplier<P> factory,
            NetworkChannel socket) throws IOException {
        return Network.connectAcceptedSocket(factory, socket);
    }

    /**
     * Suspending: resolves {@code host} off the loop thread (asyncio's {@code loop.getaddrinfo()});
     * see {@link Network#getaddrinfo(String, int)}. Cancellation: the lookup's answer is dropped.
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @return the addresses, in the resolver's order
     * @throws IOException if the name cannot be resolved
     */
    public static List<InetSocketAddress> getaddrinfo(String host, int port) throws IOException {
        return Network.getaddrinfo(host, port);
    }

    /**
     * Suspending: the host name of an address, by reverse lookup off the loop thread
     * (asyncio's {@code loop.getnameinfo()}); see {@link Network#getnameinfo(InetSocketAddress)}.
     *
     * @param address a resolved address
     * @return the host name, or the address's text when it has none
     */
    public static String getnameinfo(InetSocketAddress address) {
        return Network.getnameinfo(address);
    }

    /**
     * Suspending: reads up to {@code n} bytes from a non-blocking socket (asyncio's
     * {@code loop.sock_recv()}); see {@link SocketOps#sockRecv}. Cancellation: no reader
     * stays registered and no byte was taken.
     *
     * @param channel a non-blocking socket
     * @param n the most bytes to read
     * @param <C> the channel type
     * @return the bytes; empty at end of stream
     * @throws IOException if the read fails
     */
    public static <C extends SelectableChannel & ReadableByteChannel> byte[] sockRecv(C channel, int n)
            throws IOException {
        return SocketOps.sockRecv(channel, n);
    }

    /**
     * Suspending: reads into {@code buffer} (asyncio's {@code loop.sock_recv_into()}); see
     * {@link SocketOps#sockRecvInto}. Cancellation: no reader stays registered; the buffer
     * is unchanged.
     *
     * @param channel a non-blocking socket
     * @param buffer where to put the bytes
     * @param <C> the channel type
     * @return the bytes read; 0 at end of stream
     * @throws IOException if the read fails
     */
    public static <C extends SelectableChannel & ReadableByteChannel> int sockRecvInto(C channel, ByteBuffer buffer)
            throws IOException {
        return SocketOps.sockRecvInto(channel, buffer);
    }

    /**
     * Suspending: receives one datagram and its sender (asyncio's {@code loop.sock_recvfrom()});
     * see {@link SocketOps#sockRecvfrom}. Cancellation: no reader stays registered.
     *
     * @param channel a non-blocking datagram channel
     * @param n the largest datagram received whole
     * @return the datagram and its sender
     * @throws IOException if the receive fails
     */
    public static Datagram sockRecvfrom(DatagramChannel channel, int n) throws IOException {
        return SocketOps.sockRecvfrom(channel, n);
    }

    /**
     * Suspending: receives one datagram into {@code buffer} (asyncio's
     * {@code loop.sock_recvfrom_into()}); see {@link SocketOps#sockRecvfromInto}.
     * Cancellation: no reader stays registered; the buffer is unchanged.
     *
     * @param channel a non-blocking datagram channel
     * @param buffer where to put the datagram
     * @return the sender
     * @throws IOException if the receive fails
     */
    public static SocketAddress sockRecvfromInto(DatagramChannel channel, ByteBuffer buffer) throws IOException {
        return SocketOps.sockRecvfromInto(channel, buffer);
    }

    /**
     * Suspending: sends every byte of {@code data} (asyncio's {@code loop.sock_sendall()}); see
     * {@link SocketOps#sockSendall(SelectableChannel, ByteBuffer)}. Cancellation: no writer
     * stays registered; {@code data}'s position shows what was sent.
     *
     * @param channel a non-blocking socket
     * @param data the bytes
     * @param <C> the channel type
     * @throws IOException if a write fails
     */
    public static <C extends SelectableChannel & WritableByteChannel> void sockSendall(C channel, ByteBuffer data)
            throws IOException {
        SocketOps.sockSendall(channel, data);
    }

    /**
     * Suspending: sends all of {@code data} (asyncio's {@code loop.sock_sendall()}).
     * Cancellation: no writer stays registered; a prefix may have been sent.
     *
     * @param channel a non-blocking socket
     * @param data the bytes
     * @param <C> the channel type
     * @throws IOException if a write fails
     */
    public static <C extends SelectableChannel & WritableByteChannel> void sockSendall(C channel, byte[] data)
            throws IOException {
        SocketOps.sockSendall(channel, data);
    }

    /**
     * Suspending: sends one datagram (asyncio's {@code loop.sock_sendto()}); see
     * {@link SocketOps#sockSendto}. Cancellation: no writer stays registered; nothing was sent.
     *
     * @param channel a non-blocking datagram channel
     * @param data the datagram
     * @param address the destination
     * @return the bytes sent
     * @throws IOException if the send fails
     */
    public static int sockSendto(DatagramChannel channel, ByteBuffer data, SocketAddress address) throws IOException {
        return SocketOps.sockSendto(channel, data, address);
    }

    /**
     * Suspending: connects a non-blocking socket (asyncio's {@code loop.sock_connect()}); see
     * {@link SocketOps#sockConnect}. Cancellation: no writer stays registered; close the
     * channel, whose connect may still be in progress.
     *
     * @param channel a non-blocking, unconnected socket
     * @param address where to connect; an unresolved name is resolved off the loop
     * @throws IOException if the connect fails (the message names the address)
     */
    public static void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        SocketOps.sockConnect(channel, address);
    }

    /**
     * Suspending: accepts a connection (asyncio's {@code loop.sock_accept()}); see
     * {@link SocketOps#sockAccept}. Cancellation: no reader stays registered; no connection
     * was taken.
     *
     * @param channel a non-blocking server socket
     * @return the accepted connection, non-blocking
     * @throws IOException if accepting fails
     */
    public static SocketChannel sockAccept(ServerSocketChannel channel) throws IOException {
        return SocketOps.sockAccept(channel);
    }

    /**
     * Suspending: sends part of a file over a socket, zero-copy (asyncio's
     * {@code loop.sock_sendfile()}); see {@link SocketOps#sockSendfile(SocketChannel, FileChannel, long, long)}.
     * Cancellation: no writer stays registered; the file's position shows what was sent.
     *
     * @param channel a non-blocking, connected socket
     * @param file a file open for reading
     * @param offset where to start, {@code >= 0}
     * @param count how many bytes, {@code > 0}
     * @return the bytes sent
     * @throws IOException if reading or sending fails
     */
    public static long sockSendfile(SocketChannel channel, FileChannel file, long offset, long count)
            throws IOException {
        return SocketOps.sockSendfile(channel, file, offset, count);
    }

    /**
     * Suspending: sends part of a file over a transport (asyncio's {@code loop.sendfile()}):
     * zero-copy on TCP and Unix-domain transports, chunked writes otherwise; see
     * {@link Sendfile#sendfile(Transport, FileChannel, long, long)}. Cancellation: the
     * transport is given back as it was; the file's position shows what was sent.
     *
     * @param transport an open stream transport
     * @param file a file open for reading
     * @param offset where to start, {@code >= 0}
     * @param count how many bytes, {@code > 0}
     * @return the bytes sent
     * @throws IOException if reading or sending fails, or the connection is lost
     */
    public static long sendfile(Transport transport, FileChannel file, long offset, long count) throws IOException {
        return Sendfile.sendfile(transport, file, offset, count);
    }

    // ---------------------------------------------------------------- streams

    /**
     * Suspending: opens a TCP connection and returns its reader and writer (asyncio's
     * {@code asyncio.open_connection(host, port)}); see
     * {@link Streams#openConnection(String, int, ConnectionOptions, int)}.
     *
     * <pre>{@code
     * var conn = openConnection("127.0.0.1", 8888);
     * conn.writer().write("ping\n".getBytes(US_ASCII));
     * byte[] reply = conn.reader().readline();
     * }</pre>
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @return the reader and writer
     * @throws IOException if the name cannot be resolved or no address accepts
     */
    public static StreamPair openConnection(String host, int port) throws IOException {
        return Streams.openConnection(host, port);
    }

    /**
     * Suspending: {@link #openConnection(String, int)} with connection options.
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param options local address, {@code TCP_NODELAY}, connect timeout
     * @return the reader and writer
     * @throws IOException if the name cannot be resolved or no address accepts
     */
    public static StreamPair openConnection(String host, int port, ConnectionOptions options) throws IOException {
        return Streams.openConnection(host, port, options);
    }

    /**
     * Suspending: {@link #openConnection(String, int)} with connection options and the
     * reader's buffer limit (asyncio's {@code limit=}).
     *
     * @param host a name or an IP literal
     * @param port 0 to 65535
     * @param options the connection options
     * @param limit the reader's limit in bytes (64 KiB by default)
     * @return the reader and writer
     * @throws IOException if the name cannot be resolved or no address accepts
     */
    public static StreamPair openConnection(String host, int port, ConnectionOptions options, int limit)
            throws IOException {
        return Streams.openConnection(host, port, options, limit);
    }

    /**
     * Suspending: starts a stream server that runs {@code clientConnected} as a new task per
     * connection (asyncio's {@code asyncio.start_server(client_connected_cb, host, port)});
     * see {@link Streams#startServer(ClientConnected, String, int, ServerOptions, int)}.
     *
     * @param clientConnected {@code (reader, writer) -> ...}, may suspend
     * @param host a name or an IP literal, or {@code null} for every interface
     * @param port 0 to 65535; 0 picks a free port
     * @return the server, accepting
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server startServer(ClientConnected clientConnected, String host, int port) throws IOException {
        return Streams.startServer(clientConnected, host, port);
    }

    /**
     * Suspending: {@link #startServer(ClientConnected, String, int)} with server options and
     * each reader's limit.
     *
     * @param clientConnected {@code (reader, writer) -> ...}, may suspend
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @param options backlog, reuse, start serving
     * @param limit each reader's limit in bytes
     * @return the server
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server startServer(ClientConnected clientConnected, String host, int port, ServerOptions options,
            int limit) throws IOException {
        return Streams.startServer(clientConnected, host, port, options, limit);
    }

    /**
     * Suspending: a stream server whose {@code clientConnected} is a plain callback, called
     * inside {@code connectionMade} (asyncio's {@code start_server} with a function that is
     * not a coroutine); see {@link Streams#startServerCallback(ClientConnected, String, int)}.
     *
     * @param clientConnected {@code (reader, writer) -> ...}; must not suspend
     * @param host a name or an IP literal, or {@code null}
     * @param port 0 to 65535
     * @return the server, accepting
     * @throws IOException if the name cannot be resolved or the address cannot be bound
     */
    public static Server startServerCallback(ClientConnected clientConnected, String host, int port)
            throws IOException {
        return Streams.startServerCallback(clientConnected, host, port);
    }

    /**
     * Suspending: connects to a Unix-domain socket and returns its reader and writer
     * (asyncio's {@code asyncio.open_unix_connection(path)}).
     *
     * @param path the socket file
     * @return the reader and writer
     * @throws IOException if nothing listens there
     */
    public static StreamPair openUnixConnection(Path path) throws IOException {
        return Streams.openUnixConnection(path);
    }

    /**
     * Suspending: starts a stream server on a Unix-domain socket, a task per connection
     * (asyncio's {@code asyncio.start_unix_server(client_connected_cb, path)}).
     *
     * @param clientConnected {@code (reader, writer) -> ...}, may suspend
     * @param path the socket file; must not exist; removed when the server closes
     * @return the server, accepting
     * @throws IOException if the path exists or cannot be bound
     */
    public static Server startUnixServer(ClientConnected clientConnected, Path path) throws IOException {
        return Streams.startUnixServer(clientConnected, path);
    }

    // ---------------------------------------------------------------- subprocesses and signals

    /**
     * Suspending: starts {@code program} with every stream inherited (asyncio's
     * {@code asyncio.create_subprocess_exec(program, *args)}); see {@link Subprocess}.
     *
     * @param program the program: a path, or a name looked up in {@code PATH}
     * @param args its arguments
     * @return the running process ({@code org.asyncio4j.process.Process}, not {@code java.lang.Process})
     * @throws IOException if it cannot be started ({@code FileNotFoundException} if there is no such program)
     */
    public static Process createSubprocessExec(String program, String... args) throws IOException {
        return Subprocess.createSubprocessExec(program, args);
    }

    /**
     * Suspending: starts {@code program} (asyncio's
     * {@code asyncio.create_subprocess_exec(program, *args, stdout=PIPE, ...)}).
     *
     * @param options the streams ({@code Subprocess.PIPE}, {@code DEVNULL}, {@code STDOUT}, ...),
     *     working directory, environment and reader limit
     * @param program the program
     * @param args its arguments
     * @return the running process
     * @throws IOException if it cannot be started
     */
    public static Process createSubprocessExec(SubprocessOptions options, String program, String... args)
            throws IOException {
        return Subprocess.createSubprocessExec(options, program, args);
    }

    /**
     * Suspending: runs {@code cmd} with {@code /bin/sh -c}, every stream inherited (asyncio's
     * {@code asyncio.create_subprocess_shell(cmd)}).
     *
     * @param cmd the shell command
     * @return the running process
     * @throws IOException if the shell cannot be started
     */
    public static Process createSubprocessShell(String cmd) throws IOException {
        return Subprocess.createSubprocessShell(cmd);
    }

    /**
     * Suspending: runs {@code cmd} with {@code /bin/sh -c} (asyncio's
     * {@code asyncio.create_subprocess_shell(cmd, stdout=PIPE, ...)}).
     *
     * @param cmd the shell command
     * @param options the streams, working directory, environment and reader limit
     * @return the running process
     * @throws IOException if the shell cannot be started
     */
    public static Process createSubprocessShell(String cmd, SubprocessOptions options) throws IOException {
        return Subprocess.createSubprocessShell(cmd, options);
    }

    /**
     * Suspending: starts {@code program} and drives {@code factory}'s protocol with its pipes
     * (asyncio's {@code loop.subprocess_exec}); pass {@link SubprocessOptions#PIPES} for
     * asyncio's defaults.
     *
     * @param factory makes the protocol
     * @param options the streams, working directory and environment
     * @param program the program
     * @param args its arguments
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException if it cannot be started
     */
    public static <P extends SubprocessProtocol> Connection<SubprocessTransport, P> subprocessExec(
            Supplier<P> factory, SubprocessOptions options, String program, String... args) throws IOException {
        return Subprocess.subprocessExec(factory, options, program, args);
    }

    /**
     * Suspending: runs {@code cmd} with {@code /bin/sh -c} and drives {@code factory}'s
     * protocol with its pipes (asyncio's {@code loop.subprocess_shell}).
     *
     * @param factory makes the protocol
     * @param cmd the shell command
     * @param options the streams, working directory and environment
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException if the shell cannot be started
     */
    public static <P extends SubprocessProtocol> Connection<SubprocessTransport, P> subprocessShell(
            Supplier<P> factory, String cmd, SubprocessOptions options) throws IOException {
        return Subprocess.subprocessShell(factory, cmd, options);
    }

    /**
     * Reads a blocking stream through a protocol without blocking the loop (asyncio's
     * {@code loop.connect_read_pipe}); see {@link Pipes}.
     *
     * @param factory makes the protocol
     * @param pipe the stream, e.g. {@code System.in}
     * @param <P> the protocol type
     * @return the transport and the protocol
     */
    public static <P extends Protocol> Connection<ReadTransport, P> connectReadPipe(Supplier<P> factory,
            java.io.InputStream pipe) {
        return Pipes.connectReadPipe(factory, pipe);
    }

    /**
     * Writes a blocking stream through a transport without blocking the loop (asyncio's
     * {@code loop.connect_write_pipe}); see {@link Pipes}.
     *
     * @param factory makes the protocol
     * @param pipe the stream, e.g. {@code System.out}
     * @param <P> the protocol type
     * @return the transport and the protocol
     */
    public static <P extends BaseProtocol> Connection<Transport, P> connectWritePipe(Supplier<P> factory,
            java.io.OutputStream pipe) {
        return Pipes.connectWritePipe(factory, pipe);
    }

    /**
     * Runs {@code callback} on the running loop whenever {@code signal} arrives (asyncio's
     * {@code loop.add_signal_handler}); see {@link SignalHandlers} for which signals.
     *
     * @param signal the signal
     * @param callback what to run on the loop's thread
     * @throws IllegalArgumentException if the signal cannot be handled (the message says why)
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static void addSignalHandler(Signal signal, Runnable callback) {
        SignalHandlers.addSignalHandler(EventLoop.getRunningLoop(), signal, callback);
    }

    /**
     * Removes the running loop's handler for {@code signal} (asyncio's
     * {@code loop.remove_signal_handler}).
     *
     * @param signal the signal
     * @return whether there was one
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static boolean removeSignalHandler(Signal signal) {
        return SignalHandlers.removeSignalHandler(EventLoop.getRunningLoop(), signal);
    }

    // ---------------------------------------------------------------- call graphs (asyncio 3.14's asyncio.graph)

    /**
     * The call graph of the task running on the calling thread: its own frames, and who
     * awaits it up to the root (asyncio 3.14's {@code capture_call_graph()}).
     *
     * @return the graph, or {@code null} when no task runs on this thread
     */
    public static FutureCallGraph captureCallGraph() {
        return FutureCallGraph.captureCurrent();
    }

    /**
     * The call graph of {@code future}: for a task, the frames where it is suspended; and
     * who awaits it (tasks, a {@code gather}, a task group's parent) up to the root
     * (asyncio 3.14's {@code capture_call_graph(future)}).
     *
     * @param future a future or task of the loop running here (or of a stopped loop)
     * @return the graph
     * @throws IllegalStateException if called from another thread while the future's loop runs
     */
    public static FutureCallGraph captureCallGraph(Future<?> future) {
        return FutureCallGraph.capture(future);
    }

    /**
     * The call graph of the current task as text (asyncio 3.14's {@code format_call_graph()}).
     *
     * @return the text, or the empty string when no task runs on this thread
     */
    public static String formatCallGraph() {
        FutureCallGraph g = captureCallGraph();
        return g == null ? "" : g.format();
    }

    /**
     * The call graph of {@code future} as text (asyncio 3.14's {@code format_call_graph(future)}).
     *
     * @param future a future or task
     * @return the text
     */
    public static String formatCallGraph(Future<?> future) {
        return captureCallGraph(future).format();
    }

    /**
     * Prints the current task's call graph to {@code System.out} (asyncio 3.14's
     * {@code print_call_graph()}); prints nothing when no task runs on this thread.
     */
    public static void printCallGraph() {
        System.out.print(formatCallGraph());
    }

    /**
     * Prints the call graph of {@code future} to {@code System.out} (asyncio 3.14's
     * {@code print_call_graph(future)}).
     *
     * @param future a future or task
     */
    public static void printCallGraph(Future<?> future) {
        System.out.print(formatCallGraph(future));
    }
}
