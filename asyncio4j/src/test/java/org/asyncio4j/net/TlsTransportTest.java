package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.loop.EventLoop;
import org.asyncio4j.net.tls.ConnectionAbortedError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS over TCP on loopback ({@code ssl} options of {@code createConnection} and
 * {@code createServer}): the data path both ways, flow control, {@code close_notify}, the
 * certificate and host-name checks, handshake failures and timeouts, extra info.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsTransportTest {
    static TlsKeys keys;

    @BeforeAll
    static void makeKeys() {
        keys = TlsKeys.get();
    }

    static int port(Server server) throws Exception {
        return ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
    }

    static ServerOptions tlsServer(SSLContext ctx) {
        return ServerOptions.DEFAULTS.withSsl(ctx);
    }

    static ConnectionOptions tlsClient() {
        return ConnectionOptions.DEFAULTS.withSsl(keys.client);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The protocols a server made, in order. */
    static final class Made<P> {
        final List<P> protocols = new ArrayList<>();
    }

    @Test
    void echoRoundTripAfterTheHandshakeInAsyncioOrder() throws Exception {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Recorder client = conn.protocol();
                assertEquals(List.of("made"), client.events, "connectionMade ran before createConnection returned");
                assertTrue(client.made.done());
                assertEquals(conn.transport(), client.transport);
                conn.transport().write(ascii("hello over TLS"));
                assertArrayEquals(ascii("hello over TLS"), client.received(14));
                conn.transport().close();
                assertNull(client.lost.await());
                assertEquals(List.of("made", "data", "lost"), client.events);
            }
        });
    }

    @Test
    void serverWritesFirstAndSeesTheClientsCloseNotifyAsEof() throws Exception {
        AsyncIO.run(() -> {
            Made<Recorder> made = new Made<>();
            ServerOptions opts = tlsServer(keys.server);
            try (Server server = Network.createServer(() -> {
                Recorder r = new Recorder() {
                    @Override
                    public void connectionMade(BaseTransport t) {
                        super.connectionMade(t);
                        transport.write(ascii("220 hello\r\n"));
                    }
                };
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0, opts)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Recorder client = conn.protocol();
                assertArrayEquals(ascii("220 hello\r\n"), client.received(11));
                conn.transport().write(ascii("QUIT\r\n"));
                Recorder srv = made.protocols.getFirst();
                assertArrayEquals(ascii("QUIT\r\n"), srv.received(6));
                conn.transport().close();
                assertNull(srv.lost.await(), "a close_notify ends the server's side cleanly");
                assertEquals(List.of("made", "data", "eof", "lost"), srv.events);
                assertNull(client.lost.await());
                assertEquals(List.of("made", "data", "lost"), client.events);
            }
        });
    }

    @Test
    void serverCloseSendsCloseNotifyThatTheClientSeesAsEof() throws Exception {
        AsyncIO.run(() -> {
            Made<Recorder> made = new Made<>();
            try (Server server = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Recorder client = conn.protocol();
                Recorder srv = made.protocols.getFirst();
                srv.made.await();
                srv.transport.write(ascii("bye"));
                srv.transport.close();
                assertTrue(srv.transport.isClosing());
                assertNull(client.lost.await());
                assertArrayEquals(ascii("bye"), client.data.toByteArray());
                assertEquals(List.of("made", "data", "eof", "lost"), client.events);
                assertNull(srv.lost.await());
                assertFalse(conn.transport().canWriteEof());
                assertThrows(UnsupportedOperationException.class, () -> conn.transport().writeEof());
            }
        });
    }

    @Test
    void megabytesEachWayWithFlowControl() throws Exception {
        AsyncIO.run(() -> {
            Random random = new Random(42);
            java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Recorder client = conn.protocol();
                // at least 1 MiB, then on until the kernel's buffers are full and the transport pauses us
                // (the client reads nothing meanwhile, so the echo backs up too)
                byte[] chunk = new byte[64 * 1024];
                while (sent.size() < (1 << 20) || !client.events.contains("pause")) {
                    assertTrue(sent.size() < (256 << 20), "never paused after " + sent.size() + " bytes");
                    random.nextBytes(chunk);
                    conn.transport().write(chunk);
                    sent.writeBytes(chunk);
                }
                assertTrue(conn.transport().getWriteBufferSize() > conn.transport().getWriteBufferLimits()[1]);
                byte[] all = sent.toByteArray();
                assertArrayEquals(all, client.received(all.length));
                assertTrue(client.events.indexOf("resume") > client.events.indexOf("pause"), client.events.toString());
                assertEquals(0, conn.transport().getWriteBufferSize());
                conn.transport().close();
                assertNull(client.lost.await());
            }
        });
    }

    @Test
    void pauseReadingHoldsDecryptedDataBack() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Recorder client = conn.protocol();
                conn.transport().pauseReading();
                assertFalse(conn.transport().isReading());
                conn.transport().write(ascii("ping"));
                for (int i = 0; i < 20; i++) {
                    AsyncIO.sleep(0.01); // a few loop turns with real I/O: the echo must not be delivered
                }
                assertEquals(0, client.data.size(), "nothing is delivered while reading is paused");
                conn.transport().resumeReading();
                assertArrayEquals(ascii("ping"), client.received(4));
                assertTrue(loop.isRunning());
                conn.transport().close();
                client.lost.await();
            }
        });
    }

    @Test
    void extraInfoHasTheTlsKeysAndTheSocketsKeys() throws Exception {
        AsyncIO.run(() -> {
            Made<Recorder> made = new Made<>();
            try (Server server = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Transport t = conn.transport();
                assertInstanceOf(SSLEngine.class, t.getExtraInfo("ssl_object"));
                X509Certificate peer = assertInstanceOf(X509Certificate.class, t.getExtraInfo("peercert"));
                assertTrue(peer.getSubjectX500Principal().getName().contains("CN=localhost"), peer.toString());
                String cipher = assertInstanceOf(String.class, t.getExtraInfo("cipher"));
                assertTrue(cipher.startsWith("TLS_"), cipher);
                assertEquals(port(server), ((InetSocketAddress) t.getExtraInfo("peername")).getPort());
                assertInstanceOf(InetSocketAddress.class, t.getExtraInfo("sockname"));
                assertNotNull(t.getExtraInfo("socket"));
                assertEquals("none", t.getExtraInfo("no such key", "none"));
                Recorder srv = made.protocols.getFirst();
                srv.made.await();
                assertNull(srv.transport.getExtraInfo("peercert"), "the client sent no certificate");
                assertEquals(cipher, srv.transport.getExtraInfo("cipher"));
                t.close();
                conn.protocol().lost.await();
            }
        });
    }

    @Test
    void wrongHostNameFailsTheHandshakeNamingTheCheck() throws Exception {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.server))) {
                List<Recorder> made = new ArrayList<>();
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> Network.createConnection(
                        () -> {
                            Recorder r = new Recorder();
                            made.add(r);
                            return r;
                        }, "127.0.0.1", port(server), tlsClient().withServerHostname("wrong.example")));
                assertTrue(e.getMessage().contains("No subject alternative DNS name matching wrong.example"),
                        e.getMessage());
                assertEquals(List.of(), made.getFirst().events, "connectionMade never ran");
                // the server goes on
                var ok = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                ok.transport().write(ascii("x"));
                ok.protocol().received(1);
                ok.transport().close();
                ok.protocol().lost.await();
            }
        });
    }

    @Test
    void anExpiredCertificateFailsTheHandshakeNamingTheValidityCheck() throws IOException {
        AsyncIO.run(() -> {
            AsyncIO.getRunningLoop().setExceptionHandler((l, c) -> { }); // the server's side of the failed handshake
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.expiredServer))) {
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> Network.createConnection(
                        Recorder::new, "127.0.0.1", port(server), tlsClient().withServerHostname("localhost")));
                assertTrue(e.getMessage().contains("validity check failed"), e.getMessage());
            }
        });
    }

    @Test
    void hostNameIsCheckedByDefaultAndEmptyServerHostnameTurnsItOff() throws Exception {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.selfSignedServer))) {
                ConnectionOptions trusting = ConnectionOptions.DEFAULTS.withSsl(keys.trustsSelfSigned);
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                        () -> Network.createConnection(Recorder::new, "127.0.0.1", port(server), trusting));
                assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                        e.getMessage());
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server),
                        trusting.withServerHostname(""));
                conn.transport().write(ascii("ok"));
                assertArrayEquals(ascii("ok"), conn.protocol().received(2));
                conn.transport().close();
                conn.protocol().lost.await();
                var named = Network.createConnection(Recorder::new, "127.0.0.1", port(server),
                        trusting.withServerHostname("self.invalid"));
                named.transport().close();
                named.protocol().lost.await();
            }
        });
    }

    @Test
    void untrustedCertificatesAreRejectedByDefault() throws IOException {
        AsyncIO.run(() -> {
            try (Server selfSigned = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.selfSignedServer));
                    Server caSigned = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.server))) {
                SSLHandshakeException e1 = assertThrows(SSLHandshakeException.class, () -> Network.createConnection(
                        Recorder::new, "127.0.0.1", port(selfSigned), tlsClient()));
                assertTrue(e1.getMessage().contains("PKIX path"), e1.getMessage());
                SSLHandshakeException e2 = assertThrows(SSLHandshakeException.class, () -> Network.createConnection(
                        Recorder::new, "127.0.0.1", port(caSigned),
                        ConnectionOptions.DEFAULTS.withSsl(SSLContext.getDefault())));
                assertTrue(e2.getMessage().contains("PKIX path"), e2.getMessage());
            }
        });
    }

    @Test
    void aPlainTextClientFailsItsHandshakeAndTheServerGoesOn() throws Exception {
        AsyncIO.run(() -> {
            Made<Recorder> made = new Made<>();
            try (Server server = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer(keys.server))) {
                var plain = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                plain.transport().write(ascii("GET / HTTP/1.0\r\n\r\n"));
                plain.protocol().lost.await(); // the server closed it
                assertTrue(plain.protocol().events.contains("lost"));
                assertEquals(List.of(), made.protocols.getFirst().events, "the server's protocol was never connected");
                var tls = Network.createConnection(Recorder::new, "127.0.0.1", port(server), tlsClient());
                Recorder second = made.protocols.get(1);
                second.made.await();
                tls.transport().write(ascii("still serving"));
                assertArrayEquals(ascii("still serving"), second.received(13));
                tls.transport().close();
                tls.protocol().lost.await();
                assertTrue(server.isServing());
            }
        });
    }

    @Test
    void aServerThatNeverAnswersTimesTheHandshakeOut() throws IOException {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            Made<Recorder> made = new Made<>();
            try (Server silent = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0)) {
                double start = loop.time();
                ConnectionAbortedError e = assertThrows(ConnectionAbortedError.class, () -> Network.createConnection(
                        Recorder::new, "127.0.0.1", port(silent), tlsClient().withSslHandshakeTimeout(0.2)));
                assertEquals("SSL handshake is taking longer than 0.2 seconds: aborting the connection", e.getMessage());
                assertTrue(loop.time() - start >= 0.2);
                assertNull(made.protocols.getFirst().lost.await(), "the client's socket was closed");
            }
        });
    }

    @Test
    void aClientThatNeverSpeaksIsDroppedAfterTheServersHandshakeTimeout() throws Exception {
        AsyncIO.run(() -> {
            Made<Recorder> made = new Made<>();
            try (Server server = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer(keys.server).withSslHandshakeTimeout(0.2))) {
                var silent = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                assertNull(silent.protocol().lost.await());
                assertEquals(List.of("made", "eof", "lost"), silent.protocol().events);
                assertEquals(List.of(), made.protocols.getFirst().events);
            }
        });
    }

    @Test
    void serverHostnameWithoutSslIsRefused() {
        AsyncIO.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.createConnection(
                    Recorder::new, "127.0.0.1", 1, ConnectionOptions.DEFAULTS.withServerHostname("x")));
            assertTrue(e.getMessage().contains("serverHostname is only meaningful with ssl"), e.getMessage());
        });
        assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.DEFAULTS.withSslHandshakeTimeout(0));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.DEFAULTS.withSslShutdownTimeout(-1));
        assertEquals(60.0, ConnectionOptions.DEFAULTS.sslHandshakeTimeout());
        assertEquals(30.0, ServerOptions.DEFAULTS.sslShutdownTimeout());
    }

    /** A BufferedProtocol with a tiny buffer, so TLS delivers each record in many chunks. */
    static final class TinyBuffered implements BufferedProtocol {
        final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        final org.asyncio4j.future.Future<Void> lost = EventLoop.getRunningLoop().createFuture();
        final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(7);
        org.asyncio4j.future.Future<Void> enough;
        int want;
        int calls;

        @Override
        public java.nio.ByteBuffer getBuffer(int sizeHint) {
            return buf.clear();
        }

        @Override
        public void bufferUpdated(int nbytes) {
            calls++;
            got.write(buf.array(), 0, nbytes);
            if (enough != null && got.size() >= want) {
                enough.setResult(null);
                enough = null;
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost.setResult(null);
        }

        void await(int n) {
            if (got.size() < n) {
                want = n;
                enough = EventLoop.getRunningLoop().createFuture();
                enough.await();
            }
        }
    }

    @Test
    void aBufferedProtocolGetsTheDecryptedBytesInItsOwnBuffer() throws Exception {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(TinyBuffered::new, "127.0.0.1", port(server), tlsClient());
                byte[] msg = ascii("a message longer than seven bytes, in chunks");
                conn.transport().write(msg);
                conn.protocol().await(msg.length);
                assertArrayEquals(msg, conn.protocol().got.toByteArray());
                assertTrue(conn.protocol().calls >= msg.length / 7);
                conn.transport().close();
                conn.protocol().lost.await();
            }
        });
    }

    @Test
    void cancellingDuringTheHandshakeClosesTheSocket() throws Exception {
        AsyncIO.run(() -> {
            EventLoop loop = EventLoop.getRunningLoop();
            Made<Recorder> made = new Made<>();
            try (Server silent = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0)) {
                int port = port(silent);
                var attempt = loop.createTask(() -> Network.createConnection(Recorder::new, "127.0.0.1", port,
                        tlsClient()));
                while (made.protocols.isEmpty()) {
                    AsyncIO.sleep(0); // until the silent server accepted the connection
                }
                Recorder srv = made.protocols.getFirst();
                srv.received(1); // the ClientHello: the handshake is under way
                attempt.cancel();
                assertThrows(org.asyncio4j.future.CancelledError.class, attempt::await);
                assertNull(srv.lost.await(), "the client's socket was closed");
            }
        });
    }

    @Test
    void aPeerThatNeverAnswersCloseNotifyTimesTheShutdownOut() throws Exception {
        AsyncIO.run(() -> {
            Made<Recorder> made = new Made<>();
            try (Server server = Network.createServer(() -> {
                Recorder r = new Recorder();
                made.protocols.add(r);
                return r;
            }, "127.0.0.1", 0, tlsServer(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server),
                        tlsClient().withSslShutdownTimeout(0.2));
                Recorder srv = made.protocols.getFirst();
                srv.made.await();
                srv.transport.pauseReading(); // so our close_notify is never read, nor answered
                conn.transport().close();
                Throwable exc = conn.protocol().lost.await();
                assertInstanceOf(org.asyncio4j.future.TimeoutError.class, exc);
                assertEquals("SSL shutdown timed out", exc.getMessage());
                srv.transport.resumeReading(); // the server sees the socket closed under it
                srv.lost.await();
            }
        });
    }
}
