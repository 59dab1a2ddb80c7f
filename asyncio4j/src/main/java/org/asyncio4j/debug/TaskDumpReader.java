package org.asyncio4j.debug;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/**
 * A task dump of one loop read piece by piece, so that a million tasks neither hold the
 * loop for the seconds their million stack walks take nor become one huge string: the
 * tree ({@code pstree}) or the table ({@code ps}) that {@link TaskDump} writes and the JMX
 * view serves.
 *
 * <p>Implementation overview: the constructor takes the {@link WaitGraph} snapshot on the
 * loop's thread, at one moment: which tasks live, who awaits whom, the deadlocks. For the
 * tree it then lays out the order of the lines (a depth-first walk from the tasks nobody
 * awaits, without recursion, so a chain of a million awaits is fine). Each {@link #next()}
 * writes the lines of as many tasks as 40 ms allow (more on a loop slow to take the piece
 * up), reading their state and frames on the loop's thread again, in one loop callback;
 * between pieces the loop runs. So a line shows its task as it was when the line was
 * written, and says so when the tree may no longer fit it: a task that finished since is
 * "finished during the dump", one that awaited tasks at the snapshot and now awaits
 * something else, or now awaits a task, "moved on during the dump". Not thread-safe: one
 * reader is read by one thread at a time.
 */
final class TaskDumpReader {
    /** The most tasks per piece, unless told otherwise: a few MB of text. */
    static final int BATCH = 65_536;
    /**
     * A piece ends after this long on the loop's thread (checked every 16 tasks; a stack
     * walk takes 3-15 µs)...
     */
    private static final long BATCH_NANOS = 40_000_000L;
    /**
     * ...or after half as long as the loop took to take the piece up, if that is longer, up
     * to this: on a loop whose own iterations take a second, 40 ms pieces would make a dump
     * of a million tasks last minutes, while pieces a third of its time leave it as busy.
     */
    private static final long MAX_BATCH_NANOS = 250_000_000L;
    /** Frames kept per task: enough to see where it waits, bounded for big dumps. */
    static final int MAX_FRAMES = 12;
    /** Indentation stops growing here; deeper lines say their depth instead. */
    private static final int MAX_INDENT = 24;
    private static final String TABLE_FORMAT = "%-12s %-24s %-10s %-40s %-50s %s%n";
    private static final String NL = System.lineSeparator();
    private static final String MOVED_ON = " (moved on during the dump)";

    private final EventLoop loop;
    private final WaitGraph graph;
    private final boolean tree;
    private final Duration timeout;
    private final int batch;
    /** The lines in order: for the tree, the task of each line (a task may have several). */
    private final int[] order;
    /** For the tree, each line's depth. */
    private final int[] depth;
    /** For the tree, the lines of a task shown above; {@link #cycle} those that close an await cycle. */
    private final BitSet repeat = new BitSet();
    private final BitSet cycle = new BitSet();
    /** The next line to write. */
    private int line;
    /** The header (table) or the deadlocks (tree) are written. */
    private boolean headerDone;
    private boolean trailerDone;

    /**
     * Takes the snapshot.
     *
     * @param loop the loop
     * @param tree true for the tree and its deadlocks, false for the table
     * @param timeout how long to wait for the loop's thread to take up each read
     * @throws IllegalStateException if the loop does not answer in time
     */
    TaskDumpReader(EventLoop loop, boolean tree, Duration timeout) {
        this(loop, tree, timeout, BATCH);
    }

    /**
     * Takes the snapshot, to be read in pieces of at most {@code batch} tasks.
     *
     * @param loop the loop
     * @param tree true for the tree and its deadlocks, false for the table
     * @param timeout how long to wait for the loop's thread to take up each read
     * @param batch the most tasks per piece
     * @throws IllegalStateException if the loop does not answer in time
     */
    TaskDumpReader(EventLoop loop, boolean tree, Duration timeout, int batch) {
        this.loop = loop;
        this.batch = batch;
        this.tree = tree;
        this.timeout = timeout;
        this.graph = OnLoopThread.call(loop, () -> WaitGraph.of(loop), timeout);
        if (tree) {
            int[][] layout = layOutTree(graph);
            order = layout[0];
            depth = layout[1];
        } else {
            order = null;
            depth = null;
        }
    }

    /**
     * @return the next piece of the text, or {@code null} when all of it was read
     * @throws IllegalStateException if the loop does not answer in time
     */
    String next() {
        if (!headerDone) {
            headerDone = true;
            if (!tree) {
                return String.format(TABLE_FORMAT, "task id", "task name", "state", "waits for", "at", "awaited by");
            }
        }
        int lines = tree ? order.length : graph.size();
        if (line < lines) {
            int from = line;
            int to = Math.min(lines, from + batch);
            StringBuilder sb = new StringBuilder();
            long asked = System.nanoTime();
            line = OnLoopThread.call(loop, () -> write(from, to, asked, sb), timeout);
            return sb.toString();
        }
        if (!trailerDone) {
            trailerDone = true;
            if (tree && !graph.deadlocks.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (Deadlock d : graph.deadlocks) {
                    sb.append(NL).append("Deadlock: these tasks can only be woken by each other:").append(NL);
                    for (String w : d.waits()) {
                        sb.append("  ").append(w).append(NL);
                    }
                }
                return sb.toString();
            }
        }
        return null;
    }

