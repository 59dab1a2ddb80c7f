package org.asyncio4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;

/**
 * The whole-process workloads of DESIGN §5, the same work as {@code ../shared/bench/micro.py}
 * and {@code memtasks.py} (same counts, same shapes), printed as {@code name value unit}
 * lines that {@code bench/run} reads.
 *
 * <p>Usage: {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp
 * bench/target/benchmarks.jar org.asyncio4j.bench.Micro [workload...]}. Each throughput
 * workload runs warm-up rounds to let the JIT compile the loop (at least {@code -Dwarmup=}
 * rounds, default 3, and at least {@code -DwarmupSecs=} seconds, default 1), then
 * {@code -Druns=} measured rounds (default 5), each on a fresh loop, and prints their
 * median: the steady state a long-running program sees. A round of the shorter workloads
 * lasts tens of milliseconds, so one young collection or recompilation inside it would
 * otherwise halve the figure; and three rounds were too few for C2 to finish with
 * {@code task_switch}'s path (its rounds rise until about the eighth, bench/README.md).
 *
 * <p>{@code idle_task_memory} ({@code -Dtasks=}, default 1M) and {@code sleepers}
 * ({@code -Dsleepers=}, default 1M tasks; {@code ../shared/bench/sleepers.py}) run once:
 * they are long enough, and bench/run gives each a JVM of its own.
 */
public final class Micro {
    private Micro() {
    }

    interface Workload {
        double run() throws Exception;
    }

    /**
     * @param args workload names; none means all
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, Workload> workloads = new LinkedHashMap<>();
        workloads.put("call_soon", Micro::callSoon);
        units.put("call_soon", "callbacks/s");
        workloads.put("task_switch", Micro::taskSwitch);
        units.put("task_switch", "switches/s");
        workloads.put("spawn", Micro::spawn);
        units.put("spawn", "tasks/s");
        workloads.put("queue", Micro::queue);
        units.put("queue", "items/s");
        workloads.put("timers", Micro::timers);
        units.put("timers", "timers/s");
        List<String> wanted = args.length == 0 ? new ArrayList<>(List.of("call_soon", "task_switch", "spawn", "queue",
                "timers", "idle_task_memory")) : Arrays.asList(args);
        int runs = Math.max(1, Integer.getInteger("runs", 5));
        System.out.println("# engine=" + AsyncIO.coroutineEngine() + " warmup=" + warmupRounds() + " rounds and "
                + warmupSecs() + " s, runs=" + runs + " java=" + System.getProperty("java.version"));
        for (String name : wanted) {
            if (name.equals("idle_task_memory")) {
                int n = Integer.getInteger("tasks", 1_000_000);
                System.out.printf("idle_task_memory %.0f bytes/task (n=%d)%n", idleTaskMemory(n), n);
                continue;
            }
            if (name.equals("sleepers")) {   // one shot, like sleepers.py: the run is long enough
                int n = Integer.getInteger("sleepers", 1_000_000);
                sleepers(n);
                continue;
            }
            Workload w = workloads.get(name);
            if (w == null) {
                System.err.println("unknown workload " + name + "; known: " + workloads.keySet()
                        + " idle_task_memory sleepers");
                System.exit(2);
            }
            warmUp(w);
            double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                rates[i] = w.run();
            }
            Arrays.sort(rates);
            System.out.printf("%s %.0f %s%n", name, rates[runs / 2], units.get(name));
        }
    }

    /** Runs {@code w} for at least {@link #warmupRounds()} rounds and {@link #warmupSecs()} seconds. */
    static void warmUp(Workload w) throws Exception {
        int rounds = warmupRounds();
        long end = System.nanoTime() + (long) (warmupSecs() * 1e9);
        for (int i = 0; i < rounds || System.nanoTime() < end; i++) {
            w.run();
        }
    }

    static int warmupRounds() {
        return Integer.getInteger("warmup", 3);
    }

    static double warmupSecs() {
        return Double.parseDouble(System.getProperty("warmupSecs", "1"));
    }

