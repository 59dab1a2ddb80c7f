package org.asyncio4j.future;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.asyncio4j.loop.EventLoop;

/**
 * Who awaits a future, up to the root, and where each task is suspended (asyncio 3.14's
 * {@code asyncio.graph.FutureCallGraph}, made by {@code capture_call_graph()}).
 *
 * <p>{@code callStack} holds a task's own frames, innermost first: where it is suspended,
 * helpers included (asyncio shows only the chain of coroutines; a stackful coroutine has
 * a real stack, which {@link Task#getStack()} walks on both engines and in every mode).
 * It is empty for a plain future. {@code awaitedBy} holds the graph of each waiter: tasks
 * parked on the future in {@code await()}, and futures recorded with
 * {@link Future#addToAwaitedBy} or {@link Future#addAwaitingCallback} (a {@code gather}'s
 * future awaits its children, a task group's parent task awaits the group's tasks).
 *
 * <p>It lives in the kernel, not in {@code debug}, because the facade returns it
 * ({@code AsyncIO.captureCallGraph}) and nothing may import {@code debug}; the waiting
 * relations it reads are the futures' own. A cycle of waiters (a deadlock) is cut where it
 * closes: the future seen again gets no {@code awaitedBy}.
 *
 * @param future the future or task
 * @param callStack a task's frames, innermost first; empty for a plain future
 * @param awaitedBy the graphs of the futures and tasks that wait for it
 */
public record FutureCallGraph(Future<?> future, List<StackTraceElement> callStack, List<FutureCallGraph> awaitedBy) {

    /** Copies the lists, so the record is immutable. */
    public FutureCallGraph {
        callStack = List.copyOf(callStack);
        awaitedBy = List.copyOf(awaitedBy);
    }

    /**
     * Captures the graph of {@code future} (asyncio 3.14's {@code capture_call_graph(future)}).
     * Must run on the future's loop thread (or while its loop is not running).
     *
     * @param future a future or task
     * @return its graph
     * @throws IllegalStateException if called from another thread while the loop runs
     */
    public static FutureCallGraph capture(Future<?> future) {
        if (future == null) {
            throw new NullPointerException("future must not be null");
        }
        future.getLoop().checkThread("captureCallGraph()");
        return capture(future, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * Captures the graph of the task running on the calling thread (asyncio 3.14's
     * {@code capture_call_graph()} without a future).
     *
     * @return its graph, or {@code null} when no task runs here
     */
    public static FutureCallGraph captureCurrent() {
        EventLoop loop = EventLoop.peekRunningLoop();
        Task<?> task = loop == null ? null : loop.currentTask();
        return task == null ? null : capture(task);
    }

    private static FutureCallGraph capture(Future<?> future, Set<Future<?>> seen) {
        List<StackTraceElement> stack = future instanceof Task<?> t ? Arrays.asList(t.getStack()) : List.of();
        if (!seen.add(future)) {
            return new FutureCallGraph(future, stack, List.of());
        }
        List<FutureCallGraph> awaiters = new ArrayList<>();
        for (Future<?> waiter : future.awaitedBy()) {
            awaiters.add(capture(waiter, seen));
        }
        return new FutureCallGraph(future, stack, awaiters);
    }

    /**
     * Formats the graph as asyncio 3.14's {@code format_call_graph()} does: the future, its
     * call stack, then each waiter indented below it.
     *
     * @return the text, one line per entry, ending with a line separator
     */
    public String format() {
        StringBuilder sb = new StringBuilder();
        format(sb, "");
        return sb.toString();
    }

    private void format(StringBuilder sb, String indent) {
        sb.append(indent).append("* ").append(describe(future)).append(System.lineSeparator());
        if (!callStack.isEmpty()) {
            sb.append(indent).append("+ Call stack:").append(System.lineSeparator());
            for (StackTraceElement e : callStack) {
                sb.append(indent).append("|   at ").append(e).append(System.lineSeparator());
            }
        }
        if (!awaitedBy.isEmpty()) {
            sb.append(indent).append("+ Awaited by:").append(System.lineSeparator());
            for (FutureCallGraph g : awaitedBy) {
                g.format(sb, indent + "   ");
            }
        }
    }

    /** @return a one-line name: {@code Task(name='...')} or the future's class and state */
    static String describe(Future<?> f) {
        if (f instanceof Task<?> t) {
            return "Task(name='" + t.getName() + "', id=0x" + Integer.toHexString(System.identityHashCode(t)) + ")";
        }
        return f.getClass().getSimpleName() + "(" + f.stateName() + ", id=0x"
                + Integer.toHexString(System.identityHashCode(f)) + ")";
    }

    @Override
    public String toString() {
        return format();
    }
}
