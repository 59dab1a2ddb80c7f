package org.asyncio4j.net;

import static org.asyncio4j.net.NetChecks.port;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 5,000 connections open at once on one loop, client and server in this process (10,000
 * descriptors): each carries its own message, all are held open together, then closed;
 * nothing leaks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ManyConnectionsTest {
    private static final int TASKS = 50;
    private static final int PER_TASK = 100;
    private static final int CONNECTIONS = TASKS * PER_TASK;

    /** @return the soft limit on open files, from /proc/self/limits, or -1 if unknown */
    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static byte[] message(int i) {
        return String.format("conn-%011d", i).getBytes(StandardCharsets.US_ASCII); // 16 bytes
    }

    @Test
    void fiveThousandConnectionsEchoTheirOwnMessageAllOpenAtOnce() throws IOException {
        long limit = openFileLimit();
        assumeTrue(limit >= 11_000, "needs 11,000 open files (5,000 connections, both ends, plus the JVM's); "
                + "the limit here is " + limit + " (ulimit -n)");
        var before = Fds.snapshot();
        long start = System.nanoTime();
        AsyncIO.run(() -> {
            int[] accepted = {0};
            Server server = Network.createServer(() -> {
                accepted[0]++;
                return new Echo();
            }, "127.0.0.1", 0, ServerOptions.DEFAULTS.withBacklog(1024));
            int port = port(server);
            List<Task<List<Connection<Transport, Recorder>>>> tasks = new ArrayList<>();
            for (int t = 0; t < TASKS; t++) {
                int base = t * PER_TASK;
                tasks.add(AsyncIO.createTask(() -> {
                    List<Connection<Transport, Recorder>> mine = new ArrayList<>();
                    for (int i = 0; i < PER_TASK; i++) {
                        var conn = Network.createConnection(Recorder::new, "127.0.0.1", port);
                        byte[] msg = message(base + i);
                        assertEquals(16, msg.length);
                        conn.transport().write(msg);
                        assertArrayEquals(msg, conn.protocol().received(16));
                        mine.add(conn);
                    }
                    return mine;
                }));
            }
            List<Connection<Transport, Recorder>> all = new ArrayList<>();
            for (var list : AsyncIO.gather(tasks).await()) {
                all.addAll(list);
            }
            assertEquals(CONNECTIONS, all.size());
            assertEquals(CONNECTIONS, accepted[0]);
            assertTrue(server.toString().contains("connections=" + CONNECTIONS), server.toString());
            for (var conn : all) {
                assertTrue(!conn.transport().isClosing() && conn.protocol().events.equals(List.of("made", "data")),
                        "every connection is still open");
            }
            for (var conn : all) {
                conn.transport().close();
            }
            for (var conn : all) {
                conn.protocol().lost.await();
            }
            server.close();
            server.waitClosed();
            assertTrue(server.toString().contains("connections=0"), server.toString());
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Fds.assertNoLeak(before);
        assertTrue(seconds < 30, "5,000 connections took " + seconds + " s");
    }
}
