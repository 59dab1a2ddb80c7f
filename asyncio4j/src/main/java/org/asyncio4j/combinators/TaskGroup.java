package org.asyncio4j.combinators;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Context;
import org.asyncio4j.future.Coroutine;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Sneaky;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.VoidCoroutine;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;

/**
 * Structured concurrency: a body that starts tasks, and a guarantee that none of them
 * outlives it (asyncio's {@code asyncio.TaskGroup}, Python 3.11+).
 *
 * <pre>{@code
 * // asyncio:  async with asyncio.TaskGroup() as tg:
 * //               t1 = tg.create_task(fetch(a)); t2 = tg.create_task(fetch(b))
 * TaskGroup.run(tg -> {
 *     Task<String> t1 = tg.createTask(() -> fetch(a));
 *     Task<String> t2 = tg.createTask(() -> fetch(b));
 * });
 * // here both tasks are done
 * }</pre>
 *
 * <ul>
 *   <li>The group waits, after its body, until every task created in it is done. Tasks
 *       may create more tasks in the group while it waits.
 *   <li>The first task that fails (with anything but {@link CancelledError}) cancels every
 *       other task of the group and the body (the task running the group gets a
 *       {@code CancelledError} at its current await). When everything is done, the
 *       failures, including the body's own exception if it had one other than
 *       {@code CancelledError}, come out together in one {@link ExceptionGroup}, in the
 *       order they happened. The cancellation the group caused is taken back
 *       ({@link Task#uncancel()}), so code after a {@code catch (ExceptionGroup e)} runs
 *       normally.
 *   <li>A task that is cancelled is not a failure.
 *   <li>If the body raises, the tasks are cancelled and waited for, and the exception comes
 *       out in the {@code ExceptionGroup} (a {@code CancelledError} of the body comes out
 *       as it is, unless some task failed).
 *   <li>Cancelling the task running the group cancels every task of the group; once they
 *       are done, {@code CancelledError} propagates. If a task failed meanwhile, the
 *       {@code ExceptionGroup} propagates instead, and the running task is cancelled again
 *       so that its next await still sees the cancellation.
 *   <li>A {@link VirtualMachineError} (out of memory, stack overflow) of a task or of the
 *       body is rethrown as it is, after the tasks are done, instead of a group (Python
 *       does so for {@code SystemExit} and {@code KeyboardInterrupt}); the other failures
 *       then go to the loop's exception handler.
 *   <li>{@link #cancel()} (Python 3.14) cancels the group from the inside or from
 *       another task: its tasks and the body are cancelled, and the group exits without
 *       error once they are done (unless a task failed, or the running task was cancelled
 *       from outside as well).
 *   <li>A group is used once; groups nest (a task or the body may run another group).
 * </ul>
 *
 * <h2>Getting the tasks out</h2>
 * {@link #call(Body)} returns what the body returns, so the body can hand its tasks (or
 * anything else) out; they are all done when {@code call} returns:
 * <pre>{@code
 * List<Task<Page>> pages = TaskGroup.call(tg -> urls.stream().map(u -> tg.createTask(() -> fetch(u))).toList());
 * }</pre>
 * While the group runs, {@link #tasks()} lists its tasks that are not done yet.
 *
 * <h2>Why a lambda and not try-with-resources</h2>
 * asyncio's {@code __aexit__} learns whether the body raised and which exception, cancels
 * the children if so, and replaces the body's exception with an {@code ExceptionGroup}.
 * Java's {@code close()} is told neither, and its exception can only be attached as
 * suppressed to the body's: a child failure that cancelled the body would come out as a
 * bare {@code CancelledError}. {@link #run(Coroutine)} sees the body's outcome and keeps
 * asyncio's semantics, so there is no try-with-resources form.
 *
 * <pre>
 *   new ──run()──▶ entered (body runs) ──body ends──▶ exiting (waits for its tasks) ──▶ finished
 *                     └──────────┬───────────────────────────┘
 *                                └─ first failure, body exception or cancellation: aborting
 *                                   (tasks cancelled, createTask refused)
 * </pre>
 *
 * <p>Implementation overview (as asyncio's {@code taskgroups.py}): {@code tasks} holds the
 * tasks not yet done; a done callback ({@link #onTaskDone}) removes each, records its
 * failure and, at the first failure, aborts: cancels the other tasks and, once
 * ({@code parentCancelRequested}), the parent task. After the body, the parent awaits
 * {@code onCompletedFut}, which the last done callback completes; a cancellation of that
 * await is remembered and the loop awaits again until no task is left. Done callbacks
 * always run from the loop, never inside {@link #createTask}, even for an eager task that
 * finished at once, so a failure can never cancel the parent before it reaches an await.
 */
