package org.asyncio4j.bench;

import java.lang.reflect.Field;
import java.util.Arrays;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The floor of a stackful design on this JVM (DESIGN §5, issue 10): what a bare
 * {@code jdk.internal.vm.Continuation} costs with no event loop around it, printed as
 * {@code name value unit} lines beside the workloads they bound ({@code bench/run} prints
 * them as {@code ratio_vs_floor}).
 *
 * <ul>
 *   <li>{@code floor_switch} (switches/s): the shape of {@code task_switch}, 1,000
 *       continuations each yielding 200 times, run round robin; one switch is one
 *       {@code run()} that resumes a continuation and the {@code yield} that returns.
 *   <li>{@code floor_idle_memory} (bytes/continuation): 1M ({@code -Dtasks=}) bare
 *       continuations suspended as many frames deep as a task parked on a future in
 *       {@code Micro idle_task_memory}, measured the same way (used heap after full GCs).
 * </ul>
 *
 * <p>Usage: {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp
 * bench/target/benchmarks.jar org.asyncio4j.bench.Floor [floor_switch] [floor_idle_memory]}.
 * {@code -Dwarmup=}, {@code -DwarmupSecs=} and {@code -Druns=} as in {@link Micro}.
 */
public final class Floor {
    private static final ContinuationScope SCOPE = new ContinuationScope("floor");

    private Floor() {
    }

    /**
     * @param args workload names; none means both
     */
    public static void main(String[] args) throws Exception {
        String[] wanted = args.length == 0 ? new String[] {"floor_switch", "floor_idle_memory"} : args;
        int runs = Math.max(1, Integer.getInteger("runs", 5));
        for (String name : wanted) {
            switch (name) {
                case "floor_switch" -> {
                    Micro.warmUp(Floor::floorSwitch);
                    double[] rates = new double[runs];
                    for (int i = 0; i < runs; i++) {
                        rates[i] = floorSwitch();
                    }
                    Arrays.sort(rates);
                    System.out.printf("floor_switch %.0f switches/s%n", rates[runs / 2]);
                }
                case "floor_idle_memory" -> {
                    int n = Integer.getInteger("tasks", 1_000_000);
                    int depth = parkedTaskDepth();
                    int extra = depth - bareDepth(0);
                    if (extra < 0 || bareDepth(extra) != depth) {
                        throw new IllegalStateException("cannot match a parked task's depth of " + depth + " frames");
                    }
                    System.out.printf("floor_idle_memory %.0f bytes/continuation (n=%d, %d frames deep like a parked task)%n",
                            floorIdleMemory(n, extra), n, depth);
                }
                default -> {
                    System.err.println("unknown workload " + name + "; known: floor_switch floor_idle_memory");
                    System.exit(2);
                }
            }
        }
    }

    /** 1,000 continuations × 200 yields, round robin; creation included, as task_switch includes spawning. */
    static double floorSwitch() {
        int n = 1000;
        int rounds = 200;
        long t0 = System.nanoTime();
        Runnable body = () -> {
            for (int r = 0; r < rounds; r++) {
                Continuation.yield(SCOPE);
            }
        };
        Continuation[] all = new Continuation[n];
        for (int i = 0; i < n; i++) {
            all[i] = new Continuation(SCOPE, body);
        }
        for (int r = 0; r <= rounds; r++) {   // the first run starts each, the last one finishes it
            for (Continuation c : all) {
                c.run();
            }
        }
        return Micro.rate((long) n * rounds, t0);
    }

    /** Heap bytes per bare continuation suspended {@code extra} frames below its body (as Micro.idleTaskMemory). */
    static double floorIdleMemory(int n, int extra) {
        Runnable body = () -> descend(extra);
        long before = Micro.usedHeap();
        Continuation[] all = new Continuation[n];
        for (int i = 0; i < n; i++) {
            all[i] = new Continuation(SCOPE, body);
            all[i].run();
        }
        long arrayBytes = 16L + 4L * n;   // the benchmark's own array, not the continuations
        long after = Micro.usedHeap();
        for (Continuation c : all) {
            c.run();
        }
        return (after - before - arrayBytes) / (double) n;
    }

    static void descend(int frames) {
        if (frames > 0) {
            descend(frames - 1);
        } else {
            Continuation.yield(SCOPE);
        }
    }

    /** Frames in a bare continuation suspended {@code extra} frames below its body. */
    static int bareDepth(int extra) {
        Continuation c = new Continuation(SCOPE, () -> descend(extra));
        c.run();
        int depth = c.getStackTrace().length;
        c.run();
        return depth;
    }

    /** Frames in the continuation of a task parked on a future, as in Micro.idleTaskMemory. */
    static int parkedTaskDepth() throws ReflectiveOperationException {
        if (!AsyncIO.coroutineEngine().equals("continuation")) {
            throw new IllegalStateException("floor_idle_memory needs the continuation engine, not "
                    + AsyncIO.coroutineEngine());
        }
        Field f = Class.forName("org.asyncio4j.future.ContinuationEngine").getDeclaredField("SCOPE");
        f.setAccessible(true);
        ContinuationScope scope = (ContinuationScope) f.get(null);
        return AsyncIO.run(() -> {
            Future<Void> gate = AsyncIO.getRunningLoop().createFuture();
            Continuation[] parked = new Continuation[1];
            Task<Void> task = AsyncIO.createTask(() -> {
                parked[0] = Continuation.getCurrentContinuation(scope);
                gate.await();
            });
            AsyncIO.sleep(0.01);
            int depth = parked[0].getStackTrace().length;
            gate.setResult(null);
            task.await();
            return depth;
        });
    }
}
