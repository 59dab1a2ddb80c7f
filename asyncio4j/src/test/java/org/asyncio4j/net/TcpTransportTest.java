package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.LogCapture;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP transports on loopback: the protocol callback order, the data path, half-close,
 * flow control, and what writes after close, EOF and errors do.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpTransportTest {
    static int port(Server server) throws IOException {
        return ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A server whose protocols are kept, so a test can reach the server side of a connection. */
    static final class Accepted<P extends BaseProtocol> {
        final List<P> protocols = new ArrayList<>();
        private final java.util.function.Supplier<P> factory;

        Accepted(java.util.function.Supplier<P> factory) {
            this.factory = factory;
        }

        P make() {
            P p = factory.get();
            protocols.add(p);
            return p;
        }
    }

    @Test
    void echoRoundTripInAsyncioOrder() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder client = conn.protocol();
                assertEquals(List.of("made"), client.events);
                conn.transport().write(ascii("hello"));
                assertArrayEquals(ascii("hello"), client.received(5));
                conn.transport().writeEof();
                assertNull(client.lost.await());
                assertEquals(List.of("made", "data", "eof", "lost"), client.events);
            }
        });
    }

    @Test
    void connectionsClosedTogetherReleaseTheirDescriptorsByTheEndOfTheIteration() throws IOException {
        int n = 100;
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                List<Connection<Transport, Recorder>> conns = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    conns.add(Network.createConnection(Recorder::new, "127.0.0.1", port(server)));
                }
                int before = Fds.count();
                for (Connection<Transport, Recorder> c : conns) {
                    c.transport().close(); // each loses its connection in the next iteration, together
                }
                for (Connection<Transport, Recorder> c : conns) {
                    assertNull(c.protocol().lost.await());
                }
                // the iteration that ran every connectionLost flushed them all once at its end
                // (the server's sides may have closed too, never fewer)
                assertTrue(Fds.count() <= before - n, "open descriptors " + Fds.count() + ", before " + before);
            }
        });
    }

    @Test
    void aMegabyteArrivesWholeAndInOrder() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                byte[] payload = new byte[1 << 20];
                new java.util.Random(7).nextBytes(payload);
                for (int off = 0; off < payload.length; off += 10_000) {
                    conn.transport().write(ByteBuffer.wrap(payload, off, Math.min(10_000, payload.length - off)));
                }
                assertArrayEquals(payload, conn.protocol().received(payload.length));
                conn.transport().close();
                assertNull(conn.protocol().lost.await());
            }
        });
    }

    @Test
    void writelinesSendsEveryBufferInOrder() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                conn.transport().writelines(List.of(ByteBuffer.wrap(ascii("a")), ByteBuffer.wrap(ascii("bc")),
                        ByteBuffer.wrap(ascii("def"))));
                assertArrayEquals(ascii("abcdef"), conn.protocol().received(6));
                conn.transport().close();
            }
        });
    }

    @Test
    void theWrittenBufferIsConsumedAndMayBeReused() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                ByteBuffer buf = ByteBuffer.wrap(ascii("xyz"));
                conn.transport().write(buf);
                assertFalse(buf.hasRemaining());
                buf.clear().put(ascii("123")).flip();
                conn.transport().write(buf);
                assertArrayEquals(ascii("xyz123"), conn.protocol().received(6));
                conn.transport().close();
            }
        });
    }

    @Test
    void halfCloseLetsTheServerAnswerAfterEof() throws IOException {
        AsyncIO.run(() -> {
            Accepted<Recorder> side = new Accepted<>(() -> {
                Recorder r = new Recorder();
                r.stayHalfOpen = true;
                return r;
            });
            try (Server server = Network.createServer(side::make, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                assertTrue(conn.transport().canWriteEof());
                conn.transport().write(ascii("question"));
                conn.transport().writeEof();
                Recorder serverSide = side.protocols.getFirst();
                serverSide.received(8);
                while (!serverSide.events.contains("eof")) {
                    AsyncIO.sleep(0);
                }
                assertFalse(serverSide.transport.isReading());
                assertFalse(serverSide.transport.isClosing());
                serverSide.transport.write(ascii("answer"));
                serverSide.transport.close();
                assertArrayEquals(ascii("answer"), conn.protocol().received(6));
                assertNull(conn.protocol().lost.await());
                assertEquals(List.of("made", "data", "eof", "lost"), conn.protocol().events);
                assertNull(serverSide.lost.await());
                assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events);
            }
        });
    }

    @Test
    void writeAfterWriteEofIsAnError() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                Transport t = Network.createConnection(Recorder::new, "127.0.0.1", port(server)).transport();
                t.writeEof();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.write(ascii("late")));
                assertTrue(e.getMessage().contains("after writeEof()"), e.getMessage());
                t.close();
            }
        });
    }

    @Test
    void writesAfterCloseAreDroppedAndFromTheFifthOnLogged() throws IOException {
        try (LogCapture logs = new LogCapture()) {
            AsyncIO.run(() -> {
                try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                    var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                    Transport t = conn.transport();
                    t.close();
                    assertTrue(t.isClosing());
                    for (int i = 1; i <= 4; i++) {
                        t.write(ascii("dropped"));
                    }
                    assertNull(logs.find(Level.WARNING, "closed or lost transport"));
                    t.write(ascii("dropped"));
                    assertNotNull(logs.find(Level.WARNING, "closed or lost transport"));
                    assertEquals(0, t.getWriteBufferSize());
                    assertNull(conn.protocol().lost.await());
                }
            });
        }
    }

    @Test
    void closeIsIdempotentAndConnectionLostComesOnce() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                conn.transport().close();
                conn.transport().close();
                conn.transport().abort();
                conn.protocol().lost.await();
                AsyncIO.sleep(0);
                AsyncIO.sleep(0);
                assertEquals(List.of("made", "lost"), conn.protocol().events);
            }
        });
    }

    @Test
    void abortDropsUnsentDataAndReportsNoError() throws IOException {
        AsyncIO.run(() -> {
            Accepted<Recorder> side = new Accepted<>(() -> {
                Recorder r = new Recorder();
                return r;
            });
            try (Server server = Network.createServer(side::make, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder serverSide = side.protocols.getFirst();
                serverSide.made.await().pauseReading();
                Transport t = conn.transport();
                byte[] chunk = new byte[64 * 1024];
                while (t.getWriteBufferSize() == 0) {
                    t.write(chunk);
                }
                t.abort();
                assertEquals(0, t.getWriteBufferSize());
                assertNull(conn.protocol().lost.await());
                serverSide.transport.close();
            }
        });
    }

    @Test
    void aSlowReaderFillsTheWriteBufferUpToTheHighWaterMarkAndPausesTheWriter() throws IOException {
        AsyncIO.run(() -> {
            Accepted<Recorder> side = new Accepted<>(Recorder::new);
            try (Server server = Network.createServer(side::make, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder serverSide = side.protocols.getFirst();
                serverSide.made.await().pauseReading();
                Transport t = conn.transport();
                assertArrayEquals(new int[] {16 * 1024, 64 * 1024}, t.getWriteBufferLimits());
                byte[] chunk = new byte[8 * 1024];
                long written = 0;
                while (!conn.protocol().events.contains("pause")) {
                    t.write(chunk);
                    written += chunk.length;
                    assertTrue(t.getWriteBufferSize() <= 64 * 1024 + chunk.length, "buffer beyond high water + one write");
                }
                assertTrue(t.getWriteBufferSize() > 64 * 1024);
                serverSide.transport.resumeReading();
                serverSide.received((int) written);
                while (!conn.protocol().events.contains("resume")) {
                    AsyncIO.sleep(0);
                }
                assertEquals(List.of("made", "pause", "resume"), conn.protocol().events);
                t.close();
                serverSide.transport.close();
            }
        });
    }

    @Test
    void writeBufferLimitsFollowAsyncioDefaultsAndChecks() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                Transport t = Network.createConnection(Recorder::new, "127.0.0.1", port(server)).transport();
                t.setWriteBufferLimits(-1, 100);
                assertArrayEquals(new int[] {100, 400}, t.getWriteBufferLimits());
                t.setWriteBufferLimits(1000, -1);
                assertArrayEquals(new int[] {250, 1000}, t.getWriteBufferLimits());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20));
                assertTrue(e.getMessage().contains("high (10) must be >= low (20)"), e.getMessage());
                assertArrayEquals(new int[] {250, 1000}, t.getWriteBufferLimits());
                t.close();
            }
        });
    }

    @Test
    void pausedReadingHoldsDataUntilResumed() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Transport t = conn.transport();
                t.pauseReading();
                assertFalse(t.isReading());
                t.write(ascii("ping"));
                for (int i = 0; i < 20; i++) {
                    AsyncIO.sleep(0.001);
                }
                assertEquals(0, conn.protocol().data.size());
                t.resumeReading();
                assertTrue(t.isReading());
                assertArrayEquals(ascii("ping"), conn.protocol().received(4));
                t.close();
                assertFalse(t.isReading());
            }
        });
    }

    @Test
    void extraInfoNamesBothEnds() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Transport t = conn.transport();
                assertEquals(new InetSocketAddress("127.0.0.1", port(server)), t.getExtraInfo("peername"));
                assertInstanceOf(InetSocketAddress.class, t.getExtraInfo("sockname"));
                assertInstanceOf(java.nio.channels.SocketChannel.class, t.getExtraInfo("socket"));
                assertNull(t.getExtraInfo("nope"));
                assertEquals("dflt", t.getExtraInfo("nope", "dflt"));
                assertSame(conn.protocol(), t.getProtocol());
                assertTrue(t.toString().contains("open"), t.toString());
                t.close();
            }
        });
    }

    @Test
    void setProtocolSwitchesWhoReceivesData() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder second = new Recorder();
                conn.transport().setProtocol(second);
                conn.transport().write(ascii("to second"));
                assertArrayEquals(ascii("to second"), second.received(9));
                assertEquals(0, conn.protocol().data.size());
                assertThrows(IllegalArgumentException.class, () -> conn.transport().setProtocol(new DatagramProtocol() {
                }));
                conn.transport().close();
                assertNull(second.lost.await());
            }
        });
    }

    @Test
    void aBufferedProtocolReceivesIntoItsOwnBuffer() throws IOException {
        AsyncIO.run(() -> {
            final class Into implements BufferedProtocol {
                final ByteBuffer buf = ByteBuffer.allocate(64);
                final Future<Void> got = AsyncIO.getRunningLoop().createFuture();

                @Override
                public ByteBuffer getBuffer(int sizeHint) {
                    return buf;
                }

                @Override
                public void bufferUpdated(int nbytes) {
                    if (buf.position() >= 5 && !got.done()) {
                        got.setResult(null);
                    }
                }
            }
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Into::new, "127.0.0.1", port(server));
                conn.transport().write(ascii("bytes"));
                conn.protocol().got.await();
                assertArrayEquals(ascii("bytes"), Arrays.copyOf(conn.protocol().buf.array(), 5));
                conn.transport().close();
            }
        });
    }

    @Test
    void aProtocolThatThrowsIsReportedWithTransportAndProtocolAndOnlyItsConnectionCloses() throws IOException {
        List<ExceptionContext> handled = new ArrayList<>();
        AsyncIO.run(() -> {
            EventLoop loop = AsyncIO.getRunningLoop();
            loop.setExceptionHandler((l, c) -> handled.add(c));
            IllegalStateException boom = new IllegalStateException("boom");
            Accepted<Protocol> side = new Accepted<>(() -> new Echo() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    if (data.get(data.position()) == '!') {
                        throw boom;
                    }
                    super.dataReceived(data);
                }
            });
            try (Server server = Network.createServer(side::make, "127.0.0.1", 0)) {
                var bad = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                var good = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                bad.transport().write(ascii("!"));
                bad.protocol().lost.await();
                assertEquals(1, handled.size());
                ExceptionContext c = handled.getFirst();
                assertSame(boom, c.exception());
                assertTrue(c.message().contains("dataReceived"), c.message());
                assertSame(side.protocols.getFirst(), c.extra().get("protocol"));
                assertInstanceOf(Transport.class, c.extra().get("transport"));
                good.transport().write(ascii("still here"));
                assertArrayEquals(ascii("still here"), good.protocol().received(10));
                assertTrue(server.isServing());
                good.transport().close();
            }
        });
    }

    @Test
    void aConnectionMadeThatThrowsFailsCreateConnectionAndClosesTheSocket() throws IOException {
        List<ExceptionContext> handled = new ArrayList<>();
        int before = Fds.count();
        AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> handled.add(c));
            IllegalStateException boom = new IllegalStateException("no");
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> Network.createConnection(() -> new Protocol() {
                            @Override
                            public void connectionMade(BaseTransport t) {
                                throw boom;
                            }
                        }, "127.0.0.1", port(server)));
                assertSame(boom, e);
                assertEquals(1, handled.size());
                server.close();
                server.waitClosed(); // the server side saw EOF and closed too
            }
        });
        assertEquals(before, Fds.count());
    }

    @Test
    void thePeerResettingMidStreamLosesTheConnectionWithTheError() throws IOException {
        AsyncIO.run(() -> {
            Accepted<Recorder> side = new Accepted<>(Recorder::new);
            try (Server server = Network.createServer(side::make, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder serverSide = side.protocols.getFirst();
                serverSide.made.await().pauseReading();
                conn.transport().write(ascii("unread data makes close send a reset"));
                for (int i = 0; i < 10; i++) {
                    AsyncIO.sleep(0.001);
                }
                // SO_LINGER 0: closing sends a reset instead of a FIN
                ((java.nio.channels.SocketChannel) serverSide.transport.getExtraInfo("socket"))
                        .setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                serverSide.transport.abort();
                Throwable exc = conn.protocol().lost.await();
                assertInstanceOf(IOException.class, exc);
                assertTrue(String.valueOf(exc.getMessage()).toLowerCase().contains("reset"), String.valueOf(exc));
            }
        });
    }

    @Test
    void misuseFromAnotherThreadIsRefusedAndChangesNothing() throws IOException {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                Transport t = Network.createConnection(Recorder::new, "127.0.0.1", port(server)).transport();
                Throwable[] seen = new Throwable[1];
                AsyncIO.toThread(() -> {
                    try {
                        t.close();
                    } catch (Throwable e) {
                        seen[0] = e;
                    }
                });
                assertInstanceOf(IllegalStateException.class, seen[0]);
                assertTrue(seen[0].getMessage().contains("callSoonThreadsafe"), seen[0].getMessage());
                assertFalse(t.isClosing());
                t.close();
            }
        });
    }

    @Test
    void resumeReadingAfterAHalfOpenEofDoesNothing() throws IOException {
        AsyncIO.run(() -> {
            Accepted<Recorder> side = new Accepted<>(() -> {
                Recorder r = new Recorder();
                r.stayHalfOpen = true;
                return r;
            });
            try (Server server = Network.createServer(side::make, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                conn.transport().writeEof();
                Recorder serverSide = side.protocols.getFirst();
                while (!serverSide.events.contains("eof")) {
                    AsyncIO.sleep(0);
                }
                serverSide.transport.resumeReading();
                assertFalse(serverSide.transport.isReading());
                for (int i = 0; i < 5; i++) {
                    AsyncIO.sleep(0.001); // a second EOF would show as a second "eof" event
                }
                assertEquals(List.of("made", "eof"), serverSide.events);
                serverSide.transport.close();
                conn.protocol().lost.await();
                server.close();
                server.waitClosed();
            }
        });
    }

    @Test
    void aTransportAndServerDroppedOpenAreClosedWithAWarningOnceTheirLoopIsGone() throws Exception {
        var before = Fds.snapshot();
        try (LogCapture logs = new LogCapture()) {
            AsyncIO.run(() -> {
                Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
                Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                // neither the connections nor the server are closed: the loop closes under them
            });
            // two transports (the client's and the accepted one) and one listening socket
            for (int i = 0; i < 200 && (warnings(logs, "unclosed transport") < 2
                    || warnings(logs, "unclosed server socket") < 1); i++) {
                System.gc();
                Thread.sleep(10); // the Cleaner's thread runs the actions
            }
            // other tests' dropped transports may be collected here too
            assertTrue(warnings(logs, "unclosed transport") >= 2);
            assertTrue(warnings(logs, "unclosed server socket") >= 1);
        }
        Fds.assertNoLeak(before);
    }

    private static long warnings(LogCapture logs, String fragment) {
        return logs.records().stream()
                .filter(r -> r.getLevel() == Level.WARNING && r.getMessage() != null && r.getMessage().contains(fragment))
                .count();
    }
}
