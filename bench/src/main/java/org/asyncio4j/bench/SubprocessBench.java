package org.asyncio4j.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.Connection;
import org.asyncio4j.net.WriteTransport;
import org.asyncio4j.process.Process;
import org.asyncio4j.process.SubprocessOptions;
import org.asyncio4j.process.SubprocessProtocol;
import org.asyncio4j.process.SubprocessTransport;

/**
 * The subprocess workloads of bench/run, the same work as {@code bench/subprocess_bench.py}
 * (same counts, same shapes), printed as {@code name value unit} lines.
 *
 * <ul>
 *   <li>{@code subprocess_spawn}: {@code true} started, run to exit and collected 1,000
 *       times, 10 at a time (10 tasks, 100 each), after a warm-up of 100; processes/s.
 *   <li>{@code subprocess_pipe}: 256 MiB written to {@code cat} in 64 KiB chunks (write +
 *       drain) while another task reads its stdout with {@code read(65536)}; MB/s (10^6
 *       bytes), the median of five runs after six warm-up runs of the same (the steady
 *       state: the read path runs once per pipe read, about 1,700 times a run, so C2
 *       compiles it only in the fourth to sixth run).
 *   <li>{@code subprocess_pipe_protocol}: the same bytes through {@code cat} with a
 *       {@link SubprocessProtocol} instead of streams (asyncio's {@code loop.subprocess_exec}):
 *       64 KiB writes to the stdin pipe's transport, waiting on {@code resumeWriting} while
 *       it is paused, and the output counted in {@code pipeDataReceived}; measured as
 *       {@code subprocess_pipe}.
 * </ul>
 *
 * <p>Usage: {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp
 * bench/target/benchmarks.jar org.asyncio4j.bench.SubprocessBench [workload...]}.
 */
public final class SubprocessBench {
    private static final int SPAWNS = 1000;
    private static final int CONCURRENCY = 10;
    private static final long PIPE_BYTES = 256L << 20;
    private static final int CHUNK = 64 << 10;
    /** Warm-up runs of the whole pipe workload, as the micro workloads' warm-up rounds: the JIT compiles the I/O path. */
    private static final int PIPE_WARMUPS = 6;
    /** Measured runs; their median is the figure (one 256 MiB run lasts about 0.1 s). */
    private static final int PIPE_RUNS = 5;

    private SubprocessBench() {
    }

    /**
     * @param args workload names; none means all three
     * @throws Exception if a workload fails
     */
    public static void main(String[] args) throws Exception {
        List<String> wanted = args.length == 0 ? List.of("subprocess_spawn", "subprocess_pipe", "subprocess_pipe_protocol") : Arrays.asList(args);
        System.out.println("# engine=" + AsyncIO.coroutineEngine() + " java=" + System.getProperty("java.version"));
        AsyncIO.run(() -> {
            for (String name : wanted) {
                switch (name) {
                    case "subprocess_spawn" -> {
                        spawn(100);
                        long t0 = System.nanoTime();
                        spawn(SPAWNS);
                        double secs = (System.nanoTime() - t0) / 1e9;
                        System.out.printf("subprocess_spawn %.1f processes/s%n", SPAWNS / secs);
                    }
                    case "subprocess_pipe" -> pipeRate(name, SubprocessBench::pipe);
                    case "subprocess_pipe_protocol" -> pipeRate(name, SubprocessBench::pipeProtocol);
                    default -> throw new IllegalArgumentException("unknown workload " + name);
                }
            }
        });
    }

    private static void spawn(int n) {
        List<Task<Void>> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            workers.add(AsyncIO.createTask(() -> {
                for (int i = 0; i < n / CONCURRENCY; i++) {
                    AsyncIO.createSubprocessExec("true").await();
                }
            }));
        }
        for (Task<Void> w : workers) {
            w.await();
        }
    }

    /** One run of a pipe workload: {@code total} bytes through {@code cat} and back. */
    private interface PipeRun {
        void run(long total) throws Exception;
    }

    /** Prints the median rate of {@link #PIPE_RUNS} runs after {@link #PIPE_WARMUPS} warm-up runs. */
    private static void pipeRate(String name, PipeRun pipe) throws Exception {
        for (int i = 0; i < PIPE_WARMUPS; i++) {
            pipe.run(PIPE_BYTES);
        }
        double[] rates = new double[PIPE_RUNS];
        for (int i = 0; i < PIPE_RUNS; i++) {
            long t0 = System.nanoTime();
            pipe.run(PIPE_BYTES);
            rates[i] = PIPE_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("%s %.1f MB/s%n", name, rates[PIPE_RUNS / 2]);
    }

    private static void pipe(long total) throws Exception {
        Process p = AsyncIO.createSubprocessExec(SubprocessOptions.PIPES.withStderr(
                java.lang.ProcessBuilder.Redirect.INHERIT), "cat");
        Task<Long> reader = AsyncIO.createTask(() -> {
            long got = 0;
            byte[] data;
            while ((data = p.stdout().read(65536)).length > 0) {
                got += data.length;
            }
            return got;
        });
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        for (long i = 0; i < total / CHUNK; i++) {
            p.stdin().write(chunk);
            p.stdin().drain();
        }
        p.stdin().close();
        long got = reader.await();
        p.await();
        if (got != total) {
            throw new IllegalStateException("cat gave back " + got + " bytes of " + total);
        }
    }

    private static void pipeProtocol(long total) throws Exception {
        Connection<SubprocessTransport, CountingProtocol> c = AsyncIO.subprocessExec(CountingProtocol::new,
                SubprocessOptions.PIPES.withStderr(java.lang.ProcessBuilder.Redirect.INHERIT), "cat");
        WriteTransport stdin = (WriteTransport) c.transport().getPipeTransport(0);
        CountingProtocol counter = c.protocol();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            chunk.put(i, (byte) i);
        }
        for (long i = 0; i < total / CHUNK; i++) {
            stdin.write(chunk.duplicate());
            Future<Void> resume = counter.resume;
            if (resume != null) {
                resume.await();
            }
        }
        stdin.close();
        counter.lost.await();
        c.transport().close();
        if (counter.got != total) {
            throw new IllegalStateException("cat gave back " + counter.got + " bytes of " + total);
        }
    }

    /** Counts what the child writes to stdout; {@code resume} is pending while the stdin pipe is paused. */
    private static final class CountingProtocol implements SubprocessProtocol {
        private final EventLoop loop = AsyncIO.getRunningLoop();
        private final Future<Void> lost = loop.createFuture();
        private long got;
        private Future<Void> resume;

        @Override
        public void pipeDataReceived(int fd, ByteBuffer data) {
            got += data.remaining();
        }

        @Override
        public void pauseWriting() {
            resume = loop.createFuture();
        }

        @Override
        public void resumeWriting() {
            Future<Void> r = resume;
            resume = null;
            r.setResult(null);
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(null);
        }
    }
}
