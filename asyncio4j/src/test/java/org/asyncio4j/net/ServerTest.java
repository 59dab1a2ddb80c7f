package org.asyncio4j.net;

import static org.asyncio4j.net.NetChecks.ascii;
import static org.asyncio4j.net.NetChecks.assertEchoes;
import static org.asyncio4j.net.NetChecks.assertMessageNames;
import static org.asyncio4j.net.NetChecks.port;
import static org.asyncio4j.net.NetChecks.settle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.CancelledError;
import org.asyncio4j.future.Future;
import org.asyncio4j.future.Task;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.loop.ExceptionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Server}: its state (serving, closed, fully closed), what it does with the
 * connections it accepted, {@code serveForever}, binding errors, and a protocol factory
 * that fails. Every case checks that no descriptor leaked and that the loop still serves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServerTest {
    /** A protocol factory that keeps what it made, so a test can reach the server side. */
    static final class Kept<P extends BaseProtocol> implements Supplier<P> {
        final List<P> made = new ArrayList<>();
        private final Supplier<P> factory;

        Kept(Supplier<P> factory) {
            this.factory = factory;
        }

        @Override
        public P get() {
            P p = factory.get();
            made.add(p);
            return p;
        }
    }

    /** A protocol a stream transport cannot drive. */
    static final class NotAStreamProtocol implements DatagramProtocol {
    }

    /** Suspends until {@code kept} made {@code n} protocols (accepting has no hook of its own). */
    static void awaitAccepted(Kept<?> kept, int n) {
        while (kept.made.size() < n) {
            AsyncIO.sleep(0);
        }
    }

    @Test
    void aServerOnPortZeroReportsItsSocketItsLoopAndThatItServes() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            assertEquals(1, server.sockets().size());
            InetSocketAddress addr = (InetSocketAddress) server.sockets().getFirst().getLocalAddress();
            assertEquals("127.0.0.1", addr.getAddress().getHostAddress());
            assertNotEquals(0, addr.getPort());
            assertInstanceOf(ServerSocketChannel.class, server.sockets().getFirst());
            assertSame(AsyncIO.getRunningLoop(), server.getLoop());
            assertTrue(server.isServing());
            assertEchoes(addr.getPort(), "port zero");
            server.close();
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            server.close(); // idempotent
            server.waitClosed();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void startServingFalseQueuesConnectionsUntilStartServingWhichIsIdempotent() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Kept<Echo> kept = new Kept<>(Echo::new);
            try (Server server = Network.createServer(kept, "127.0.0.1", 0, ServerOptions.DEFAULTS.withStartServing(false))) {
                assertFalse(server.isServing());
                // the socket listens, so the kernel completes the handshake; nobody accepts it yet
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                conn.transport().write(ascii("queued"));
                settle();
                assertEquals(0, kept.made.size());
                assertEquals(0, conn.protocol().data.size());
                server.startServing();
                server.startServing();
                assertTrue(server.isServing());
                assertArrayEquals(ascii("queued"), conn.protocol().received(6));
                assertEquals(1, kept.made.size());
                conn.transport().close();
                server.close();
                server.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void closeStopsAcceptingButTheConnectionsAlreadyAcceptedGoOn() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            int port = port(server);
            var conn = Network.createConnection(Recorder::new, "127.0.0.1", port);
            server.close();
            assertFalse(server.isServing());
            // no loop iteration in between: the listening socket is closed at once, so the
            // connect is refused (NIO alone would accept it until the next poll, then reset it)
            ConnectException refused = assertThrows(ConnectException.class,
                    () -> Network.createConnection(Recorder::new, "127.0.0.1", port));
            assertMessageNames(refused, "127.0.0.1", port);
            conn.transport().write(ascii("still echoed"));
            assertArrayEquals(ascii("still echoed"), conn.protocol().received(12));
            conn.transport().close();
            assertNull(conn.protocol().lost.await());
            server.waitClosed();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void waitClosedReturnsOnlyAfterCloseAndOnceEveryConnectionIsGone() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Task<Void> waiter = AsyncIO.createTask(server::waitClosed);
            var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
            conn.transport().write(ascii("x"));
            conn.protocol().received(1);
            assertFalse(waiter.done(), "waitClosed returned while the server was open");
            server.close();
            settle();
            assertFalse(waiter.done(), "waitClosed returned while a connection was open");
            assertTrue(server.toString().contains("connections=1"), server.toString());
            conn.transport().close();
            waiter.await();
            assertTrue(server.toString().contains("connections=0"), server.toString());
            server.waitClosed(); // at once now
            try (Server other = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                assertEchoes(port(other), "the loop goes on");
                other.close();
                other.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    /** A cancelled waitClosed leaves the server as it was; the next waiter still wakes. */
    @Test
    void cancellingWaitClosedLeavesTheServerUnchanged() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Task<Void> first = AsyncIO.createTask(server::waitClosed);
            AsyncIO.sleep(0);
            first.cancel();
            assertThrows(CancelledError.class, first::await);
            assertTrue(server.isServing());
            Task<Void> second = AsyncIO.createTask(server::waitClosed);
            AsyncIO.sleep(0);
            server.close();
            second.await();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void closeClientsFlushesAndClosesEveryAcceptedConnectionAndTheServerGoesOn() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            // the first two connections are welcomed; the later ones only echo
            int[] n = {0};
            Kept<Protocol> kept = new Kept<>(() -> new Echo() {
                @Override
                public void connectionMade(BaseTransport t) {
                    super.connectionMade(t);
                    if (++n[0] <= 2) {
                        transport.write(ascii("welcome"));
                    }
                }
            });
            Server server = Network.createServer(kept, "127.0.0.1", 0);
            var a = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
            var b = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
            awaitAccepted(kept, 2);
            server.closeClients();
            assertNull(a.protocol().lost.await());
            assertNull(b.protocol().lost.await());
            for (var c : List.of(a, b)) {
                assertArrayEquals(ascii("welcome"), c.protocol().data.toByteArray());
                assertEquals(List.of("made", "data", "eof", "lost"), c.protocol().events);
            }
            assertTrue(server.isServing());
            assertEchoes(port(server), "after closeClients");
            server.close();
            server.waitClosed();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void abortClientsDropsUnsentDataAndLosesEveryConnectionAtOnce() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            // the first connection's server side records; later ones echo
            Kept<Protocol> kept = new Kept<>(() -> new Recorder());
            Server server = Network.createServer(() -> kept.made.isEmpty() ? kept.get() : new Echo(), "127.0.0.1", 0);
            var client = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
            client.transport().pauseReading();
            awaitAccepted(kept, 1);
            Recorder serverSide = (Recorder) kept.made.getFirst();
            Transport st = serverSide.made.await();
            byte[] chunk = new byte[64 * 1024];
            long written = 0;
            while (st.getWriteBufferSize() == 0) {
                st.write(chunk);
                written += chunk.length;
            }
            server.abortClients();
            assertEquals(0, st.getWriteBufferSize());
            assertNull(serverSide.lost.await());
            client.transport().resumeReading();
            client.protocol().lost.await();
            assertTrue(client.protocol().data.size() < written, "abort dropped the unsent data");
            assertTrue(server.isServing());
            assertEchoes(port(server), "after abortClients");
            server.close();
            server.waitClosed();
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void cancellingServeForeverClosesTheServerWaitsForItsConnectionsAndPropagatesCancelledError() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0, ServerOptions.DEFAULTS.withStartServing(false));
            int port = port(server);
            Task<Void> forever = AsyncIO.createTask(server::serveForever);
            AsyncIO.sleep(0);
            assertTrue(server.isServing());
            var conn = Network.createConnection(Recorder::new, "127.0.0.1", port);
            conn.transport().write(ascii("hi"));
            conn.protocol().received(2);
            forever.cancel();
            settle();
            assertFalse(server.isServing());
            assertEquals(List.of(), server.sockets());
            assertFalse(forever.done(), "serveForever returned before its connection was gone");
            conn.transport().close();
            assertThrows(CancelledError.class, forever::await);
            assertTrue(forever.cancelled());
            ConnectException refused = assertThrows(ConnectException.class,
                    () -> Network.createConnection(Recorder::new, "127.0.0.1", port));
            assertMessageNames(refused, "127.0.0.1", port);
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void serveForeverTwiceOrOnAClosedServerIsIllegalState() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server server = Network.createServer(Echo::new, "127.0.0.1", 0);
            Task<Void> forever = AsyncIO.createTask(server::serveForever);
            AsyncIO.sleep(0);
            IllegalStateException twice = assertThrows(IllegalStateException.class, server::serveForever);
            assertMessageNames(twice, "already", "serveForever");
            assertFalse(forever.done());
            assertEchoes(port(server), "still serving");
            forever.cancel();
            assertThrows(CancelledError.class, forever::await);
            IllegalStateException closed = assertThrows(IllegalStateException.class, server::serveForever);
            assertMessageNames(closed, "closed");
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void aPortInUseIsABindExceptionNamingTheAddressAndTheFirstServerGoesOn() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            try (Server first = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                int port = port(first);
                BindException e = assertThrows(BindException.class, () -> Network.createServer(Echo::new, "127.0.0.1",
                        port, ServerOptions.DEFAULTS.withReuseAddress(true)));
                assertMessageNames(e, "127.0.0.1", port);
                assertEchoes(port, "first still serves");
                first.close();
                first.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void reusePortOnBothServersSharesThePortOnLinux() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "SO_REUSEPORT semantics are Linux's");
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            ServerOptions reuse = ServerOptions.DEFAULTS.withReusePort(true);
            try (Server first = Network.createServer(Echo::new, "127.0.0.1", 0, reuse);
                    Server second = Network.createServer(Echo::new, "127.0.0.1", port(first), reuse)) {
                assertEquals(port(first), port(second));
                assertEchoes(port(first), "shared");
                first.close();
                settle();
                assertEchoes(port(second), "the second alone");
                second.close();
                first.waitClosed();
                second.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void severalHostsGetASocketEach() throws IOException {
        assumeTrue(NetChecks.hasIpv6Loopback(), "no IPv6 loopback (::1) on this host");
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, List.of("127.0.0.1", "::1"), 0, ServerOptions.DEFAULTS)) {
                assertEquals(2, server.sockets().size());
                InetSocketAddress v4 = (InetSocketAddress) server.sockets().get(0).getLocalAddress();
                InetSocketAddress v6 = (InetSocketAddress) server.sockets().get(1).getLocalAddress();
                assertInstanceOf(Inet4Address.class, v4.getAddress());
                assertInstanceOf(Inet6Address.class, v6.getAddress());
                for (InetSocketAddress a : List.of(v4, v6)) {
                    var conn = Network.createConnection(Recorder::new, a.getAddress().getHostAddress(), a.getPort());
                    conn.transport().write(ascii("either"));
                    assertArrayEquals(ascii("either"), conn.protocol().received(6));
                    conn.transport().close();
                    conn.protocol().lost.await();
                }
                assertTrue(server.toString().contains("127.0.0.1"), server.toString());
                server.close();
                server.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void tryWithResourcesClosesTheServer() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Server kept;
            int port;
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                kept = server;
                port = port(server);
                assertTrue(server.isServing());
            }
            assertFalse(kept.isServing());
            assertEquals(List.of(), kept.sockets());
            kept.waitClosed();
            settle();
            ConnectException refused = assertThrows(ConnectException.class,
                    () -> Network.createConnection(Recorder::new, "127.0.0.1", port));
            assertMessageNames(refused, port);
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void toStringShowsTheSocketsAndTheNumberOfConnections() throws IOException {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            Kept<Echo> kept = new Kept<>(Echo::new);
            Server server = Network.createServer(kept, "127.0.0.1", 0);
            int port = port(server);
            String s = server.toString();
            assertTrue(s.contains("127.0.0.1:" + port) && s.contains("serving") && s.contains("connections=0"), s);
            var conn = Network.createConnection(Recorder::new, "127.0.0.1", port);
            awaitAccepted(kept, 1);
            assertTrue(server.toString().contains("connections=1"), server.toString());
            server.close();
            s = server.toString();
            assertFalse(s.contains("serving"), s);
            assertTrue(s.contains("connections=1"), s);
            conn.transport().close();
            server.waitClosed();
            assertTrue(server.toString().contains("connections=0"), server.toString());
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void aProtocolFactoryThatThrowsIsReportedTheSocketClosedAndTheServerGoesOn() throws Exception {
        var before = Fds.snapshot();
        List<ExceptionContext> handled = new ArrayList<>();
        AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> handled.add(c));
            IllegalStateException boom = new IllegalStateException("factory boom");
            int[] calls = {0};
            Supplier<Protocol> factory = () -> {
                if (calls[0]++ == 0) {
                    throw boom;
                }
                return new Echo();
            };
            try (Server server = Network.createServer(factory, "127.0.0.1", 0)) {
                assertRejectedAndServerGoesOn(server, handled, boom);
                server.close();
                server.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    @Test
    void aProtocolFactoryReturningANonStreamProtocolOrNullIsReportedAndTheServerGoesOn() throws Exception {
        var before = Fds.snapshot();
        AsyncIO.run(() -> {
            List<ExceptionContext> handled = new ArrayList<>();
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> handled.add(c));
            int[] calls = {0};
            // the 1st connection gets a DatagramProtocol, the 3rd null, the others an Echo
            Supplier<BaseProtocol> factory = () -> switch (calls[0]++) {
                case 0 -> new NotAStreamProtocol();
                case 2 -> null;
                default -> new Echo();
            };
            try (Server server = Network.createServer(factory, "127.0.0.1", 0)) {
                assertRejectedAndServerGoesOn(server, handled, null);
                IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, handled.get(0).exception());
                assertMessageNames(e, "Protocol", "NotAStreamProtocol");
                handled.clear();
                assertRejectedAndServerGoesOn(server, handled, null);
                assertMessageNames(handled.get(0).exception(), "null");
                server.close();
                server.waitClosed();
            }
        });
        Fds.assertNoLeak(before);
    }

    /** The next connection is refused by the factory: reported once, closed, and the server still echoes. */
    private static void assertRejectedAndServerGoesOn(Server server, List<ExceptionContext> handled, Throwable expected)
            throws Exception {
        var rejected = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
        // the server closes the accepted socket: the client reads EOF
        assertNull(rejected.protocol().lost.await());
        assertEquals(List.of("made", "eof", "lost"), rejected.protocol().events);
        assertEquals(1, handled.size(), String.valueOf(handled));
        ExceptionContext c = handled.getFirst();
        if (expected != null) {
            assertSame(expected, c.exception());
        }
        assertTrue(c.message().contains("accepted connection"), c.message());
        assertTrue(server.isServing());
        assertTrue(server.toString().contains("connections=0"), server.toString());
        assertEchoes(port(server), "the server goes on");
    }
}