public final class TaskGroup {
    /**
     * The body of a group that returns a value, for {@link TaskGroup#call(Body)}.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * @param tg the group, to create tasks in
         * @return the group's result
         * @throws Exception any failure; it ends up in the {@link ExceptionGroup}
         */
        T call(TaskGroup tg) throws Exception;
    }

    /** The body of a group that returns nothing, for {@link TaskGroup#run(VoidBody)}. */
    @FunctionalInterface
    public interface VoidBody {
        /**
         * @param tg the group, to create tasks in
         * @throws Exception any failure; it ends up in the {@link ExceptionGroup}
         */
        void run(TaskGroup tg) throws Exception;
    }

    private boolean entered;
    private boolean exiting;
    /** Set when run() is over: every task is done and the outcome was decided. */
    private boolean finished;
    /** Set once the group cancels its tasks: no task may join any more. */
    private boolean aborting;
    /** Set by {@link #cancel()}: the cancellation of the tasks and the body is the group's own. */
    private boolean cancelRequested;
    /** Set once the group has cancelled its parent task; exit must then uncancel it. */
    private boolean parentCancelRequested;
    private EventLoop loop;
    private Task<?> parentTask;
    /** The tasks of the group that are not done (their done callback has not run). */
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    /** Failures of tasks, in the order their done callbacks ran. */
    private final List<Throwable> errors = new ArrayList<>();
    /** The first VirtualMachineError, rethrown as it is. */
    private Throwable baseError;
    /** Completed by the last done callback while the parent waits in exit. */
    private Future<Boolean> onCompletedFut;
    private final Consumer<Future<?>> onTaskDone = f -> onTaskDone((Task<?>) f);

    /**
     * A group, not yet entered (asyncio's {@code TaskGroup()}); {@link #run(Coroutine)}
     * enters it. Most code uses the static {@link #run(VoidBody)} instead.
     */
    public TaskGroup() {
    }

    /**
     * Suspending: runs {@code body} with a new group and returns once every task of the
     * group is done (asyncio's {@code async with TaskGroup() as tg: ...}). For a body that
     * returns a value, use {@link #call(Body)} (two overloads taking one-argument lambdas
     * would be ambiguous to javac for a body such as {@code tg -> tg.createTask(x)}).
     *
     * <p>Cancellation: see {@link #run(Coroutine)}.
     *
     * @param body creates the tasks, and may await anything
     * @throws ExceptionGroup if tasks or the body failed
     * @throws CancelledError if the running task was cancelled from outside and nothing
     *     failed
     * @throws IllegalStateException if called outside a task
     */
    public static void run(VoidBody body) {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        TaskGroup tg = new TaskGroup();
        tg.run(() -> {
            body.run(tg);
            return null;
        });
    }

    /**
     * Suspending: {@link #run(VoidBody)} for a body that returns a value (a
     * {@code Callable}-style name, as {@code run} is {@code Runnable}-style), returned once
     * every task of the group is done.
     *
     * <p>Cancellation: see {@link #run(Coroutine)}.
     *
     * <pre>{@code
     * List<Task<Page>> pages = TaskGroup.call(tg -> urls.stream().map(u -> tg.createTask(() -> fetch(u))).toList());
     * // every page is fetched here
     * }</pre>
     *
     * @param body creates the tasks, and may await anything
     * @param <T> the result type
     * @return what the body returned
     * @throws ExceptionGroup if tasks or the body failed
     * @throws CancelledError if the running task was cancelled from outside and nothing
     *     failed
     */
    public static <T> T call(Body<T> body) {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        TaskGroup tg = new TaskGroup();
        return tg.run(() -> body.call(tg));
    }

    /**
     * Suspending: enters this group, runs {@code body} in the current task, waits until
     * every task of the group is done, and returns what the body returned.
     *
     * <p>Cancellation: a cancellation of the running task reaches the body at its current
     * await (or, after the body, the wait for the tasks); the group then cancels all its
     * tasks and waits until they are done, however long their cleanup takes; cancelling
     * again during that wait does not cut it short. Then {@link CancelledError}
     * propagates, or the {@link ExceptionGroup} if a task failed.
     *
     * @param body creates the tasks, and may await anything
     * @param <T> the result type
     * @return what the body returned
     * @throws ExceptionGroup if tasks or the body failed
     * @throws CancelledError if the running task was cancelled from outside and nothing
     *     failed
     * @throws IllegalStateException if the group was entered before (a group is used once),
     *     or this is called outside a task
     */
    public <T> T run(Coroutine<T> body) {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        enter();
        T result = null;
        Throwable error = null;
        try {
            result = body.call();
        } catch (Throwable e) {
            error = e;
        }
        Throwable toThrow;
        try {
            toThrow = exit(error);
        } finally {
            finished = true;
        }
        if (toThrow != null) {
            throw Sneaky.rethrow(toThrow);
        }
        return result;
    }

    /**
     * Suspending: {@link #run(Coroutine)} for a body that returns nothing.
     *
     * <p>Cancellation: as for {@link #run(Coroutine)}.
     *
     * @param body creates the tasks, and may await anything
     * @throws ExceptionGroup if tasks or the body failed
     */
    public void run(VoidCoroutine body) {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        run(Coroutine.of(body));
    }

    // ---------------------------------------------------------------- creating tasks

    /**
     * Creates a task of the group (asyncio's {@code TaskGroup.create_task}), through the
     * loop's task factory, so an eager task factory applies.
     *
     * @param coro the coroutine
     * @param <T> the result type
     * @return the task; the group awaits it
     * @throws IllegalStateException if the group has not been entered, is finished, or is
     *     shutting down after a failure or cancellation
     */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null, null);
    }

    /**
     * {@link #createTask(Coroutine)} for a coroutine that returns nothing.
     *
     * @param coro the coroutine
     * @return the task
     */
    public Task<Void> createTask(VoidCoroutine coro) {
        if (coro == null) {
            throw new NullPointerException("coro must not be null");
        }
        return createTask(Coroutine.of(coro), null, null);
    }

    /**
     * {@link #createTask(Coroutine)} with a name.
     *
     * @param coro the coroutine
     * @param name the task's name, or {@code null}
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return createTask(coro, name, null);
    }

    /**
     * {@link #createTask(Coroutine)} with a name and a context.
     *
     * @param coro the coroutine
     * @param name the task's name, or {@code null}
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException if the group has not been entered, is finished, or is
     *     shutting down
     */
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        if (coro == null) {
            throw new NullPointerException("coro must not be null");
        }
        if (!entered) {
            throw new IllegalStateException("TaskGroup " + this + " has not been entered: create its tasks inside "
                    + "TaskGroup.run(tg -> ...)");
        }
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished: it takes no new tasks "
                    + "(a TaskGroup is used once; make a new one)");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down after a failure or cancellation: "
                    + "it takes no new tasks");
        }
        Task<T> task = loop.createTask(coro, name, context);
        tasks.add(task);
        task.addAwaitingCallback(onTaskDone, parentTask); // the parent is recorded as its waiter, for call graphs
        if (aborting && !task.done()) {
            // an eager task may have aborted the group while it ran inside createTask
            task.cancel();
        }
        return task;
    }

    // ---------------------------------------------------------------- cancelling and inspecting

    /**
     * Cancels the group (asyncio's {@code TaskGroup.cancel()}, Python 3.14): every task of the
     * group is cancelled, and so is the body, at its current await (or its next one, when the
     * body calls this itself). The group then waits for its tasks as usual and exits
     * <em>without error</em>: {@link #run(Coroutine)} returns {@code null} (or the body's
     * result, if the body had already returned). A task that failed before or during the
     * cancellation still makes the group raise its {@link ExceptionGroup}, and a cancellation
     * of the running task from outside still propagates. Does nothing when the group is
     * finished or already shutting down. Not suspending.
     *
     * @throws IllegalStateException if the group has not been entered, or this is called
     *     from another thread while the loop runs
     */
    public void cancel() {
        if (!entered) {
            throw new IllegalStateException("TaskGroup " + this + " has not been entered: cancel() needs a running group");
        }
        loop.checkThread("TaskGroup.cancel()");
        if (finished || aborting) {
            return;
        }
        cancelRequested = true;
        abort();
        if (!exiting && !parentCancelRequested) {
            // the body is still running: cancel it where it awaits; exit takes the request back
            parentCancelRequested = true;
            parentTask.cancel();
        }
    }

    /**
     * @return the tasks of the group that are not done yet, in creation order: a snapshot
     *     (asyncio keeps them in the private {@code _tasks}); empty once the group is finished
     */
    public List<Task<?>> tasks() {
        return List.copyOf(tasks);
    }

    // ---------------------------------------------------------------- entering and leaving

    private void enter() {
        if (entered) {
            throw new IllegalStateException("TaskGroup " + this + " has already been entered: a TaskGroup is used once; "
                    + "make a new one");
        }
        Task<?> parent = Checks.currentTask("TaskGroup.run()");
        loop = parent.getLoop();
        parentTask = parent;
        entered = true;
    }

    /**
     * Waits for the tasks after the body ended with {@code bodyError} (null: normally), and
     * returns what to throw (null: return normally). asyncio's {@code _aexit}.
     */
    private Throwable exit(Throwable bodyError) {
        exiting = true;
        if (bodyError != null && isBaseError(bodyError) && baseError == null) {
            baseError = bodyError;
        }
        CancelledError propagateCancellation = bodyError instanceof CancelledError ce ? ce : null;
        if (bodyError != null && !aborting) {
            // the parent is being cancelled, or the body raised: stop the tasks
            abort();
        }
        CancelledError pendingCancellation = null;
        while (!tasks.isEmpty()) {
            if (onCompletedFut == null) {
                onCompletedFut = loop.createFuture();
            }
            try {
                onCompletedFut.await();
            } catch (CancelledError ex) {
                pendingCancellation = ex;
                if (!aborting) {
                    // the parent was cancelled from outside while its tasks run on
                    propagateCancellation = ex;
                    abort();
                }
            }
            onCompletedFut = null;
        }

        if (baseError != null) {
            for (Throwable t : errors) {
                if (t != baseError) {
                    reportDropped(t);
                }
            }
            if (bodyError != null && bodyError != baseError && !(bodyError instanceof CancelledError)) {
                reportDropped(bodyError);
            }
            return baseError;
        }
        if (parentCancelRequested) {
            // we cancelled the parent ourselves: take that request back
            if (parentTask.uncancel() == 0) {
                propagateCancellation = null;
            } else if (propagateCancellation == null) {
                // the request left is not ours: do not drop it
                propagateCancellation = pendingCancellation;
            }
        }
        if (propagateCancellation != null && errors.isEmpty()) {
            return propagateCancellation;
        }
        if (bodyError != null && !(bodyError instanceof CancelledError)) {
            errors.add(bodyError);
        }
        if (!errors.isEmpty()) {
            if (parentTask.cancelling() > 0) {
                // cancelled from outside too: keep the count stable, and make sure the
                // parent's next await still raises CancelledError
                parentTask.uncancel();
                parentTask.cancel();
            }
            return new ExceptionGroup("unhandled errors in a TaskGroup", errors);
        }
        return null;
    }

    private void reportDropped(Throwable t) {
        loop.callExceptionHandler(new ExceptionContext("TaskGroup task exception was not propagated because the "
                + "TaskGroup is being closed with a VirtualMachineError", t, null, null, this));
    }

    /** Python's SystemExit and KeyboardInterrupt, in Java terms: the VM itself is in trouble. */
    private static boolean isBaseError(Throwable t) {
        return t instanceof VirtualMachineError;
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Task<?> task) {
        tasks.remove(task);
        if (onCompletedFut != null && tasks.isEmpty() && !onCompletedFut.done()) {
            onCompletedFut.setResult(true);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (isBaseError(exc) && baseError == null) {
            baseError = exc;
        }
        if (parentTask.done()) {
            loop.callExceptionHandler(new ExceptionContext("Task " + task + " has errored out but its parent task "
                    + parentTask + " is already completed", exc, task, null, this));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // cancel the body (wherever it awaits) and every other task; exit uncancels the parent
            abort();
            parentCancelRequested = true;
            parentTask.cancel();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<TaskGroup");
        if (!tasks.isEmpty()) {
            sb.append(" tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            sb.append(" errors=").append(errors.size());
        }
        if (finished) {
            sb.append(" finished");
        } else if (aborting) {
            sb.append(cancelRequested ? " cancelled" : " cancelling");
        } else if (entered) {
            sb.append(" entered");
        }
        return sb.append('>').toString();
    }
}