    /**
     * Writes lines from {@code from} (inclusive) to at most {@code to}, stopping early when
     * its time is up ({@link #BATCH_NANOS}); runs on the loop's thread.
     *
     * @param asked when the piece was asked for
     * @return the first line not written
     */
    private int write(int from, int to, long asked, StringBuilder sb) {
        long start = System.nanoTime();
        long budget = Math.min(MAX_BATCH_NANOS, Math.max(BATCH_NANOS, (start - asked) / 2));
        int k = from;
        while (k < to) {
            if (tree) {
                treeLine(k, sb);
            } else {
                tableLine(k, sb);
            }
            k++;
            if ((k & 15) == 0 && System.nanoTime() - start > budget) {
                break;
            }
        }
        return k;
    }

    private void tableLine(int i, StringBuilder sb) {
        Task<?> t = graph.tasks[i];
        StringBuilder by = new StringBuilder();
        for (int j : graph.awaiters[i]) {
            by.append(by.isEmpty() ? "" : ", ").append(graph.tasks[j].getName());
        }
        String waits = waitsFor(i);
        if (movedOn(i)) {
            waits = (waits == null ? "-" : waits) + MOVED_ON;
        }
        StackTraceElement[] stack = t.done() ? new StackTraceElement[0] : t.getStack();
        sb.append(String.format(TABLE_FORMAT, WaitGraph.idOf(t), t.getName(), state(t), waits == null ? "-" : waits,
                stack.length == 0 ? "-" : stack[0], by));
    }

    private void treeLine(int k, StringBuilder sb) {
        int i = order[k];
        Task<?> t = graph.tasks[i];
        String indent = indent(depth[k]);
        sb.append(indent).append("* ").append(WaitGraph.label(t)).append(' ').append(state(t));
        String waits = waitsFor(i);
        if (waits != null) {
            sb.append(" waiting for ").append(waits);
        }
        if (movedOn(i)) {
            sb.append(MOVED_ON);
        }
        if (graph.deadlocked.get(i)) {
            sb.append(" [deadlocked]");
        }
        if (repeat.get(k)) {
            sb.append(cycle.get(k) ? " (shown above: the await chain is a cycle)" : " (shown above)").append(NL);
            return;
        }
        sb.append(NL);
        if (!t.done()) {
            StackTraceElement[] stack = t.getStack();
            for (int f = 0; f < Math.min(stack.length, MAX_FRAMES); f++) {
                sb.append(indent).append("|   at ").append(stack[f]).append(NL);
            }
        }
    }

    private String state(Task<?> t) {
        if (t.done()) {
            return "finished during the dump";
        }
        if (loop.currentTask() == t) {
            return "running";
        }
        return t.sleeping() ? "sleeping" : t.waitingOn() == null ? "ready" : "suspended";
    }

    /** @return what task {@code i} waits on now, or null if nothing */
    private String waitsFor(int i) {
        Task<?> t = graph.tasks[i];
        Future<?> now = t.done() ? null : t.waitingOn();
        return now == null ? null : WaitGraph.describe(now);
    }

    /**
     * @return whether task {@code i}, still pending, has left what it awaited at the snapshot
     *     in a way the tree's edges could show: it had tasks under it, or now awaits a task.
     *     A task that only awaits a new future of the same plain kind (a stream's next read)
     *     is not flagged: its line is current, and the tree is not wrong about it.
     */
    private boolean movedOn(int i) {
        Task<?> t = graph.tasks[i];
        Future<?> now = t.waitingOn();
        return !t.done() && now != graph.waitingOn[i] && (graph.awaited[i].length > 0 || now instanceof Task<?>);
    }

    private static String indent(int d) {
        String s = "   ".repeat(Math.min(d, MAX_INDENT));
        return d > MAX_INDENT ? s + "(depth " + d + ") " : s;
    }

    /**
     * The tree's lines: from each task nobody awaits (then from any task left, which
     * awaits in a cycle), each task followed by the tasks it awaits, one level deeper; a
     * task met again gets a short line instead of its frames.
     *
     * @return the tasks of the lines, then their depths
     */
    private int[][] layOutTree(WaitGraph g) {
        int n = g.size();
        int[] lines = new int[Math.max(16, n)];
        int[] depths = new int[lines.length];
        int count = 0;
        BitSet shown = new BitSet(n);
        BitSet onPath = new BitSet(n);
        int[] stackNode = new int[16];
        int[] stackNext = new int[16];
        for (int pass = 0; pass < 2; pass++) {
            for (int root = 0; root < n; root++) {
                if (shown.get(root) || (pass == 0 && g.awaiters[root].length > 0)) {
                    continue;
                }
                int top = 0;
                lines = grow(lines, count);
                depths = grow(depths, count);
                lines[count] = root;
                depths[count++] = 0;
                shown.set(root);
                onPath.set(root);
                stackNode[top] = root;
                stackNext[top++] = 0;
                while (top > 0) {
                    int i = stackNode[top - 1];
                    int[] kids = g.awaited[i];
                    if (stackNext[top - 1] == kids.length) {
                        onPath.clear(i);
                        top--;
                        continue;
                    }
                    int j = kids[stackNext[top - 1]++];
                    lines = grow(lines, count);
                    depths = grow(depths, count);
                    lines[count] = j;
                    depths[count] = top;
                    if (shown.get(j)) {
                        repeat.set(count);
                        if (onPath.get(j)) {
                            cycle.set(count);
                        }
                        count++;
                        continue;
                    }
                    count++;
                    shown.set(j);
                    onPath.set(j);
                    stackNode = grow(stackNode, top);
                    stackNext = grow(stackNext, top);
                    stackNode[top] = j;
                    stackNext[top++] = 0;
                }
            }
        }
        return new int[][] {Arrays.copyOf(lines, count), Arrays.copyOf(depths, count)};
    }

    /** @return {@code a}, or a copy twice as long when index {@code i} is past its end */
    private static int[] grow(int[] a, int i) {
        return i < a.length ? a : Arrays.copyOf(a, a.length * 2);
    }
}
