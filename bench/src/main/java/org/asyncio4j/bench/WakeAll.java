package org.asyncio4j.bench;

import org.asyncio4j.AsyncIO;
import org.asyncio4j.sync.Event;

/**
 * Parks N tasks on one {@link Event}, then wakes them all, and prints how long each phase
 * took: spawning and parking (until every task waits), and waking (from {@code set()}
 * until every task has returned). A main program run by hand, not part of {@code bench/run}.
 *
 * <p>Usage: {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -Xms4g -Xmx4g
 * -cp bench/target/benchmarks.jar org.asyncio4j.bench.WakeAll [N] [rounds]} (N defaults to
 * 1,000,000, rounds to 3); for the virtual-thread engine add
 * {@code -Dasyncio4j.engine=virtual-thread -Djdk.virtualThreadScheduler.parallelism=1}.
 */
public final class WakeAll {
    private WakeAll() {
    }

    /**
     * @param args N, then the number of rounds
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println("# engine=" + AsyncIO.coroutineEngine() + " n=" + n + " java=" + System.getProperty("java.version"));
        for (int r = 0; r < rounds; r++) {
            long[] t = AsyncIO.run(() -> {
                Event event = new Event();
                int[] finished = {0};
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    AsyncIO.createTask(() -> {
                        event.await();
                        finished[0]++;
                    });
                }
                while (event.statistics().tasksWaiting() < n) {
                    AsyncIO.sleep(0);
                }
                long t1 = System.nanoTime();
                event.set();
                while (finished[0] < n) {
                    AsyncIO.sleep(0);
                }
                long t2 = System.nanoTime();
                return new long[] {t1 - t0, t2 - t1};
            });
            System.out.printf("round %d: spawn+park %.2f s, wake-all %.2f s (%.0f ns/task)%n", r, t[0] / 1e9, t[1] / 1e9,
                    (double) t[1] / n);
        }
    }
}
