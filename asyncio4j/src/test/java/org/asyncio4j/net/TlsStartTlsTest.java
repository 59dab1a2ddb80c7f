package org.asyncio4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.asyncio4j.AsyncIO;
import org.asyncio4j.future.Future;
import org.asyncio4j.loop.EventLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Network.startTls} (asyncio's {@code loop.start_tls}): STARTTLS upgrades, TLS in TLS, misuse. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsStartTlsTest {
    static TlsKeys keys;

    @BeforeAll
    static void makeKeys() {
        keys = TlsKeys.get();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static int port(Server server) throws Exception {
        return ((InetSocketAddress) server.sockets().getFirst().getLocalAddress()).getPort();
    }

    /**
     * A STARTTLS server: echoes, except that {@code "STARTTLS\r\n"} is answered {@code "OK\r\n"}
     * and the connection upgraded (server side) before anything more is read.
     */
    static final class StartTlsServer implements Protocol {
        final Future<Transport> upgraded = EventLoop.getRunningLoop().createFuture();
        Transport out;

        @Override
        public void connectionMade(BaseTransport t) {
            out = (Transport) t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (!upgraded.done() && StandardCharsets.US_ASCII.decode(data.duplicate()).toString().equals("STARTTLS\r\n")) {
                Transport plain = out;
                plain.pauseReading(); // the client's first TLS bytes must not reach this protocol in plain text
                plain.write(ascii("OK\r\n"));
                EventLoop.getRunningLoop().createTask(() -> {
                    try {
                        out = Network.startTls(plain, this, keys.server, true, null);
                        upgraded.setResult(out);
                    } catch (Throwable e) {
                        upgraded.setException(e);
                    }
                });
                return;
            }
            out.write(data);
        }
    }

    /** Sends STARTTLS on {@code plain}, waits for OK, upgrades (client side). */
    static Transport upgrade(Transport plain, Recorder client, SSLContext ctx, int already) throws Exception {
        plain.write(ascii("STARTTLS\r\n"));
        client.received(already + 4);
        return Network.startTls(plain, client, ctx, false, "localhost");
    }

    @Test
    void startTlsUpgradesAPlainConnection() throws Exception {
        AsyncIO.run(() -> {
            StartTlsServer[] srv = new StartTlsServer[1];
            try (Server server = Network.createServer(() -> srv[0] = new StartTlsServer(), "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder client = conn.protocol();
                conn.transport().write(ascii("plain\r\n"));
                client.received(7);
                Transport tls = upgrade(conn.transport(), client, keys.client, 7);
                assertInstanceOf(X509Certificate.class, tls.getExtraInfo("peercert"));
                assertEquals(List.of("made", "data"), client.events, "connectionMade is not called again");
                assertInstanceOf(X509Certificate.class, tls.getExtraInfo("peercert"));
                Transport serverTls = srv[0].upgraded.await();
                assertNull(serverTls.getExtraInfo("peercert"));
                tls.write(ascii("secret"));
                assertArrayEquals(ascii("plain\r\nOK\r\nsecret"), client.received(17));
                tls.close();
                assertNull(client.lost.await());
                assertTrue(conn.transport().isClosing(), "closing the TLS transport closed the plain one");
                assertTrue(serverTls.isClosing());
            }
        });
    }

    @Test
    void tlsInsideTls() throws Exception {
        AsyncIO.run(() -> {
            StartTlsServer[] srv = new StartTlsServer[1];
            try (Server server = Network.createServer(() -> srv[0] = new StartTlsServer(), "127.0.0.1", 0,
                    ServerOptions.DEFAULTS.withSsl(keys.server))) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server),
                        ConnectionOptions.DEFAULTS.withSsl(keys.client));
                Recorder client = conn.protocol();
                Transport inner = upgrade(conn.transport(), client, keys.client, 0);
                srv[0].upgraded.await();
                byte[] big = new byte[200_000];
                new java.util.Random(7).nextBytes(big);
                inner.write(big);
                byte[] got = client.received(4 + big.length);
                assertArrayEquals(big, java.util.Arrays.copyOfRange(got, 4, got.length));
                inner.close();
                assertNull(client.lost.await());
                assertTrue(conn.transport().isClosing());
            }
        });
    }

    @Test
    void startTlsOnAClosedTransportFailsClearly() throws Exception {
        AsyncIO.run(() -> {
            try (Server server = Network.createServer(Echo::new, "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                conn.transport().close();
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> Network.startTls(conn.transport(), conn.protocol(), keys.client, false, "localhost"));
                assertTrue(e.getMessage().contains("closing or closed transport"), e.getMessage());
                conn.protocol().lost.await();
                assertThrows(IllegalArgumentException.class,
                        () -> Network.startTls(conn.transport(), conn.protocol(), keys.client, false, null));
            }
        });
    }

    @Test
    void aFailedUpgradeClosesTheConnection() throws Exception {
        AsyncIO.run(() -> {
            StartTlsServer[] srv = new StartTlsServer[1];
            try (Server server = Network.createServer(() -> srv[0] = new StartTlsServer(), "127.0.0.1", 0)) {
                var conn = Network.createConnection(Recorder::new, "127.0.0.1", port(server));
                Recorder client = conn.protocol();
                conn.transport().write(ascii("STARTTLS\r\n"));
                client.received(4);
                assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> Network.startTls(conn.transport(),
                        client, keys.client, false, "wrong.example"));
                assertTrue(conn.transport().isClosing());
                assertThrows(javax.net.ssl.SSLException.class, () -> srv[0].upgraded.await());
            }
        });
    }
}
