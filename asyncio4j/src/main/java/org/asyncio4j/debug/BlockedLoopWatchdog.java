package org.asyncio4j.debug;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.LoopInstrumentation;

/**
 * Blocked-loop detection, on by default: one daemon platform thread shared by every loop
 * of the JVM notices when one loop iteration holds its thread longer than the loop's
 * {@link EventLoop#blockedLoopThreshold()} (0.1 s unless set), and logs a warning through
 * the {@code org.asyncio4j} {@link System.Logger} naming the running task with the stack
 * of the code holding the loop at that moment; when the loop moves on it logs how long the
 * iteration took. asyncio has it only in debug mode, timing each callback; this costs the
 * loop one plain store per iteration, so it can stay on.
 *
 * <p>Turn it off for every loop with {@code -Dasyncio4j.blockedLoopDetection=false}, or for
 * one with {@link EventLoop#setBlockedLoopDetection}; the JVM then runs no watchdog thread
 * unless some loop has it on.
 *
 * <p>Implementation overview: loops register through the kernel's instrumentation seam
 * ({@link LoopInstrumentation}, a {@code META-INF/services} entry) at their first run and
 * leave when closed; they are held weakly. Every half of the smallest threshold watched,
 * the thread reads each running loop's iteration counter ({@link EventLoop#iterations()},
 * written opaquely once per iteration). A loop is blocked when the counter has not moved
 * for a threshold while the loop is not waiting for events
 * ({@link EventLoop#isWaitingForEvents()}). So what is measured is one iteration (every
 * callback that was ready at its start), seen to half a threshold: a batch of many short
 * callbacks that together exceed the threshold is reported too, as the loop was not
 * answering for that long either. The task and stack are read without synchronization; at
 * worst they are those of a moment later. Of the task only its name is read: its
 * {@code toString} walks state the loop thread may be changing. When a block ends, the JFR event
 * {@code org.asyncio4j.BlockedLoop} ({@link BlockedLoopEvent}) is committed too.
 */
public final class BlockedLoopWatchdog implements LoopInstrumentation {
    private static final Logger LOG = System.getLogger("org.asyncio4j");
    private static final List<Watch> WATCHED = new CopyOnWriteArrayList<>();
    /** The watchdog thread, started with the first loop that has detection on; guarded by the class. */
    private static Thread thread;

    /** For {@link java.util.ServiceLoader}: the instance the kernel's seam calls. */
    public BlockedLoopWatchdog() {
    }

    /** Watches {@code loop} from now until it is closed (or collected). */
    @Override
    public void loopStarted(EventLoop loop) {
        WATCHED.add(new Watch(loop));
        if (loop.getBlockedLoopDetection()) {
            startThread();
        }
    }

    /** Lets the watchdog thread report the end of a block, if any, then forget the loop. */
    @Override
    public void loopClosed(EventLoop loop) {
        for (Watch w : WATCHED) {
            if (w.loop.get() == loop) {
                w.closed = true;
            }
        }
    }

    private static synchronized void startThread() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("asyncio4j-blocked-loop-watchdog").start(BlockedLoopWatchdog::watch);
        }
    }

    private static void watch() {
        long period = 50_000_000L;
        while (true) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            double smallest = Double.POSITIVE_INFINITY;
            for (Watch w : WATCHED) {
                EventLoop loop = w.loop.get();
                if (loop == null) {
                    WATCHED.remove(w);
                } else if (w.closed) {
                    w.moveOn(-1, now);
                    WATCHED.remove(w);
                } else if (loop.getBlockedLoopDetection()) {
                    smallest = Math.min(smallest, loop.blockedLoopThreshold());
                    w.check(loop, now);
                }
            }
            period = Double.isInfinite(smallest) ? 50_000_000L : (long) (smallest * 0.5e9);
        }
    }

    /** One loop's state, as the watchdog thread alone reads and writes it. */
    private static final class Watch {
        final WeakReference<EventLoop> loop;
        /** Set by the loop's thread when it closes the loop. */
        volatile boolean closed;
        private long iteration = -1;
        /** When the watchdog first saw this iteration. */
        private long since;
        private boolean reported;
        private String loopThreadName;
        /** The running task when the block was reported, for the JFR event; empty for a callback. */
        private String blockingTask;

        Watch(EventLoop loop) {
            this.loop = new WeakReference<>(loop);
        }

        void check(EventLoop l, long now) {
            Thread t = l.runningThread();
            long it = l.iterations();
            if (t == null || l.isWaitingForEvents() || it != iteration) {
                moveOn(it, now);
                return;
            }
            double held = (now - since) * 1e-9;
            if (!reported && held >= l.blockedLoopThreshold()) {
                reported = true;
                loopThreadName = t.getName();
                Task<?> task = l.currentTask();
                blockingTask = task == null ? "" : task.getName();
                LOG.log(Level.WARNING, String.format("event loop on thread %s is blocked: one iteration has held it for "
                        + "%.3f seconds (threshold %.3f), in %s; it is at:%s", t.getName(), held,
                        l.blockedLoopThreshold(), task != null ? "a step of task '" + blockingTask + "'" : "a callback", LoopStack.of(l, t)));
            }
        }

        /** The loop is past the iteration watched: report the end of a block, and watch {@code it}. */
        void moveOn(long it, long now) {
            if (reported) {
                reported = false;
                BlockedLoopEvent event = new BlockedLoopEvent();
                if (event.isEnabled()) {
                    event.loopThread = loopThreadName;
                    event.task = blockingTask;
                    event.blockedFor = now - since;
                    event.commit();
                }
                LOG.log(Level.WARNING, String.format("event loop on thread %s is running again: one iteration held it "
                        + "for about %.3f seconds", loopThreadName, (now - since) * 1e-9));
            }
            iteration = it;
            since = now;
        }
    }
}