    static double rate(long n, long t0) {
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** A chain of 1M callbacks, each scheduled by the previous one, so each runs in the next iteration. */
    static double callSoon() {
        int n = 1_000_000;
        try (EventLoop loop = EventLoop.newEventLoop()) {
            Future<Void> done = loop.createFuture();
            Runnable cb = new Runnable() {
                int count;

                @Override
                public void run() {
                    if (++count < n) {
                        loop.callSoon(this);
                    } else {
                        done.setResult(null);
                    }
                }
            };
            long t0 = System.nanoTime();
            loop.callSoon(cb);
            loop.runUntilComplete(done);
            return rate(n, t0);
        }
    }

    /** 1,000 tasks, each doing 200 sleep(0). */
    static double taskSwitch() {
        int tasks = 1000;
        int rounds = 200;
        return AsyncIO.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Void>> all = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                all.add(AsyncIO.createTask(() -> {
                    for (int r = 0; r < rounds; r++) {
                        AsyncIO.sleep(0);
                    }
                }));
            }
            AsyncIO.gather(all).await();
            return rate((long) tasks * rounds, t0);
        });
    }

    /** gather of 200,000 trivial coroutines. */
    static double spawn() {
        int n = 200_000;
        return AsyncIO.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(AsyncIO.createTask(() -> 1));
            }
            AsyncIO.gather(all).await();
            return rate(n, t0);
        });
    }

    /** 500,000 items through Queue(maxsize=100), one producer task and one consumer task. */
    static double queue() {
        int n = 500_000;
        return AsyncIO.run(() -> {
            org.asyncio4j.queue.Queue<Integer> q = new org.asyncio4j.queue.Queue<>(100);
            long t0 = System.nanoTime();
            Task<Void> producer = AsyncIO.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            });
            Task<Void> consumer = AsyncIO.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.get();
                }
            });
            AsyncIO.gather(producer, consumer).await();
            return rate(n, t0);
        });
    }

    /** 200,000 callAt timers spread over 10 ms. */
    static double timers() {
        int n = 200_000;
        return AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            Future<Void> done = loop.createFuture();
            int[] left = {n};
            Runnable fire = () -> {
                if (--left[0] == 0) {
                    done.setResult(null);
                }
            };
            long t0 = System.nanoTime();
            double now = loop.time();
            for (int i = 0; i < n; i++) {
                loop.callAt(now + (i % 1000) / 100000.0, fire);
            }
            done.await();
            return rate(n, t0);
        });
    }

    /**
     * {@code ../shared/bench/sleepers.py} in Java: n tasks, each sleeping twice for a random
     * 0.1-1.0 s drawn from CPython's {@code random.Random(42)} (the same delays, in the same
     * order); prints wake-ups per second of wall time from the first createTask to the end of
     * gather, in the same line format as sleepers.py.
     */
    static void sleepers(int n) {
        PyRandom r = new PyRandom(42);
        double[] delays = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            delays[i] = r.uniform(0.1, 1.0);
        }
        AsyncIO.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = 2 * i;
                tasks.add(AsyncIO.createTask(() -> {
                    AsyncIO.sleep(delays[k]);
                    AsyncIO.sleep(delays[k + 1]);
                }));
            }
            AsyncIO.gather(tasks).await();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            System.out.printf("sleepers %.0f wakeups/s (%d tasks, %.2f s)%n", 2 * n / elapsed, n, elapsed);
        });
    }

    /** Heap bytes per task for n tasks parked on one future (after full GCs, like the Kotlin peer). */
    static double idleTaskMemory(int n) {
        return AsyncIO.run(() -> {
            Future<Void> gate = AsyncIO.getRunningLoop().createFuture();
            long before = usedHeap();
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(AsyncIO.createTask(() -> {
                    gate.await();
                }));
            }
            AsyncIO.sleep(0.1);
            long listBytes = 16L + 4L * n; // the benchmark's own list of tasks, not the library's
            long after = usedHeap();
            gate.setResult(null);
            AsyncIO.gather(tasks).await();
            return (after - before - listBytes) / (double) n;
        });
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
