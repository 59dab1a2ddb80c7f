package org.asyncio4j.process;

import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/**
 * Ctrl-C for {@code AsyncIO.run} and {@code Runner.run}, as asyncio 3.11+'s
 * {@code Runner} does it: the first {@code SIGINT} cancels the main task (so its
 * {@code finally} blocks and task groups unwind) and the run then ends with
 * {@link KeyboardInterrupt}; a second {@code SIGINT} while it unwinds gets the JVM's own
 * handler back, which runs the shutdown hooks and exits with status 130 at once.
 *
 * <pre>
 *   INSTALLED ──first SIGINT: the JVM's handler is back, main.cancel() posted──▶ INTERRUPTED
 *   INSTALLED ──close(): the JVM's handler is back──▶ CLOSED
 * </pre>
 *
 * <p>Installed only when the run is on the JVM's main thread and {@code SIGINT} still has
 * the JVM's default handler (asyncio: the main thread, and {@code default_int_handler}), so
 * a program with its own handler, or a run on another thread, is left alone. Used by the
 * facade; not meant for applications.
 *
 * <p>Implementation overview: {@code interrupted} and {@code restored} are written under the object's monitor by the
 * JVM's signal thread and by the thread that runs the loop; the cancel itself is posted to
 * the loop with {@code callSoonThreadsafe}, never done on the signal thread.
 */
public final class MainTaskInterrupt implements AutoCloseable {
    private final EventLoop loop;
    private final Task<?> main;
    /** The JVM's handler, put back on the first SIGINT or on close. */
    private sun.misc.SignalHandler previous;
    /** A SIGINT arrived; guarded by {@code this}. */
    private boolean interrupted;
    /** The JVM's handler is back in place; guarded by {@code this}. */
    private boolean restored;

    private MainTaskInterrupt(EventLoop loop, Task<?> main) {
        this.loop = loop;
        this.main = main;
    }

    /**
     * Makes the first {@code SIGINT} cancel {@code main}, if the caller is the JVM's main
     * thread and {@code SIGINT} has the JVM's default handler.
     *
     * @param loop the loop that runs {@code main}
     * @param main the main task
     * @return the installed interrupt, to {@link #close()} when the run ends; {@code null}
     *     when nothing was installed
     */
    public static MainTaskInterrupt install(EventLoop loop, Task<?> main) {
        if (!onMainThread()) {
            return null;
        }
        MainTaskInterrupt mi = new MainTaskInterrupt(loop, main);
        synchronized (mi) {
            sun.misc.SignalHandler old;
            try {
                old = SignalHandlers.install(Signal.SIGINT, s -> mi.onSigint());
            } catch (IllegalArgumentException refused) {
                return null; // e.g. -Xrs: the JVM keeps SIGINT
            }
            // sun.misc wraps the JVM's handlers; the wrapper's toString is the handler's
            if (!old.toString().startsWith("java.lang.Terminator")) {
                SignalHandlers.install(Signal.SIGINT, old); // the program handles SIGINT itself
                return null;
            }
            mi.previous = old;
        }
        return mi;
    }

    /** Java has no call that names the main thread: the launcher's is the platform thread "main" of the group "main". */
    private static boolean onMainThread() {
        Thread t = Thread.currentThread();
        ThreadGroup g = t.getThreadGroup();
        return !t.isVirtual() && "main".equals(t.getName()) && g != null && "main".equals(g.getName());
    }

    private synchronized void onSigint() {
        if (restored) {
            return;
        }
        interrupted = true;
        restored = true;
        SignalHandlers.install(Signal.SIGINT, previous); // a second Ctrl-C: the JVM's own exit
        try {
            loop.callSoonThreadsafe(() -> {
                if (!main.done()) {
                    main.cancel();
                }
            });
        } catch (IllegalStateException closed) {
            // the run is over already
        }
    }

    /** @return whether a {@code SIGINT} arrived (asyncio's {@code _interrupt_count > 0}) */
    public synchronized boolean interrupted() {
        return interrupted;
    }

    /** Puts the JVM's {@code SIGINT} handler back, if the first Ctrl-C did not already. Idempotent. */
    @Override
    public synchronized void close() {
        if (!restored) {
            restored = true;
            SignalHandlers.install(Signal.SIGINT, previous);
        }
    }

    @Override
    public synchronized String toString() {
        return "<MainTaskInterrupt " + (interrupted ? "interrupted" : restored ? "closed" : "installed") + " main=" + main
                + '>';
    }
}
