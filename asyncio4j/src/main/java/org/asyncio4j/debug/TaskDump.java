package org.asyncio4j.debug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.asyncio4j.loop.EventLoop;

/**
 * Every task of a loop, as a tree of who awaits whom with each task's frames, and the
 * deadlocks among them (asyncio 3.14's {@code python -m asyncio pstree} and {@code ps},
 * for a loop of this JVM; {@code bin/asyncio4j} shows the same for another JVM).
 *
 * <pre>{@code
 * TaskDump.dump(loop, System.out);        // from any thread
 * }</pre>
 *
 * <p>The snapshot is taken on the loop's thread: called there (or while the loop is not
 * running) it is taken at once; from another thread it is scheduled with
 * {@link EventLoop#callSoonThreadsafe} and the caller waits for it, up to a timeout, then
 * fails with the loop thread's stack (a loop that does not answer is blocked). The text is
 * then written to the {@link Appendable} on the calling thread, so a slow output never
 * holds the loop.
 *
 * <p>Deadlocks: a group of suspended tasks that only each other could wake. A task awaiting
 * a task needs that task; one waiting for a {@code Lock} needs its holder; one waiting for
 * a {@code gather} needs its children; one waiting on a {@code Queue} (get, put, join) needs
 * any other task; one waiting for a plain future needs the task that created it, known in
 * debug mode only. Waits that something outside the tasks may end ({@code Event}s,
 * timers, I/O, other threads) never count, so a report is never a guess about them.
 */
public final class TaskDump {
    /** How long a dump from another thread waits for the loop by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private TaskDump() {
    }

    /**
     * Writes the tree of the loop's tasks, then its deadlocks, if any.
     *
     * @param loop the loop
     * @param out where to write
     * @throws IOException if {@code out} fails
     * @throws IllegalStateException if the loop does not answer within {@link #DEFAULT_TIMEOUT}
     */
    public static void dump(EventLoop loop, Appendable out) throws IOException {
        dump(loop, out, DEFAULT_TIMEOUT);
    }

    /**
     * Like {@link #dump(EventLoop, Appendable)}, waiting up to {@code timeout} for the loop.
     *
     * @param loop the loop
     * @param out where to write
     * @param timeout how long to wait for the loop's thread, when called from another one
     * @throws IOException if {@code out} fails
     * @throws IllegalStateException if the loop does not answer in time
     */
    public static void dump(EventLoop loop, Appendable out, Duration timeout) throws IOException {
        WaitGraph g = snapshot(loop, timeout);
        writeTree(g, out);
        for (Deadlock d : g.deadlocks()) {
            out.append(System.lineSeparator()).append("Deadlock: these tasks can only be woken by each other:")
                    .append(System.lineSeparator());
            for (String w : d.waits()) {
                out.append("  ").append(w).append(System.lineSeparator());
            }
        }
    }

    /**
     * Writes one line per task (asyncio 3.14's {@code ps} table): id, name, state, what it
     * waits for, where it is (its innermost frame) and who awaits it.
     *
     * @param loop the loop
     * @param out where to write
     * @throws IOException if {@code out} fails
     * @throws IllegalStateException if the loop does not answer within {@link #DEFAULT_TIMEOUT}
     */
    public static void table(EventLoop loop, Appendable out) throws IOException {
        WaitGraph g = snapshot(loop, DEFAULT_TIMEOUT);
        String format = "%-12s %-24s %-10s %-40s %-50s %s%n";
        out.append(String.format(format, "task id", "task name", "state", "waits for", "at", "awaited by"));
        for (int i = 0; i < g.nodes.size(); i++) {
            WaitGraph.Node n = g.nodes.get(i);
            StringBuilder by = new StringBuilder();
            for (int j : g.awaiters.get(i)) {
                by.append(by.isEmpty() ? "" : ", ").append(g.nodes.get(j).name());
            }
            out.append(String.format(format, n.id(), n.name(), n.state(), n.waitsFor() == null ? "-" : n.waitsFor(),
                    n.stack().isEmpty() ? "-" : n.stack().get(0), by));
        }
    }

    /**
     * The loop's deadlocks, as {@link #dump} reports them.
     *
     * @param loop the loop
     * @return the groups of tasks that only each other could wake; empty if none
     * @throws IllegalStateException if the loop does not answer within {@link #DEFAULT_TIMEOUT}
     */
    public static List<Deadlock> deadlocks(EventLoop loop) {
        return snapshot(loop, DEFAULT_TIMEOUT).deadlocks();
    }

    /**
     * The dump as a string, for tools that have no stream (the JMX view).
     *
     * @param loop the loop
     * @return the text of {@link #dump(EventLoop, Appendable)}
     */
    static String dumpToString(EventLoop loop) {
        return toText(out -> dump(loop, out));
    }

    /**
     * The table as a string, for tools that have no stream (the JMX view).
     *
     * @param loop the loop
     * @return the text of {@link #table(EventLoop, Appendable)}
     */
    static String tableToString(EventLoop loop) {
        return toText(out -> table(loop, out));
    }

    /** Something that writes to an {@link Appendable}. */
    private interface Writer {
        void writeTo(Appendable out) throws IOException;
    }

    private static String toText(Writer writer) {
        StringBuilder sb = new StringBuilder();
        try {
            writer.writeTo(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder never fails
        }
        return sb.toString();
    }

    /** Takes the snapshot on the loop's thread, waiting for it from any other. */
    private static WaitGraph snapshot(EventLoop loop, Duration timeout) {
        return OnLoopThread.call(loop, () -> WaitGraph.of(loop), timeout);
    }

    private static void writeTree(WaitGraph g, Appendable out) throws IOException {
        BitSet written = new BitSet();
        for (int i = 0; i < g.nodes.size(); i++) {
            if (g.awaiters.get(i).isEmpty()) {
                writeNode(g, i, "", written, out);
            }
        }
        // what is left awaits in a cycle: start each cycle anywhere
        for (int i = written.nextClearBit(0); i < g.nodes.size(); i = written.nextClearBit(i + 1)) {
            writeNode(g, i, "", written, out);
        }
    }

    private static void writeNode(WaitGraph g, int i, String indent, BitSet written, Appendable out)
            throws IOException {
        String nl = System.lineSeparator();
        WaitGraph.Node n = g.nodes.get(i);
        out.append(indent).append("* ").append(n.label()).append(' ').append(n.state());
        if (n.waitsFor() != null) {
            out.append(" waiting for ").append(n.waitsFor());
        }
        if (g.deadlocked.get(i)) {
            out.append(" [deadlocked]");
        }
        if (written.get(i)) {
            out.append(" (shown above: the await chain is a cycle)").append(nl);
            return;
        }
        out.append(nl);
        written.set(i);
        for (StackTraceElement f : n.stack()) {
            out.append(indent).append("|   at ").append(String.valueOf(f)).append(nl);
        }
        for (int j = 0; j < g.nodes.size(); j++) {
            if (g.awaiters.get(j).contains(i)) {
                writeNode(g, j, indent + "   ", written, out);
            }
        }
    }
}
