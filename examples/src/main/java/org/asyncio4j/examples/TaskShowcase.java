package org.asyncio4j.examples;

import static org.asyncio4j.AsyncIO.createTask;
import static org.asyncio4j.AsyncIO.gather;
import static org.asyncio4j.AsyncIO.getRunningLoop;
import static org.asyncio4j.AsyncIO.run;
import static org.asyncio4j.AsyncIO.sleep;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/**
 * The tasks showcase: a million concurrent tasks on one thread, each sleeping and waking on
 * timers a few times, with live progress and a summary at the end.
 *
 * <p>Usage: {@code ./showcase tasks [tasks] [naps]} (default 1,000,000 tasks, 2 naps each).
 *
 * <p>A short warm-up first runs 20,000 tasks through the same code with millisecond naps.
 * Without it the JIT compiles the task body while a million tasks sit in its first nap,
 * before any task has ever left the nap loop; every one of them then falls into the
 * deoptimization trap of that untaken loop exit when it wakes (HotSpot keeps the stale
 * compiled frames of suspended continuations), which costs about ten microseconds each.
 */
final class TaskShowcase {
    private TaskShowcase() {
    }

    /** Counters shared by the tasks; only the loop thread touches them. */
    private static final class Stats {
        long wakeUps;
        long finished;
        long peakHeap;
    }

    /**
     * @param args optional task count and naps per task
     */
    static void main(String[] args) {
        int tasks = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int naps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (tasks < 1 || naps < 1) {
            throw new IllegalArgumentException("tasks and naps must be at least 1, got " + tasks + " and " + naps);
        }
        System.out.printf("asyncio4j showcase: %,d tasks on one thread, each naps %d times for 0.1-1.0 s (engine: %s)%n",
                tasks, naps, AsyncIO.coroutineEngine());
        long w0 = System.nanoTime();
        naps(20_000, naps, 0.001, 0.01, new Stats(), false);
        System.out.printf("  warm-up: 20,000 tasks with millisecond naps in %.2f s%n", (System.nanoTime() - w0) / 1e9);
        naps(tasks, naps, 0.1, 1.0, new Stats(), true);
    }

    private static void naps(int tasks, int naps, double minNap, double maxNap, Stats stats, boolean report) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long t0 = System.nanoTime();
        run(() -> {
            EventLoop loop = getRunningLoop();
            // a million tasks made in one step, and a million waking in a few iterations, hold
            // the loop for up to a second on purpose: the watchdog would report each of those
            loop.setBlockedLoopDetection(false);
            SplittableRandom random = new SplittableRandom(42);
            List<Task<Void>> all = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                double[] delays = new double[naps];
                for (int k = 0; k < naps; k++) {
                    delays[k] = minNap + (maxNap - minNap) * random.nextDouble();
                }
                all.add(createTask(() -> {
                    for (double d : delays) {
                        sleep(d);
                        stats.wakeUps++;
                    }
                    stats.finished++;
                }));
            }
            if (!report) {
                gather(all).await();
                return;
            }
            double spawnSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  spawned %,d tasks in %.2f s (%,.0f tasks/s)%n", tasks, spawnSeconds, tasks / spawnSeconds);
            Task<Void> progress = createTask(() -> {
                while (true) {
                    sleep(0.25);
                    long heap = memory.getHeapMemoryUsage().getUsed();
                    stats.peakHeap = Math.max(stats.peakHeap, heap);
                    System.out.printf("  t=%4.2fs  alive %,9d  wake-ups %,10d  heap %,5d MiB  loop iterations %,d%n",
                            (System.nanoTime() - t0) / 1e9, tasks - stats.finished, stats.wakeUps, heap >> 20,
                            loop.iterations());
                }
            });
            gather(all).await();
            progress.cancel();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heap = memory.getHeapMemoryUsage().getUsed();
            stats.peakHeap = Math.max(stats.peakHeap, heap);
            System.out.println();
            System.out.printf("done: %,d tasks and %,d timer wake-ups in %.2f s on one thread%n", tasks, stats.wakeUps, seconds);
            System.out.printf("  %,.0f tasks/s, %,.0f wake-ups/s (of wall time, most of it spent sleeping)%n",
                    tasks / seconds, stats.wakeUps / seconds);
            System.out.printf("  peak heap seen %,d MiB (~%,d bytes per sleeping task), %,d loop iterations%n",
                    stats.peakHeap >> 20, stats.peakHeap / tasks, loop.iterations());
        });
    }
}
