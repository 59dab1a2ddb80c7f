package org.asyncio4j.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.Runner;
import org.asyncio4j.combinators.Timeout;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.TimeoutError;
import org.asyncio4j.future.VoidCoroutine;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.loop.Handle;
import org.asyncio4j.testing.ScheduleFuzzer;
import org.asyncio4j.testing.VirtualClock;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One run of a test method: a fresh loop (virtual or real time, fuzzed or not), the test
 * body as its main task under a deadline, the leak checks, and the watchdog.
 *
 * <p>Implementation overview: the loop runs on a daemon platform thread of its own (the
 * driver); the JUnit thread waits for it at most {@code realTimeLimit} seconds, and if it
 * is still running then, reports the loop thread's stack and abandons the run (interrupting
 * the thread that runs the body, the best that can be done for a thread blocked for real,
 * and cancelling the main task, so that the run ends and cleans up as soon as it can).
 * The JUnit side never closes an abandoned run: its loop may still be running. {@code loopThread} is
 * recorded by the loop's first callback and {@code bodyThread} by the main task: they are
 * the same thread under the continuation engine, different ones under the virtual-thread
 * engine. Everything else is touched by the driver only, or by the JUnit thread after it
 * joined the driver (join orders the two).
 */
final class TestRun implements ExtensionContext.Store.CloseableResource {
    private final Settings settings;
    private final Long seed;
    private final VirtualClock clock;
    private final Runner runner;
    private final EventLoop loop;
    /** The loop's exception handler calls, in order; the handler records instead of logging. */
    private final List<ExceptionContext> handlerCalls = new ArrayList<>();
    private volatile Thread loopThread;
    private volatile Thread bodyThread;
    /** The main task, cancelled from the watchdog so an abandoned run still ends when it can. */
    private volatile Task<?> mainTask;
    /** Set when the watchdog gave the run up: its loop may still run, so it is never closed. */
    private volatile boolean abandoned;
    private boolean executed;

    /**
     * @param settings the test's settings
     * @param seed the schedule-fuzzing seed, or {@code null} for a plain run
     */
    TestRun(Settings settings, Long seed) {
        this.settings = settings;
        this.seed = seed;
        this.clock = settings.realTime() ? null : new VirtualClock();
        VirtualClock c = clock;
        this.runner = new Runner(false, c == null ? EventLoop::new : () -> new EventLoop(c));
        this.loop = runner.getLoop();
        loop.setExceptionHandler((l, context) -> handlerCalls.add(context));
        if (seed != null) {
            ScheduleFuzzer.install(loop, seed);
        }
    }

    EventLoop loop() {
        return loop;
    }

    /** @return the virtual clock, or {@code null} in real time */
    VirtualClock clock() {
        return clock;
    }

    /**
     * Runs {@code body} as the main task, checks what it left, closes the loop, and throws
     * the test's failure, if any.
     */
    void execute(VoidCoroutine body) throws Throwable {
        if (executed) {
            throw new IllegalStateException("a TestRun is executed once");
        }
        executed = true;
        Throwable[] outcome = new Throwable[1];
        Thread driver = Thread.ofPlatform().daemon().name("asyncio4j-test-loop").start(() -> outcome[0] = runAndCheck(body));
        driver.join(TimeUnit.NANOSECONDS.toMillis((long) (settings.realTimeLimit() * 1e9)) + 1);
        if (driver.isAlive()) {
            abandoned = true;
            throw blocked(driver);
        }
        if (outcome[0] != null) {
            throw outcome[0];
        }
    }

    /** On the driver thread: the whole run; returns the failure to report, or null. */
    private Throwable runAndCheck(VoidCoroutine body) {
        Throwable failure = null;
        loop.callSoon(() -> loopThread = Thread.currentThread());
        try {
            runner.run(() -> main(body));
        } catch (Throwable t) {
            failure = explain(t);
        }
        List<String> problems = leftBehind();
        try {
            runner.close();
        } catch (Throwable t) {
            problems.add("closing the loop failed: " + t);
        }
        Throwable firstHandled = null;
        if (!handlerCalls.isEmpty()) {
            StringBuilder sb = new StringBuilder("the loop's exception handler was called ").append(handlerCalls.size())
                    .append(handlerCalls.size() == 1 ? " time" : " times")
                    .append(" (a failing callback, an exception nobody retrieved, a task failing at shutdown):");
            for (ExceptionContext c : handlerCalls) {
                sb.append("\n    ").append(c.message());
                if (c.exception() != null) {
                    sb.append(": ").append(c.exception());
                    firstHandled = firstHandled != null ? firstHandled : c.exception();
                }
            }
            problems.add(sb.toString());
        }
        if (problems.isEmpty()) {
            return failure;
        }
        AssertionError leak = new AssertionError(String.join("\n", problems), firstHandled);
        if (failure == null) {
            return leak;
        }
        failure.addSuppressed(leak);
        return failure;
    }

