package org.asyncio4j.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.asyncio4j.AsyncIO.createTask;
import static org.asyncio4j.AsyncIO.gather;
import static org.asyncio4j.AsyncIO.openConnection;
import static org.asyncio4j.AsyncIO.run;
import static org.asyncio4j.AsyncIO.sleep;
import static org.asyncio4j.AsyncIO.startServer;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.asyncio4j.stream.StreamPair;
import org.asyncio4j.stream.StreamReader;
import org.asyncio4j.sync.Event;
import org.asyncio4j.sync.Semaphore;

/**
 * The network showcase: in one JVM, on one loop thread, a stream echo server on loopback
 * and thousands of client tasks, each with its own TCP connection, sending lines and
 * waiting for each echo. Prints a progress line every second and, at the end, the
 * throughput and the round-trip latency percentiles (timed with {@code System.nanoTime}
 * inside the client tasks).
 *
 * <p>Usage: {@code ./showcase [net] [clients] [round-trips]} (default 5,000 clients, 40
 * round trips each). Each connection takes two file descriptors (the client's and the
 * server's); when {@code ulimit -n} is below {@code 2 × clients + 100} the client count is
 * scaled down, with a note.
 *
 * <p>The asyncio program it mirrors:
 *
 * <pre>{@code
 * async def handle(reader, writer):
 *     async for line in reader:
 *         writer.write(line)
 *         await writer.drain()
 *     writer.close()
 *
 * async def client(port, n, latencies):
 *     reader, writer = await asyncio.open_connection("127.0.0.1", port)
 *     for i in range(n):
 *         t0 = time.perf_counter_ns()
 *         writer.write(b"ping %d\n" % i)
 *         await writer.drain()
 *         await reader.readline()
 *         latencies.append(time.perf_counter_ns() - t0)
 *     writer.close()
 *
 * async def main():
 *     server = await asyncio.start_server(handle, "127.0.0.1", 0)
 *     port = server.sockets[0].getsockname()[1]
 *     await asyncio.gather(*(client(port, 40, lat) for _ in range(5000)))
 * }</pre>
 */
final class NetShowcase {
    private NetShowcase() {
    }

    /** Connections opening at once: a burst of thousands would overflow the listen backlog. */
    private static final int CONNECTING_AT_ONCE = 200;

    /** Counters shared by the tasks; only the loop thread touches them. */
    private static final class Stats {
        int open;               // client connections open now
        int failed;             // clients that failed (connect or I/O error)
        long roundTrips;        // round trips completed, all clients
        long[] latencies;       // nanoseconds per round trip, roundTrips entries used
        String firstError;      // the first failure, for the summary
    }

    static void main(String[] args) throws IOException {
        int clients = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 5_000;
        int trips = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 40;
        if (clients < 1 || trips < 1) {
            throw new IllegalArgumentException("clients and round trips must be at least 1, got " + clients
                    + " and " + trips);
        }
        long fdLimit = maxFileDescriptors();
        if (fdLimit > 0 && fdLimit < 2L * clients + 100) {
            int fit = (int) Math.max(1, (fdLimit - 100) / 2);
            System.out.printf("note: ulimit -n is %,d, too low for %,d clients (2 file descriptors each, plus 100);"
                    + " running %,d clients instead (raise it with `ulimit -n %d`)%n",
                    fdLimit, clients, fit, 2L * clients + 100);
            clients = fit;
        }
        System.out.printf("asyncio4j showcase: a stream echo server and %,d client tasks, %d round trips each,"
                + " on one thread over loopback (engine: %s)%n", clients, trips, AsyncIO.coroutineEngine());
        long w0 = System.nanoTime();
        echo(Math.min(clients, 200), 200, false);
        System.out.printf("  warm-up: %,d clients x 200 round trips in %.2f s%n", Math.min(clients, 200),
                (System.nanoTime() - w0) / 1e9);
        Stats stats = echo(clients, trips, true);
        if (stats.failed > 0) {
            System.exit(1);
        }
    }

