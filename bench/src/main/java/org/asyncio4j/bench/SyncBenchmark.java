package org.asyncio4j.bench;

import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.asyncio4j.future.VoidCoroutine;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.queue.Queue;
import org.asyncio4j.sync.Lock;
import org.asyncio4j.sync.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmarks of the synchronization primitives and queues (operations per
 * second, higher is better):
 *
 * <ul>
 *   <li>{@code lockAcquireRelease}, {@code lockAcquiredGuard}, {@code semaphoreAcquireRelease}:
 *       uncontended acquire + release inside one task, in batches of {@value #BATCH} (a
 *       suspending method must run in a task, and entering the loop per operation would
 *       measure the loop instead);
 *   <li>{@code queuePutGetNowait}: {@code putNowait} + {@code getNowait} from plain code;
 *   <li>{@code queueProducerConsumer}: the DESIGN §5 {@code queue} workload, 500,000 items
 *       through {@code Queue(maxsize)} between one producer task and one consumer task, on
 *       a fresh loop per invocation; the score is items per second (uvloop: 1.3 M/s here).
 * </ul>
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -jar bench/target/benchmarks.jar SyncBenchmark
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -jar bench/target/benchmarks.jar SyncBenchmark.queueProducerConsumer -p maxsize=1,100,1000
 * # a quick producer/consumer figure without JMH:
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp bench/target/benchmarks.jar org.asyncio4j.bench.SyncBenchmark [rounds]
 * </pre>
 *
 * The forks get the export flag themselves ({@code @Fork(jvmArgsAppend)}), so they use the
 * continuation engine; add {@code -jvmArgsAppend -Dasyncio4j.engine=virtual-thread} to
 * measure the fallback engine.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xms1g", "-Xmx1g",
        "-XX:+AlwaysPreTouch"})
public class SyncBenchmark {
    /** Operations per task run in the lock and semaphore benchmarks. */
    static final int BATCH = 10_000;
    /** Items through the queue per producer/consumer invocation (DESIGN §5). */
    static final int ITEMS = 500_000;

    /** A loop kept for the whole trial, and the primitives the batches use. */
    @State(Scope.Thread)
    public static class Primitives {
        EventLoop loop;
        Lock lock;
        Semaphore semaphore;
        Queue<Integer> queue;
        final Integer item = 42;
        VoidCoroutine lockBatch;
        VoidCoroutine guardBatch;
        VoidCoroutine semaphoreBatch;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoop.newEventLoop();
            lock = new Lock();
            semaphore = new Semaphore(4);
            queue = new Queue<>(100);
            lockBatch = () -> {
                Lock l = lock;
                for (int i = 0; i < BATCH; i++) {
                    l.acquire();
                    l.release();
                }
            };
            guardBatch = () -> {
                Lock l = lock;
                for (int i = 0; i < BATCH; i++) {
                    try (var held = l.acquired()) {
                        // empty critical section
                    }
                }
            };
            semaphoreBatch = () -> {
                Semaphore s = semaphore;
                for (int i = 0; i < BATCH; i++) {
                    s.acquire();
                    s.release();
                }
            };
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** The capacity of the producer/consumer queue. */
    @State(Scope.Thread)
    public static class Channel {
        @Param({"100"})
        public int maxsize;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lockAcquireRelease(Primitives p) {
        p.loop.runUntilComplete(p.loop.createTask(p.lockBatch));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lockAcquiredGuard(Primitives p) {
        p.loop.runUntilComplete(p.loop.createTask(p.guardBatch));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void semaphoreAcquireRelease(Primitives p) {
        p.loop.runUntilComplete(p.loop.createTask(p.semaphoreBatch));
    }

    @Benchmark
    public Integer queuePutGetNowait(Primitives p) {
        p.queue.putNowait(p.item);
        return p.queue.getNowait();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long queueProducerConsumer(Channel c) {
        return producerConsumer(ITEMS, c.maxsize);
    }

    /**
     * Moves {@code n} items through a {@code Queue(maxsize)} from one producer task to one
     * consumer task on a fresh loop, the {@code queue} workload of DESIGN §5.
     *
     * @param n the number of items
     * @param maxsize the queue's capacity
     * @return the sum of the items got, so the work cannot be optimized away
     */
    static long producerConsumer(int n, int maxsize) {
        EventLoop loop = EventLoop.newEventLoop();
        try {
            Queue<Integer> q = new Queue<>(maxsize);
            long[] sum = {0};
            Task<Void> producer = loop.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            });
            Task<Void> consumer = loop.createTask(() -> {
                long s = 0;
                for (int i = 0; i < n; i++) {
                    s += q.get();
                }
                sum[0] = s;
            });
            loop.runUntilComplete(AsyncIO.gather(producer, consumer));
            return sum[0];
        } finally {
            loop.close();
        }
    }

    /**
     * A quick figure for the producer/consumer workload without JMH: runs it
     * {@code rounds} times (default 15) and prints each rate and the median of the second
     * half (the warmed-up rounds).
     *
     * @param args {@code [rounds [maxsize]]}
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int maxsize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        double[] rates = new double[rounds];
        long expected = (long) ITEMS * (ITEMS - 1) / 2;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long sum = producerConsumer(ITEMS, maxsize);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            if (sum != expected) {
                throw new AssertionError("items lost: sum " + sum + ", expected " + expected);
            }
            rates[r] = ITEMS / seconds;
            System.out.printf("round %2d: %,.0f items/s%n", r + 1, rates[r]);
        }
        double[] warm = java.util.Arrays.copyOfRange(rates, rounds / 2, rounds);
        java.util.Arrays.sort(warm);
        System.out.printf("queue producer/consumer, %,d items, maxsize=%d, engine=%s: median %,.0f items/s (warm rounds)%n",
                ITEMS, maxsize, AsyncIO.coroutineEngine(), warm[warm.length / 2]);
    }
}