    /** The main task: the body under the test's deadline. */
    private Void main(VoidCoroutine body) throws Exception {
        bodyThread = Thread.currentThread();
        mainTask = loop.currentTask();
        Timeout deadline = AsyncIO.timeout(settings.timeout());
        try {
            deadline.run(body);
        } catch (TimeoutError e) {
            if (!deadline.expired()) {
                throw e;
            }
            String hint = settings.realTime() ? ""
                    : "; in virtual time the clock jumps to the deadline as soon as nothing else is scheduled, so a test "
                            + "that waits for real work (threads, sockets) needs @AsyncIOTest(realTime = true)";
            throw new AssertionError("timed out: the test did not finish within " + settings.timeout() + " s of "
                    + settings.timeName() + " (@AsyncIOTest(timeout = ...))" + hint, e);
        }
        return null;
    }

    /** Tasks still pending and callbacks still scheduled after the main task ended. */
    private List<String> leftBehind() {
        List<String> problems = new ArrayList<>();
        Set<Task<?>> pending = loop.allTasks();
        if (!pending.isEmpty()) {
            problems.add("the test left " + pending.size() + (pending.size() == 1 ? " task" : " tasks")
                    + " pending (await or cancel them, or create them in a TaskGroup): " + pending);
        }
        List<Handle> scheduled = loop.scheduledHandles();
        if (!scheduled.isEmpty()) {
            problems.add("the test left " + scheduled.size() + (scheduled.size() == 1 ? " callback" : " callbacks")
                    + " or timers scheduled (cancel their handles): " + scheduled);
        }
        return problems;
    }

    /** Turns the error of a loop started inside this one into a clear failure. */
    private static Throwable explain(Throwable t) {
        String m = t.getMessage();
        if (t instanceof IllegalStateException && m != null
                && (m.contains("cannot be called from a running event loop") || m.contains("another loop is running on this thread"))) {
            return new AssertionError("the test ran an event loop of its own inside the one @AsyncIOTest runs it on: the "
                    + "test method is already the main task of a fresh loop, so await the code directly instead of "
                    + "AsyncIO.run, Runner.run or loop.runUntilComplete (or make it a plain @Test)", t);
        }
        return t;
    }

    /**
     * The watchdog's report: the run is still going after the real-time limit. A loop thread
     * that sits in its selector is idle (the test waits for something that never comes);
     * anywhere else, it is blocked or busy.
     */
    private AssertionError blocked(Thread driver) {
        Thread lt = loopThread != null ? loopThread : driver;
        Thread bt = bodyThread;
        ThreadStack loopStack = new ThreadStack(lt);
        boolean idle = java.util.Arrays.stream(loopStack.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("org.asyncio4j.loop.SelectorDriver"));
        String why = idle
                ? "idle: the loop waits with nothing ready and no timer scheduled, so the test waits for something that "
                        + "never comes (a future nobody completes, an event nobody sets)"
                : "blocked: the loop thread is blocked by a call that waits for real (Thread.sleep, a lock, blocking "
                        + "I/O: use AsyncIO.sleep, toThread or runInExecutor) or is busy";
        AssertionError e = new AssertionError(why + "; the test did not finish within " + settings.realTimeLimit()
                + " s of real time (@AsyncIOTest(realTimeLimit = ...)). The cause is the loop thread's stack; the run "
                + "was abandoned and the body's thread interrupted", loopStack);
        if (bt != null && bt != lt) {
            e.addSuppressed(new ThreadStack(bt));
        }
        (bt != null ? bt : lt).interrupt();
        Task<?> main = mainTask;
        if (main != null) {
            try {
                loop.callSoonThreadsafe(main::cancel);
            } catch (IllegalStateException closed) {
                // the run ended meanwhile
            }
        }
        return e;
    }

    /** Closes the loop of a run that was prepared but never executed. */
    @Override
    public void close() {
        if (!abandoned && !loop.isClosed() && !loop.isRunning()) {
            runner.close();
        }
    }

    @Override
    public String toString() {
        return "<TestRun " + settings.timeName() + (seed != null ? " seed=" + seed : "") + " " + loop + ">";
    }

    /** A thread's stack at the moment the watchdog looked, to print as a cause. */
    private static final class ThreadStack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ThreadStack(Thread t) {
            super("stack of thread " + t.getName() + " (" + t.getState() + ")", null, false, true);
            setStackTrace(t.getStackTrace());
        }
    }
}