    private static Stats echo(int clients, int trips, boolean report) throws IOException {
        Stats stats = new Stats();
        stats.latencies = new long[Math.multiplyExact(clients, trips)];
        run(() -> {
            Server server = startServer((reader, writer) -> {
                for (byte[] line : reader.lines()) {       // until the client closes
                    writer.write(line);
                    writer.drain();
                }
                writer.close();
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withBacklog(CONNECTING_AT_ONCE * 2), StreamReader.DEFAULT_LIMIT);
            int port = ((InetSocketAddress) server.sockets().get(0).getLocalAddress()).getPort();

            long t0 = System.nanoTime();
            Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
            Event go = new Event();                          // set once every client is connected
            List<Task<Void>> all = new ArrayList<>(clients);
            for (int c = 0; c < clients; c++) {
                int id = c;
                all.add(createTask(() -> client(id, port, trips, connecting, go, stats)));
            }
            Task<Void> progress = report ? createTask(() -> progress(t0, clients, trips, stats)) : null;

            while (stats.open + stats.failed < clients) {  // the connect phase
                sleep(0.01);
            }
            long t1 = System.nanoTime();
            if (report) {
                System.out.printf("  connected %,d clients in %.2f s; now every one sends %d lines, one at a time%n",
                        stats.open, (t1 - t0) / 1e9, trips);
            }
            go.set();
            gather(all).await();
            long t2 = System.nanoTime();
            if (progress != null) {
                progress.cancel();
            }
            server.close();
            server.waitClosed();                            // every server-side connection gone
            if (report) {
                summary(clients, stats, (t2 - t1) / 1e9, (System.nanoTime() - t0) / 1e9);
            }
        });
        return stats;
    }

    private static void client(int id, int port, int trips, Semaphore connecting, Event go, Stats stats) {
        StreamPair conn;
        try (var held = connecting.acquired()) {
            conn = openConnection("127.0.0.1", port);
        } catch (IOException e) {
            fail(stats, "client " + id + " could not connect: " + e);
            return;
        }
        stats.open++;
        try {
            go.await();
            for (int i = 0; i < trips; i++) {
                byte[] line = ("client " + id + " line " + i + "\n").getBytes(US_ASCII);
                long t = System.nanoTime();
                conn.writer().write(line);
                conn.writer().drain();
                byte[] echo = conn.reader().readline();
                long rtt = System.nanoTime() - t;
                if (!Arrays.equals(line, echo)) {
                    throw new IOException("client " + id + " got " + new String(echo, US_ASCII).strip()
                            + " for " + new String(line, US_ASCII).strip());
                }
                stats.latencies[(int) stats.roundTrips++] = rtt;
            }
            conn.writer().close();
            conn.writer().waitClosed();
        } catch (IOException e) {
            conn.writer().close();
            fail(stats, e.toString());
        } finally {
            stats.open--;
        }
    }

    private static void fail(Stats stats, String why) {
        stats.failed++;
        if (stats.firstError == null) {
            stats.firstError = why;
        }
    }

    private static void progress(long t0, int clients, int trips, Stats stats) {
        long total = (long) clients * trips;
        long last = 0;
        long lastTime = t0;
        while (true) {
            sleep(1.0);
            long now = System.nanoTime();
            long done = stats.roundTrips;
            System.out.printf("  t=%4.1fs  connections open %,6d  round trips %,9d / %,d  (%,7.0f/s)%s%n",
                    (now - t0) / 1e9, stats.open, done, total, (done - last) / ((now - lastTime) / 1e9),
                    stats.failed > 0 ? "  failed clients " + stats.failed : "");
            last = done;
            lastTime = now;
        }
    }

    private static void summary(int clients, Stats stats, double echoSeconds, double totalSeconds) {
        long n = stats.roundTrips;
        long[] lat = Arrays.copyOf(stats.latencies, (int) n);
        Arrays.sort(lat);
        System.out.println();
        System.out.printf("done: %,d clients, %,d round trips of a line in %.2f s (%.2f s with connecting and"
                + " closing) on one thread%n", clients, n, echoSeconds, totalSeconds);
        System.out.printf("  throughput %,.0f round trips/s, %,d connections at once%n", n / echoSeconds, clients);
        if (n > 0) {
            System.out.printf("  round-trip latency  p50 %s  p90 %s  p99 %s  max %s%n", millis(lat, 0.50),
                    millis(lat, 0.90), millis(lat, 0.99), millis(lat, 1.0));
        }
        if (stats.failed > 0) {
            System.out.printf("  %,d clients failed; the first: %s%n", stats.failed, stats.firstError);
        }
    }

    private static String millis(long[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return String.format("%.2f ms", sorted[i] / 1e6);
    }

    /** The process's open-file limit ({@code ulimit -n}), or -1 where the JVM cannot tell. */
    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
