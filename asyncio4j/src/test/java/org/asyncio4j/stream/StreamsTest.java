package org.asyncio4j.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.ExceptionContext;
import org.asyncio4j.net.ConnectionOptions;
import org.asyncio4j.net.Server;
import org.asyncio4j.net.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream entry points end to end on loopback: servers, clients, limits, failures, many connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsTest {
    static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
    }

    static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** Echoes line by line until EOF, then closes. */
    static final ClientConnected LINE_ECHO = (reader, writer) -> {
        for (byte[] line : reader.lines()) {
            writer.write(line);
            writer.drain();
        }
        writer.close();
    };

    @Test
    void lineEchoThroughTheFacade() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = AsyncIO.startServer(LINE_ECHO, "127.0.0.1", 0)) {
                StreamPair conn = AsyncIO.openConnection("127.0.0.1", port(server));
                for (String line : List.of("hello\n", "world\n", "x".repeat(10_000) + "\n")) {
                    conn.writer().write(b(line));
                    conn.writer().drain();
                    assertEquals(line, s(conn.reader().readline()));
                }
                conn.writer().writeEof(); // the server sees EOF, its loop ends, it closes
                assertEquals(0, conn.reader().read(100).length);
                assertTrue(conn.reader().atEof());
                conn.writer().close();
                conn.writer().waitClosed();
                assertTrue(conn.writer().isClosing());
            }
        });
    }

    @Test
    void theBenchmarkShapeEchoesEveryByte() throws IOException {
        AsyncIO.run(() -> {
            ClientConnected echo = (reader, writer) -> {
                byte[] data;
                while ((data = reader.read(65536)).length > 0) {
                    writer.write(data);
                    writer.drain();
                }
                writer.close();
            };
            try (Server server = Streams.startServer(echo, "127.0.0.1", 0)) {
                StreamPair conn = Streams.openConnection("127.0.0.1", port(server));
                byte[] msg = new byte[100 * 1024];
                for (int i = 0; i < msg.length; i++) {
                    msg[i] = (byte) (i * 7 + (i >> 8));
                }
                for (int round = 0; round < 20; round++) {
                    conn.writer().write(msg);
                    conn.writer().drain();
                    assertArrayEquals(msg, conn.reader().readexactly(msg.length));
                }
                conn.writer().close();
                conn.writer().waitClosed();
            }
        });
    }

    @Test
    void eofInTheMiddleOfReadexactlyAndReaduntilGivesThePartialBytes() throws IOException {
        AsyncIO.run(() -> {
            ClientConnected sendAndClose = (reader, writer) -> {
                writer.write(b(s(reader.readline()).trim()));
                writer.close();
            };
            try (Server server = Streams.startServer(sendAndClose, "127.0.0.1", 0)) {
                StreamPair a = Streams.openConnection("127.0.0.1", port(server));
                a.writer().write(b("abc\n"));
                IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> a.reader().readexactly(10));
                assertEquals("abc", s(e.partial()));
                assertEquals(10, e.expected());

                StreamPair u = Streams.openConnection("127.0.0.1", port(server));
                u.writer().write(b("no separator here\n"));
                IncompleteReadError e2 = assertThrows(IncompleteReadError.class, () -> u.reader().readuntil(b("\r\n")));
                assertEquals("no separator here", s(e2.partial()));
                assertEquals(-1, e2.expected());
                a.writer().close();
                u.writer().close();
            }
        });
    }

    @Test
    void readingIsPausedAboveTwiceTheLimitAndResumedAtTheLimit() throws IOException {
        AsyncIO.run(() -> {
            int limit = 1024;
            byte[] payload = new byte[40 * limit];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i % 251);
            }
            ClientConnected flood = (reader, writer) -> {
                writer.write(payload);
                writer.drain();
                reader.read(); // until the client closes
                writer.close();
            };
            try (Server server = Streams.startServer(flood, "127.0.0.1", 0)) {
                StreamPair conn = Streams.openConnection("127.0.0.1", port(server), ConnectionOptions.DEFAULTS, limit);
                StreamReader reader = conn.reader();
                var transport = conn.writer().transport();
                assertTrue(transport.isReading());
                while (transport.isReading()) { // the reader pauses it once more than 2 x limit is buffered
                    AsyncIO.sleep(0);
                }
                int buffered = reader.buffered();
                assertTrue(buffered > 2 * limit, "paused with " + buffered + " bytes buffered");
                byte[] first = reader.readexactly(buffered - limit - 1);
                assertFalse(transport.isReading(), "limit + 1 bytes left: still paused");
                byte[] second = reader.readexactly(1);
                assertTrue(transport.isReading(), "limit bytes left: reading again");
                byte[] rest = reader.readexactly(payload.length - first.length - second.length);
                byte[] all = new byte[payload.length];
                System.arraycopy(first, 0, all, 0, first.length);
                System.arraycopy(second, 0, all, first.length, 1);
                System.arraycopy(rest, 0, all, first.length + 1, rest.length);
                assertArrayEquals(payload, all);
                conn.writer().close();
                conn.writer().waitClosed();
            }
        });
    }

    @Test
    void aLineLongerThanTheServersLimitIsRefusedAndTheConnectionGoesOn() throws IOException {
        AsyncIO.run(() -> {
            ClientConnected strict = (reader, writer) -> {
                while (true) {
                    byte[] line;
                    try {
                        line = reader.readline();
                    } catch (IllegalArgumentException tooLong) {
                        writer.write(b("too long\n"));
                        continue;
                    }
                    if (line.length == 0) {
                        break;
                    }
                    writer.write(line);
                }
                writer.close();
            };
            try (Server server = Streams.startServer(strict, "127.0.0.1", 0, ServerOptions.DEFAULTS, 16)) {
                StreamPair conn = Streams.openConnection("127.0.0.1", port(server));
                conn.writer().write(b("short\n" + "y".repeat(40) + "\nok\n"));
                assertEquals("short\n", s(conn.reader().readline()));
                assertEquals("too long\n", s(conn.reader().readline()));
                assertEquals("ok\n", s(conn.reader().readline()));
                conn.writer().close();
            }
        });
    }

    @Test
    void aFailingOrCancelledClientTaskIsReportedAndItsConnectionClosedWhileTheServerGoesOn() throws IOException {
        List<ExceptionContext> handled = new ArrayList<>();
        AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> handled.add(c));
            ClientConnected picky = (reader, writer) -> {
                String line = s(reader.readline());
                if (line.equals("boom\n")) {
                    throw new IllegalStateException("boom from the handler");
                }
                if (line.equals("cancel\n")) {
                    AsyncIO.currentTask().cancel();
                    AsyncIO.sleep(0);
                }
                writer.write(b(line));
                writer.close();
            };
            try (Server server = Streams.startServer(picky, "127.0.0.1", 0)) {
                StreamPair boom = Streams.openConnection("127.0.0.1", port(server));
                boom.writer().write(b("boom\n"));
                assertEquals(0, boom.reader().readline().length, "the connection was closed");
                assertEquals(1, handled.size());
                assertEquals("Unhandled exception in client_connected_cb", handled.getFirst().message());
                assertEquals("boom from the handler", handled.getFirst().exception().getMessage());
                assertTrue(handled.getFirst().extra().containsKey("transport"));

                StreamPair cancel = Streams.openConnection("127.0.0.1", port(server));
                cancel.writer().write(b("cancel\n"));
                assertEquals(0, cancel.reader().readline().length, "a cancelled handler's connection is closed");

                StreamPair ok = Streams.openConnection("127.0.0.1", port(server));
                ok.writer().write(b("fine\n"));
                assertEquals("fine\n", s(ok.reader().readline()));
                for (StreamPair p : List.of(boom, cancel, ok)) {
                    p.writer().close();
                }
            }
        });
        assertEquals(1, handled.size(), "a cancelled handler is not an error: " + handled);
    }

    @Test
    void startServerCallbackCallsThePlainCallbackInConnectionMade() throws IOException {
        AsyncIO.run(() -> {
            List<String> order = new ArrayList<>();
            ClientConnected greet = (reader, writer) -> {
                order.add("callback in " + (AsyncIO.currentTask() == null ? "no task" : "a task"));
                writer.write(b("hello\n"));
                writer.close();
            };
            try (Server server = AsyncIO.startServerCallback(greet, "127.0.0.1", 0)) {
                StreamPair conn = Streams.openConnection("127.0.0.1", port(server));
                assertEquals("hello\n", s(conn.reader().readline()));
                assertEquals(0, conn.reader().readline().length);
                assertEquals(List.of("callback in no task"), order);
                conn.writer().close();
            }
        });
    }

    @Test
    void unixDomainServerAndConnection() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-streams");
        Path sock = dir.resolve("echo.sock");
        try {
            AsyncIO.run(() -> {
                try (Server server = AsyncIO.startUnixServer(LINE_ECHO, sock)) {
                    StreamPair conn = AsyncIO.openUnixConnection(sock);
                    conn.writer().write(b("over a unix socket\n"));
                    assertEquals("over a unix socket\n", s(conn.reader().readline()));
                    conn.writer().close();
                    conn.writer().waitClosed();
                }
            });
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void twoHundredClientsEachMakeTwentyLineRoundTrips() throws IOException {
        int clients = 200;
        int rounds = 20;
        long[] bytes = new long[1];
        AsyncIO.run(() -> {
            try (Server server = Streams.startServer(LINE_ECHO, "127.0.0.1", 0, ServerOptions.DEFAULTS.withBacklog(1000),
                    StreamReader.DEFAULT_LIMIT)) {
                int port = port(server);
                List<Task<Long>> tasks = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int id = c;
                    tasks.add(AsyncIO.createTask(() -> {
                        StreamPair conn = Streams.openConnection("127.0.0.1", port);
                        long n = 0;
                        for (int r = 0; r < rounds; r++) {
                            String line = "client " + id + " round " + r + " " + "z".repeat((id * 31 + r * 17) % 500) + "\n";
                            byte[] sent = b(line);
                            conn.writer().write(sent);
                            conn.writer().drain();
                            byte[] got = conn.reader().readline();
                            assertArrayEquals(sent, got, "client " + id + " round " + r);
                            n += got.length;
                        }
                        conn.writer().writeEof();
                        assertEquals(0, conn.reader().read(10).length, "the server closes after our EOF");
                        conn.writer().close();
                        conn.writer().waitClosed();
                        return n;
                    }));
                }
                Future<List<Long>> all = AsyncIO.gather(tasks);
                for (long n : all.await()) {
                    bytes[0] += n;
                }
            }
        });
        long expected = 0;
        for (int id = 0; id < clients; id++) {
            for (int r = 0; r < rounds; r++) {
                expected += ("client " + id + " round " + r + " ").length() + (id * 31 + r * 17) % 500 + 1;
            }
        }
        assertEquals(expected, bytes[0]);
    }

    @Test
    void entryPointsCheckTheirArguments() {
        AsyncIO.run(() -> {
            assertThrows(IllegalArgumentException.class,
                    () -> Streams.openConnection("127.0.0.1", 1, ConnectionOptions.DEFAULTS, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> Streams.startServer(LINE_ECHO, "127.0.0.1", 0, ServerOptions.DEFAULTS, -5));
            assertThrows(NullPointerException.class, () -> Streams.startServer(null, "127.0.0.1", 0));
        });
        org.asyncio4j.Errors.assertError(IllegalStateException.class,
                org.asyncio4j.Errors.caught(() -> Streams.openConnection("127.0.0.1", 1)), "inside a task");
    }
}
