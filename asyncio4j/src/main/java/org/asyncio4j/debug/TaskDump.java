package org.asyncio4j.debug;

import java.io.IOException;
import java.time.Duration;
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
 * <p>The snapshot of which tasks live, who awaits whom and the deadlocks is taken on the
 * loop's thread at one moment: called there (or while the loop is not running) at once;
 * from another thread it is scheduled with {@link EventLoop#callSoonThreadsafe} and the
 * caller waits for the loop to take it up, up to a timeout, then fails with the loop
 * thread's stack (a loop that does not answer is blocked). The tasks' lines, with their
 * frames, are then written a few hundred tasks at a time, each batch read on the loop's
 * thread and appended to the {@link Appendable} on the calling thread: a million tasks
 * never hold the loop for long at once, the whole text is never built in memory, and a
 * slow output never holds the loop. A task that finished, or moved on to another wait,
 * between the snapshot and its line says so on its line.
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
        copy(new TaskDumpReader(loop, true, timeout), out);
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
        copy(new TaskDumpReader(loop, false, DEFAULT_TIMEOUT), out);
    }

    /**
     * The loop's deadlocks, as {@link #dump} reports them.
     *
     * @param loop the loop
     * @return the groups of tasks that only each other could wake; empty if none
     * @throws IllegalStateException if the loop does not answer within {@link #DEFAULT_TIMEOUT}
     */
    public static List<Deadlock> deadlocks(EventLoop loop) {
        return OnLoopThread.call(loop, () -> WaitGraph.of(loop), DEFAULT_TIMEOUT).deadlocks;
    }

    private static void copy(TaskDumpReader reader, Appendable out) throws IOException {
        for (String piece = reader.next(); piece != null; piece = reader.next()) {
            out.append(piece);
        }
    }
}
